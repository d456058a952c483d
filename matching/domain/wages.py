"""Tianjin's statutory minimum wage: what "不低于最低工资" means and what pay is flagged below.

Source: 天津市人力资源和社会保障局, 关于调整天津市最低工资标准的通知 (津人社规〔2024〕):
the monthly minimum wage is 2320 yuan from 2024-12-01 (2180 yuan before). When the city changes
it, change these two constants together; ``MatchingConfig.min_wage_monthly_yuan`` defaults to
the same figure (a test checks they agree) and a deployment may override it.
"""

from __future__ import annotations

import datetime as dt

__all__ = ["MIN_WAGE_MONTHLY_YUAN", "MIN_WAGE_SINCE"]

MIN_WAGE_MONTHLY_YUAN = 2320
MIN_WAGE_SINCE = dt.date(2024, 12, 1)
