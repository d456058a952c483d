"""A job the person cannot take (hours, health, certificate) weighs no more than the category
it is of: a workable job of a neighbouring category ranks above one of the first ticked
category that the person's 备注 or 专业/技能 rules out."""

from __future__ import annotations

import pytest
from conftest import TODAY, make_id, person, posting

from matching.domain.categories import Category
from matching.rank.engine import MatchingEngine

C = Category

# (ticked, skills, 备注, the ruled-out job of the ticked category, the workable neighbour)
CASES = [
    # 每天4小时 and a full-time 门店销售; a 保险 callback job offering half days
    (C.F, "做过导购", "孩子小，每天只能干4小时",
     ("门店销售", "商场专柜销售 早九晚六 月休四天", C.F),
     ("电话回访专员", "保险老客户电话回访 可做半天 上午或下午", C.E)),
    # only days, and a 两班倒 warehouse job; a 普工 job on a long day shift
    (C.B, "叉车证", "照顾老人，只上白班，不倒夜班",
     ("仓库叉车工", "物流园装卸区 两班倒 夜班补贴", C.B),
     ("车间叉车工", "工厂成品库 长白班 8:00-17:00", C.J)),
    # no heavy lifting, and a 搬运 job; a hotel front desk
    (C.I, "做过传菜员", "腰椎间盘突出，不能干重活",
     ("后厨帮工", "负责搬运食材 米面油 每天卸货", C.I),
     ("酒店前台", "办理入住退房 长白班", C.L)),
]  # fmt: skip


@pytest.mark.parametrize(("ticked", "skills", "note", "ruled_out", "workable"), CASES)
def test_workable_neighbour_ranks_above_a_ruled_out_first_choice(  # type: ignore[no-untyped-def]
    ticked, skills, note, ruled_out, workable
) -> None:
    posts = [
        posting("out", ruled_out[0], ruled_out[1], ruled_out[2], "南开区", 4500, 5500),
        posting("ok", workable[0], workable[1], workable[2], "南开区", 4500, 5500),
    ]
    engine = MatchingEngine().fit(posts)
    seeker = person(make_id(seq="236"), "田静", (ticked,), "南开区", skills, note=note)
    got = {m.posting_id: m for m in engine.recommend(seeker, 2, today=TODAY)}
    schedule = {pid: next(t.value for t in m.terms if t.name == "schedule")
                for pid, m in got.items()}  # fmt: skip
    assert schedule == {"out": 1.0, "ok": 0.0}
    assert got["ok"].score > got["out"].score
