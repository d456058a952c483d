"""Evaluation: metrics, known-answer sets, baselines, the judged-dev set, the quality report."""
