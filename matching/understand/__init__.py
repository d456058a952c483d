"""Chinese text → values: jieba segmentation, salary, location and 地点要求, requirements
(education, age, experience), the job classifier."""
