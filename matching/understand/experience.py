"""The trade a posting wants years of experience in, and the trades a person has worked in.

"5年以上炒锅经验", "3年以上剪烫染经验", "有两年以上行政或文员经验": a caseworker does not push a
job that asks for years in a trade to someone whose 工作经历 and 专业/技能 never name that trade
(a waiter for a cook's post, a milk-tea clerk for a pastry chef's). The trade is read from the
words between the years and 经验; when they name none ("3年以上经验", "3年以上工作经验"), from the
posting's title. A posting whose trade this table does not know costs nothing: the rule only
speaks when both sides can be read.

Trades are bits of one table, like :mod:`matching.understand.certificates`: a posting asks for
one of its trades (``"行政或文员"`` is either), a person has all the trades their history, skills
and major name. The words are the everyday ones of job boards and caseworkers' notes.
"""

from __future__ import annotations

import re

# A trade is an entry of the same shape as a certificate: its bit, plain Chinese name, words.
from matching.understand.certificates import Certificate as Trade
from matching.understand.text import nfkc_prefix

__all__ = ["TRADES", "Trade", "describe_lacking", "held_trades", "wanted_trades"]


_TABLE: tuple[tuple[str, str], ...] = (
    ("厨师", r"厨师|炒锅|热菜|掌勺|烹饪|烹调|大厨|主厨|凉菜|冷菜|炒菜"),
    ("面点", r"面点|白案|糕点|点心|烘焙|西点"),
    ("美发", r"美发|发型|理发|剪烫染|烫染|剪发"),
    ("美容美甲", r"美容|美甲|美睫|皮肤管理"),
    ("按摩保健", r"按摩|推拿|足疗|理疗|修脚"),
    ("电工", r"电工|电气|水电"),
    ("焊工", r"焊工|电焊|氩弧焊|焊接"),
    ("机加工", r"车工|车床|钳工|铣工|磨工|数控|机加工|CNC"),
    ("设备维修", r"设备维修|设备维护|设备保养|机电维修|维修电工"),
    ("汽修", r"汽修|汽车维修|汽车检测|机修|快修|钣金|喷漆|4S店"),
    ("家电维修", r"家电|空调|制冷|水暖|管道疏通"),
    ("维修", r"维修|检修|维保"),
    ("装修", r"瓦工|木工|油工|泥瓦|家装|装修|贴砖|吊顶|防水"),
    ("施工", r"施工|土建|房建|市政|工地|监理"),
    ("造价", r"造价|预算员|预算"),
    ("资料员", r"资料员|工程资料"),
    ("安全管理", r"安全员|安全管理|安全生产"),
    ("会计", r"会计|出纳|财务|记账|做账|全盘账|审计|税务"),
    ("行政文员", r"行政|文员|文秘|秘书|前台|办公室"),
    ("人事", r"人事|招聘|薪酬|社保|人力资源|HR"),
    ("销售", r"销售|业务员|营销|推销|地推|导购|置业顾问"),
    ("客服", r"客服|话务|售后|回访"),
    ("收银营业", r"收银|营业员|理货|超市|便利店|店员"),
    ("餐饮服务", r"服务员|传菜|领班|餐厅|前厅|宴会"),
    ("保洁家政", r"保洁|清洁|家政|钟点工"),
    ("育婴", r"育婴|月嫂|育儿|保姆|母婴"),
    ("护理", r"护理|护士|护工|陪护|养老"),
    ("药品", r"药店|药房|药师|医药"),
    ("驾驶", r"司机|驾驶|驾龄|开车|货车|网约车|出租车"),
    ("仓储物流", r"仓储|仓库|仓管|库管|库房|保管员|拣货|分拣|物流|叉车"),
    ("快递配送", r"快递|配送|骑手|外卖|送餐|收派"),
    ("保安门卫", r"保安|门卫|安保|巡逻"),
    ("教学", r"教师|老师|幼师|家教|教学|辅导"),
    ("电商运营", r"运营|电商|新媒体|直播"),
    ("计算机", r"计算机|软件|编程|程序|网络|运维|IT"),
    ("生产操作", r"普工|操作工|装配|流水线|质检|包装工"),
    ("钢筋架子", r"钢筋|架子工|模板工|混凝土"),
    ("农林", r"种植|养殖|园林|绿化|农业"),
    ("酒店客房", r"客房|酒店|宾馆"),
    ("导游讲解", r"导游|讲解"),
)
TRADES: tuple[Trade, ...] = tuple(
    Trade(1 << i, name, re.compile(p)) for i, (name, p) in enumerate(_TABLE)
)

# "5年以上炒锅经验", "两年以上行政或文员工作经验", "3年以上经验": the words between the years and
# 经验 name the trade (digits are normalised to ASCII by nfkc_prefix; 两/一…十 are read too).
_YEARS_OF = re.compile(
    r"(?:[0-9]{1,2}|[一两二三四五六七八九十]{1,2})\s*(?:个)?年(?:以上|及以上|或以上)?"
    r"(?P<kind>[^，。；,;！!？?\s]{0,12}?)(?:工作)?(?:经验|经历|工龄)"
)
_TITLE_NOISE = re.compile(r"[（(【\[].*?[)）】\]]")


def _clean(text: object) -> str:
    return nfkc_prefix(text, 2000).upper()


def _bits(text: str) -> int:
    bits = 0
    for t in TRADES:
        if t.pattern.search(text):
            bits |= t.bit
    return bits


def wanted_trades(title: object, description: object, experience_years: int | None) -> int:
    """The trades a posting asks years of experience in (one of them will do), or 0.

    0 when the posting asks for no experience (``experience_years`` None or 0) or names no
    trade this table knows, so that nothing is held against anyone.

    Examples
    --------
    >>> [t.name for t in TRADES if wanted_trades("中餐厨师", "5年以上炒锅经验", 5) & t.bit]
    ['厨师']
    >>> [t.name for t in TRADES if wanted_trades("助理", "两年以上行政或文员经验", 2) & t.bit]
    ['行政文员']
    """
    if not experience_years:
        return 0
    desc = _clean(description)
    for m in _YEARS_OF.finditer(desc):
        if bits := _bits(m.group("kind")):
            return bits
    return _bits(_TITLE_NOISE.sub("", _clean(title)))


def held_trades(skills: object, positions: tuple[str, ...] | list[str] = ()) -> int:
    """The trades a person has worked in or trained for: those their 专业/技能 and the positions
    of their 工作经历 name.

    Examples
    --------
    >>> [t.name for t in TRADES if held_trades("会计学专业，熟练Excel", ["审计实习生"]) & t.bit]
    ['会计']
    """
    return _bits(_clean(" ".join([str(skills or ""), *positions])))


def describe_lacking(wanted: int, held: int, years: int | None) -> str:
    """The reason for a posting that asks years in a trade the person has not named, or "".

    Examples
    --------
    >>> describe_lacking(wanted_trades("面点师", "3年以上经验", 3), 0, 3)
    '缺少岗位要求的经验：面点（要求3年以上，本人经历和技能中未见）'
    """
    if not wanted or wanted & held:
        return ""
    names = "或".join(t.name for t in TRADES if wanted & t.bit)
    need = f"要求{years}年以上，" if years else ""
    return f"缺少岗位要求的经验：{names}（{need}本人经历和技能中未见）"
