"""Generated registered unemployed persons: every field of the registration form (附件2).

Identity is consistent (valid GB 11643 ID with a Tianjin area code, gender from the 17th
digit, working age); wishes are correlated with gender, age, education and history the way
caseworkers see them. Rows are keyed by the canonical headers of
:data:`matching.domain.columns.PERSON_HEADERS`; the truth is returned beside them.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from matching.domain import divisions
from matching.domain.categories import LABELS, Category
from matching.domain.columns import PERSON_HEADERS
from matching.domain.idcard import check_digit
from matching.domain.retirement import past_retirement
from matching.generator import addresses, phrases
from matching.generator.salary import round_pay

H: dict[str, str] = {field: headers[0] for field, headers in PERSON_HEADERS.items()}
REFERENCE_DATE = dt.date(2024, 10, 21)

# Common surnames first, weighted roughly by frequency in northern China.
_SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡"
    "贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
    "钱汤尹黎易常武乔贺赖龚文庞樊兰殷施陶洪翟安颜倪严牛温芦季俞章鲁葛伍韦申尤毕聂柴焦"
)
_COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "慕容", "令狐")
_MALE_CHARS = (
    "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆峰亮建国志新海东林晨旭龙洋博文成栋振利庆春永胜"
)
_FEMALE_CHARS = (
    "芳娜敏静丽艳娟霞秀英华玲桂兰萍红梅琳燕婷雪倩颖慧莉楠淑珍洁琴云凤宁晶佳欣悦彤丹月红玉莹"
)
# 文化程度 as written on the forms, with weights for registered unemployed persons.
_MOBILE_PREFIXES = tuple(
    "130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 "
    "180 181 182 183 185 186 187 188 189 191 195 198 199 166 176 177 147".split()
)
_EDU = (
    ("小学", 0, 4), ("初中", 0, 30), ("高中", 1, 18), ("中专", 1, 14), ("职高", 1, 3),
    ("技校", 1, 3), ("大专", 2, 15), ("本科", 3, 11), ("硕士研究生", 4, 1), ("初中毕业", 0, 1),
)  # fmt: skip
# the preference model's education scale: 0 none/小学/初中 … see phrases.CategoryVocab.person_edu
_EDU_SCALE = {0: 2, 1: 3, 2: 4, 3: 5, 4: 6}
_GENERIC_SKILLS = phrases.words(
    "会电脑办公软件 有C1驾照 持健康证 会开车 能吃苦 普通话标准 会用微信 无"
)
_PAY_FORMS = (
    "{a}",
    "{a}-{b}",
    "{a}左右",
    "{k}千左右",
    "{a}以上",
    "不低于{a}",
    "{a}元/月",
    "面议",
    "",
    "",
)
_LOCATION_REQS = (
    "{d}及周边", "离家5公里内", "不限", "市内六区", "本区", "", "离家近", "{d}", "离家近，不倒车",
    "地铁沿线", "{d}、{o}", "不去郊区", "",
)  # fmt: skip
_NEEDS = ("补贴申领", "职业指导", "技能培训", "创业培训")
_NOTES = (
    "本人电话停机", "已联系，暂无求职意愿", "家中有老人需照顾", "需照顾孩子，只能做白班",
    "残疾人（四级）", "低保户", "零就业家庭", "退役军人", "希望参加技能培训后再就业",
    "有慢性病，不能干重活", "电话无人接听，已发短信",
)  # fmt: skip
_STATUS = (("登记失业", 92), ("已就业", 4), ("已注销", 4))


def _name(rng: random.Random, male: bool) -> str:
    if rng.random() < 0.01:
        surname = rng.choice(_COMPOUND_SURNAMES)
    else:
        # a triangular draw favours the front of the list (王李张刘…)
        surname = _SURNAMES[int(rng.triangular(0, len(_SURNAMES), 0))]
    chars = _MALE_CHARS if male else _FEMALE_CHARS
    given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.72 else "")
    return surname + given


def _age(rng: random.Random, male: bool) -> int:
    """Age on the reference date: mostly prime working age, a few young, a few near
    retirement, and 2 % kept on the list past it (for the flag tests). Women retire at 50 on a
    worker-type post (:mod:`matching.domain.retirement`), so their ages stop below that unless
    they are among the 2 %."""
    r = rng.random()
    if r < 0.02:
        return rng.randint(61, 64) if male else rng.randint(56, 60)
    if r < 0.12:
        return rng.choice(
            (rng.randint(16, 24), rng.randint(56, 59) if male else rng.randint(45, 49))
        )
    return int(min(55 if male else 49, max(25, rng.gauss(40, 8))))


def _id_number(rng: random.Random, area: str, birth: dt.date, male: bool) -> str:
    if area == "120116" and birth.year < 2009 and rng.random() < 0.7:
        # 塘沽/汉沽/大港 were merged into 滨海新区 in 2009; older IDs keep their codes
        area = rng.choice(("120107", "120108", "120109"))
    seq = rng.randint(0, 99) * 10 + rng.choice((1, 3, 5, 7, 9) if male else (0, 2, 4, 6, 8))
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)


def _phone(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.05:
        return ""
    if r < 0.13:
        return (
            rng.choice(("022-", "022", "(022)"))
            + f"{rng.choice('2568')}{rng.randint(0, 9999999):07d}"
        )
    number = f"{rng.choice(_MOBILE_PREFIXES)}{rng.randint(0, 99999999):08d}"
    return number if rng.random() < 0.97 else f"{number[:3]} {number[3:7]} {number[7:]}"


def _education(rng: random.Random, age: int) -> tuple[str, int]:
    weights = [
        w * (2.0 if lvl >= 2 and age < 35 else 1.0) * (0.5 if lvl >= 2 and age > 45 else 1.0)
        for _, lvl, w in _EDU
    ]
    text, lvl, _ = rng.choices(_EDU, weights=weights)[0]
    return text, lvl


def _categories(rng: random.Random, male: bool, age: int, edu: int) -> list[Category]:
    cats = list(phrases.VOCAB)
    weights = []
    for c in cats:
        v = phrases.VOCAB[c]
        w = v.male if male else v.female
        w *= 1.0 if v.ages[0] <= age <= v.ages[1] else (0.0 if c is Category.Q else 0.15)
        w *= 1.0 if _EDU_SCALE[edu] >= v.person_edu else 0.1
        weights.append(w)
    k = rng.choices((1, 2, 3), weights=(50, 35, 15))[0]
    chosen: list[Category] = []
    while len(chosen) < k:
        c = rng.choices(cats, weights=weights)[0]
        weights[cats.index(c)] = 0.0
        chosen.append(c)
    return chosen


def _wanted_cell(rng: random.Random, cats: list[Category]) -> str:
    style = rng.randrange(4)
    sep = rng.choice(("、", ",", "，", "；"))
    if style == 0:
        return sep.join(c.value for c in cats)
    if style == 1:
        return sep.join(f"{c.value}{LABELS[c]}" for c in cats)
    if style == 2:
        return sep.join(f"{c.value} {LABELS[c]}" for c in cats)
    # a piece of each label, as typed by a caseworker ("保洁、快递")
    return "、".join(rng.choice(LABELS[c].replace("、", "/").split("/")) for c in cats)


def _history(rng: random.Random, cats: list[Category], age: int, unemployed: dt.date) -> str:
    n = (
        rng.choices((0, 1, 2, 3), weights=(20, 40, 28, 12))[0]
        if age >= 20
        else rng.choice((0, 0, 1))
    )
    rows = []
    end = unemployed
    for _ in range(n):
        start = end - dt.timedelta(days=rng.randint(200, 2500))
        if (REFERENCE_DATE - start).days / 365.25 > age - 16:
            break
        cat = rng.choice(cats) if rng.random() < 0.8 else rng.choice(list(phrases.VOCAB))
        street = rng.choice(addresses.streets_by_district()[rng.choice(divisions.DISTRICTS).code])
        employer = rng.choice(phrases.VOCAB[cat].employers).format(
            brand=rng.choice(phrases.BRANDS), district=street.district.name, short=street.district.short,
            street=street.local_name, road=addresses.pick_road(rng, street), community=addresses.community_name(rng),
        )  # fmt: skip
        period = (
            f"{start:%Y.%m}-{end:%Y.%m}" if rng.random() < 0.8 else f"{start.year}年-{end.year}年"
        )
        rows.append(f"{period}，{employer}，{rng.choice(phrases.VOCAB[cat].positions)}")
        end = start - dt.timedelta(days=rng.randint(0, 400))
    return "；".join(rows)


def _date_cell(style: int, day: dt.date) -> str:
    if style == 0:
        return day.isoformat()
    if style == 1:
        return f"{day.year}/{day.month}/{day.day}"
    if style == 2:
        return f"{day:%Y%m%d}"
    if style == 3:
        return f"{day:%Y.%m.%d}"
    return f"{day.year}年{day.month}月{day.day}日"


def make_person(rng: random.Random) -> tuple[dict[str, Any], dict[str, Any]]:
    """One person row and its truth."""
    male = rng.random() < 0.48
    age = _age(rng, male)
    birth = REFERENCE_DATE - dt.timedelta(days=int(age * 365.25) + rng.randint(1, 360))
    beyond = past_retirement(birth, "男" if male else "女", REFERENCE_DATE)
    home = rng.choices(
        divisions.DISTRICTS, weights=(14, 4, 7, 8, 9, 7, 5, 6, 6, 5, 6, 7, 5, 4, 3, 4)
    )[0]
    home_street = rng.choice(addresses.residential_streets()[home.code])
    if rng.random() < 0.75:
        live_street = home_street
    else:
        live = home if rng.random() < 0.5 else rng.choice(divisions.DISTRICTS)
        live_street = rng.choice(addresses.residential_streets()[live.code])
    in_charge = live_street.district if rng.random() < 0.95 else home
    edu_text, edu = _education(rng, age)
    cats = _categories(rng, male, age, edu)
    v = phrases.VOCAB[cats[0]]
    unemployed = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 600))
    registered = min(
        unemployed + dt.timedelta(days=rng.choice((0, 0, 3, 7, 15, 30, 60, 90))),
        dt.date(2024, 9, 30),
    )
    lo = round_pay(rng.uniform(*v.pay))
    pay = rng.choice(_PAY_FORMS).format(a=lo, b=lo + 1000, k=lo // 1000)
    other = rng.choice(divisions.DISTRICTS).name
    loc = rng.choice(_LOCATION_REQS).format(d=live_street.district.name, o=other)
    skills = rng.sample(v.skills, rng.choice((0, 1, 1, 2)))
    skills += rng.sample(_GENERIC_SKILLS, rng.choice((0, 0, 1)))
    skills_cell = "，".join(dict.fromkeys(skills)) or rng.choice(("", "", "无"))
    forms = rng.choices(("稳定就业", "灵活就业", "自主创业", "two"), weights=(60, 25, 5, 10))[0]
    if forms == "two":
        forms = rng.choice(("、", ",", "；")).join(
            rng.sample(("稳定就业", "灵活就业", "自主创业"), 2)
        )
    status = rng.choices([s for s, _ in _STATUS], weights=[w for _, w in _STATUS])[0]
    id_number = _id_number(rng, home.code, birth, male)
    date_style = rng.choices(range(5), weights=(70, 10, 8, 7, 5))[0]
    row: dict[str, Any] = {
        H["name"]: _name(rng, male),
        H["id_number"]: id_number,
        H["gender"]: "男" if male else "女",
        H["phone"]: _phone(rng),
        H["education"]: edu_text,
        H["skills"]: skills_cell,
        H["registered_on"]: _date_cell(date_style, registered),
        H["unemployed_since"]: _date_cell(date_style, unemployed),
        H["household_address"]: addresses.home_address(rng, home_street),
        H["residential_address"]: "",
        H["work_forms"]: forms,
        H["wanted_categories"]: _wanted_cell(rng, cats) if rng.random() < 0.92 else "",
        H["expected_pay"]: pay,
        H["location_requirement"]: loc,
        H["other_needs"]: "、".join(
            sorted(rng.sample(_NEEDS, rng.choice((0, 0, 1, 1, 2))), key=_NEEDS.index)
        ),
        H["work_history"]: _history(rng, cats, age, unemployed),
        H["district"]: in_charge.name,
        H["status"]: status,
        H["deregistration_reason"]: str(rng.choice((2, 3, 10, 11))) if status == "已注销" else "",
        H["accepts_messages"]: "否" if rng.random() < 0.05 else "是",
        H["note"]: rng.choice(_NOTES) if rng.random() < 0.08 else "",
    }
    if live_street is home_street and rng.random() < 0.1:
        row[H["residential_address"]] = rng.choice(("同户籍地址", "同上"))
    elif live_street is home_street and rng.random() < 0.5:
        row[H["residential_address"]] = row[H["household_address"]]
    else:
        row[H["residential_address"]] = addresses.home_address(rng, live_street)
    truth = {
        "id_number": id_number,
        "district": in_charge.name,
        "residence_district": live_street.district.name,
        "categories": [c.value for c in cats],
        "categories_written": bool(row[H["wanted_categories"]]),
        "birth_date": birth.isoformat(),
        "age": age,
        "beyond_retirement_age": beyond,
        "education_level": edu,
    }
    return row, truth


def generate_persons_with_truth(
    n: int, seed: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Generate ``n`` persons and their ground truth.

    Parameters
    ----------
    n : int
        Number of persons.
    seed : int
        Same seed, same rows.

    Returns
    -------
    tuple of (rows, truth)
        ``rows[i]`` maps canonical Chinese headers to cell values; ``truth[i]`` has
        ``id_number``, ``district`` (in charge), ``residence_district``, ``categories``
        (the wish behind 岗位意愿, also when the cell is left blank), ``categories_written``,
        ``birth_date``, ``age`` (on 2024-10-21), ``beyond_retirement_age``, ``education_level``.
    """
    if n < 0:
        raise ValueError(f"n 不能为负数 / n must be ≥ 0, got {n}")
    rng = random.Random(f"persons-{seed}")
    rows, truth = [], []
    seen: set[str] = set()
    while len(rows) < n:
        row, t = make_person(rng)
        if t["id_number"] in seen:  # the same ID twice would be one person registered twice
            continue
        seen.add(t["id_number"])
        rows.append(row)
        truth.append(t)
    return rows, truth


def generate_persons(n: int, seed: int) -> list[dict[str, Any]]:
    """Generate ``n`` person rows keyed by canonical Chinese headers (see
    :func:`generate_persons_with_truth` for the truth)."""
    return generate_persons_with_truth(n, seed)[0]
