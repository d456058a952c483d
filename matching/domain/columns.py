"""Spreadsheet column headers → field names, for persons and postings.

Headers are matched after removing spaces, line breaks and full-width/half-width
brackets, so "失业登记\n时间" (as on the printed form) matches "失业登记时间". The English
field name is always accepted too. The first header of each list is the one we write.
"""

from __future__ import annotations

# field -> accepted headers (first = canonical header we write)
PERSON_HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名",),
    "id_number": ("身份证号码", "身份证号", "公民身份号码", "证件号码"),
    "gender": ("性别",),
    "phone": ("联系电话", "手机号码", "手机号", "电话"),
    "education": ("文化程度", "学历"),
    "skills": ("专业/技能", "专业技能", "专业", "技能"),
    "registered_on": ("失业登记时间", "登记时间", "失业登记日期"),
    "unemployed_since": ("失业时间", "失业日期"),
    "household_address": ("户籍地址", "户籍地"),
    "residential_address": ("常住住址", "常住地址", "居住地址", "现住址"),
    "work_forms": ("就业形式",),
    "wanted_categories": ("岗位意愿", "意向岗位", "求职意向"),
    "expected_pay": ("期望薪酬", "期望薪资", "期望工资"),
    "location_requirement": ("地点要求", "工作地点要求"),
    "other_needs": ("其他需求",),
    "work_history": ("工作经历",),
    "district": ("所属区", "责任区", "所在区"),
    "status": ("人员状态", "状态"),
    "deregistration_reason": ("注销原因",),
    "accepts_messages": ("接收短信微信", "接收推送"),
    "note": ("备注",),
}
# 所属区 is not required: the 附件2 form has no such column; the district in charge is then read
# from 常住住址, then 户籍地址 (matching.ingest.persons).
PERSON_REQUIRED: tuple[str, ...] = ("name", "id_number")

POSTING_HEADERS: dict[str, tuple[str, ...]] = {
    "title": ("岗位名称", "职位名称", "职位", "岗位"),
    "description": ("岗位描述", "职位描述", "岗位职责", "工作内容"),
    "employer": ("招聘单位", "用人单位", "公司名称", "企业名称", "公司"),
    "address": ("工作地址", "工作地点", "地址", "公司地址"),
    "district": ("所在区", "区"),
    "salary_text": ("薪资", "薪酬", "月薪", "工资待遇", "薪资待遇"),
    "headcount": ("招聘人数", "人数"),
    "education_min": ("学历要求", "学历"),
    "age_text": ("年龄要求", "年龄"),
    "experience_text": ("经验要求", "工作经验"),
    "category": ("岗位类别", "类别"),
    "valid_from": ("有效期起", "发布日期", "发布时间"),
    "valid_until": ("有效期至", "截止日期", "有效期止"),
    "filled": ("已招满",),
    "source": ("来源",),
    "source_id": ("来源编号", "来源ID"),
    "contact_phone": ("联系电话",),
}
POSTING_REQUIRED: tuple[str, ...] = ("title",)
