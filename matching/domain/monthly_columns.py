"""The columns of the monthly report (附件1) and the rule each one is counted by, in Chinese.

One text for everyone who reads the report: the xlsx's notes
(:func:`matching.campaign.monthly.write_monthly_report`), ``songgang report monthly --help`` and
the README all show :data:`COLUMN_RULES`; :func:`matching.campaign.monthly.monthly_report`
counts by it.
"""

from __future__ import annotations

__all__ = ["AS_OF_DAY", "COLUMNS", "COLUMN_RULES", "SERIALS"]

# The form's note: 各区于每月25日前上报截至当月20日的情况.
AS_OF_DAY = 20

COLUMNS = ("登记失业人员下发人数", "联系不到人数", "联系服务人数", "已就业人数", "未就业人数")
SERIALS = ("1=2+3", "2", "3=4+5", "4", "5")

COLUMN_RULES = (
    "统计口径：截至当月20日（含）。20日以后的联系和状态变更计入下月；撤销的状态变更（录错）不计。",
    "（1）登记失业人员下发人数：20日（含）前下发到本区的各批次人员，每人只计一次。1=2+3。",
    "（2）联系不到人数：已下发、但截至20日从未联系上（没有一次“联系上”的联系记录）"
    "且未登记就业的人员，不只是联系失败的次数；其间已注销（如退休、死亡）而从未联系上的，"
    "也计入本列。",
    "（3）联系服务人数：截至20日至少联系上一次，或已登记就业（登记就业视同已联系服务）的人员。"
    "一经联系服务即一直计入本列，之后退休、死亡、注销或再也联系不上，都不减少。3=4+5。",
    "（4）已就业人数：联系服务人员中，截至20日已登记就业（单位就业、灵活就业、自主创业、"
    "个体经营，或因注销原因2–5注销）的人员。一经登记就业即一直计入本列，"
    "之后因其他原因注销（退休、死亡等）也不减少。",
    "（5）未就业人数：联系服务人员中尚未登记就业的人员，5=3−4。",
)
