"""Generated job postings: community/flexible jobs and enterprise vacancies across Tianjin.

Rows are keyed by the canonical headers of :data:`matching.domain.columns.POSTING_HEADERS`; the
truth (category, district, salary numbers) is returned beside them, never in the sheet.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from matching.domain import divisions
from matching.domain.categories import LABELS, Category
from matching.domain.columns import POSTING_HEADERS
from matching.generator import addresses, groups, phrases
from matching.generator.salary import pick_format, render_salary

H: dict[str, str] = {field: headers[0] for field, headers in POSTING_HEADERS.items()}

# Community and flexible jobs are the bulk of what streets collect; weights per category.
_CATEGORY_WEIGHTS: dict[Category, float] = {
    Category.A: 10, Category.B: 8, Category.C: 9, Category.D: 5, Category.E: 4, Category.F: 7,
    Category.G: 3, Category.H: 9, Category.I: 10, Category.J: 10, Category.K: 4, Category.L: 3,
    Category.M: 8, Category.N: 4, Category.O: 4, Category.P: 2, Category.Q: 2, Category.R: 4,
}  # fmt: skip
# Rough share of jobs by district (population and industry), report order.
_DISTRICT_WEIGHTS: tuple[float, ...] = (14, 4, 6, 7, 7, 5, 4, 6, 7, 5, 6, 7, 4, 4, 3, 3)
_FIRST_DAY = dt.date(2024, 9, 15)
_FULLWIDTH_PUNCT = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）"})
_HALFWIDTH_PUNCT = str.maketrans({"，": ",", "：": ":", "；": ";", "（": "(", "）": ")"})


def _title(
    rng: random.Random, cat: Category, core: str, district: divisions.District, pay_hint: str
) -> str:
    v = phrases.VOCAB[cat]
    places = groups.job_group(cat, core).places
    r = rng.random()
    if r < 0.22:
        return core
    if r < 0.38:
        return rng.choice(phrases.TITLE_PREFIXES) + core
    if r < 0.50:
        place = rng.choice(places)
        return core if core.startswith(place) else place + core
    if r < 0.62:
        return f"{core} {rng.choice(phrases.TITLE_SUFFIXES)}"
    if r < 0.74:
        perk = rng.choice(v.perks)
        tail = f"，{pay_hint}" if pay_hint else ""
        return f"{rng.choice(phrases.TITLE_PREFIXES)}{core}，{perk}{tail}"
    if r < 0.84:
        return f"{core}（{rng.choice(phrases.TITLE_QUALIFIERS + v.needs[:3])}）"
    if r < 0.93:
        return rng.choice((district.name, district.short)) + rng.choice(("", "急招", "招")) + core
    extra = rng.sample(phrases.TITLE_SUFFIXES, 2)
    place = rng.choice(places)
    place = "" if core.startswith(place) else place
    return f"招聘{place}{core} {extra[0]} {extra[1]}"


def _pay_hint(rng: random.Random, salary: dict[str, Any]) -> str:
    """What a title says about pay, agreeing with the salary cell: "4000起", "月入6000+",
    "日结200"; empty when the pay is not a plain monthly or daily amount."""
    lo = salary["min"]
    if lo is None or salary["commission"]:
        return ""
    if salary["unit"] == "day":
        return rng.choice((f"日结{lo}", f"{lo}元一天"))
    if salary["unit"] != "month":
        return ""
    return rng.choice((f"{lo}起", f"月入{lo}+", f"工资{lo}以上", f"保底{lo}"))


def _age_text(rng: random.Random, cat: Category) -> tuple[str, str]:
    """(description phrase, 年龄要求 cell)."""
    lo = rng.choice((16, 18, 18, 18, 20, 22))
    hi = rng.choice((35, 40, 45, 50, 50, 55, 55, 60)) if cat is not Category.Q else 30
    forms = (
        (f"年龄{lo}-{hi}岁", f"{lo}-{hi}岁"),
        (f"{lo}至{hi}周岁", f"{lo}-{hi}周岁"),
        (f"{hi}岁以下", f"{hi}岁以下"),
        (f"男女不限，{hi}岁以内", f"{hi}岁以内"),
        ("年龄不限", "不限"),
    )
    return rng.choice(forms)


def _numbered(rng: random.Random, items: list[str]) -> str:
    style = rng.randrange(4)
    if style == 0:
        return "；".join(f"{i}、{s}" for i, s in enumerate(items, 1)) + "。"
    if style == 1:
        return " ".join(f"{i}.{s}" for i, s in enumerate(items, 1))
    if style == 2:
        return "，".join(items) + "。"
    return " ".join(items)


def _description(
    rng: random.Random,
    cat: Category,
    core: str,
    *,
    age: str,
    edu: str,
    hours: str,
    address: str,
    salary: str,
) -> str:
    v = phrases.VOCAB[cat]
    pool = groups.job_group(cat, core).duties
    duties = rng.sample(pool, min(len(pool), rng.randint(1, 3)))
    needs = [age, edu, *rng.sample(v.needs, rng.randint(0, 2))]
    needs += rng.sample(phrases.GENERAL_NEEDS, rng.randint(0, 2))
    perks = rng.sample(v.perks, rng.randint(1, 3))
    style = rng.randrange(4)
    if style == 0:
        text = (
            f"岗位职责：{_numbered(rng, duties)} 任职要求：{_numbered(rng, needs)} "
            f"薪资福利：{salary}，{'，'.join(perks)}。工作时间：{hours}。"
        )
    elif style == 1:
        text = f"{'，'.join(duties)}。{'，'.join(needs)}。{'，'.join(perks)}，{hours}。"
    elif style == 2:
        text = f"{duties[0]}，{rng.choice(v.needs)}，{' '.join(perks)}"
    else:
        text = f"要求：{' '.join(needs)} 待遇：{salary} {' '.join(perks)} {hours}"
    if address and rng.random() < 0.5:
        text += f" 工作地点：{address}"
    if rng.random() < 0.3:
        surname = rng.choice("王李张刘陈杨赵黄周吴孙马")
        text += f" 联系人：{surname}{rng.choice(phrases.CONTACT_TITLES)}"
    return _noise(rng, text)


def _noise(rng: random.Random, text: str) -> str:
    """Typos, mixed-width punctuation and doubled spaces, sparingly."""
    if rng.random() < 0.04:
        for right, wrong in rng.sample(sorted(phrases.TYPOS.items()), 2):
            if right in text:
                text = text.replace(right, wrong, 1)
                break
    r = rng.random()
    if r < 0.08:
        text = text.translate(_HALFWIDTH_PUNCT)
    elif r < 0.12:
        text = text.translate(_FULLWIDTH_PUNCT)
    if rng.random() < 0.05:
        text = text.replace(" ", "  ", 1).replace("。", "。 ", 1)
    return text


def _category_cell(rng: random.Random, cat: Category) -> str:
    """岗位类别 as bureau staff fill it in; empty for about 40 % of rows."""
    if rng.random() < 0.4:
        return ""
    return rng.choice(
        (cat.value, f"{cat.value} {LABELS[cat]}", LABELS[cat], f"{cat.value}{LABELS[cat]}")
    )


def _phone(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.25:
        return ""
    if r < 0.45:
        return f"022-{rng.choice('2568')}{rng.randint(0, 9999999):07d}"
    return f"1{rng.choice(('3', '5', '8', '9', '7'))}{rng.randint(0, 999999999):09d}"


def _date_text(rng: random.Random, day: dt.date) -> str:
    r = rng.random()
    if r < 0.8:
        return day.isoformat()
    if r < 0.9:
        return f"{day.year}/{day.month}/{day.day}"
    return f"{day.year}年{day.month}月{day.day}日"


def _employer(rng: random.Random, cat: Category, core: str, street: addresses.Street) -> str:
    d = street.district
    return rng.choice(groups.job_group(cat, core).employers).format(
        brand=rng.choice(phrases.BRANDS),
        district=d.name,
        short=d.short,
        street=street.local_name,
        road=addresses.pick_road(rng, street),
        community=addresses.community_name(rng),
    )


def make_posting(
    rng: random.Random, index: int, seed: int, cat: Category, district: divisions.District
) -> tuple[dict[str, Any], dict[str, Any]]:
    """One posting row and its truth."""
    v = phrases.VOCAB[cat]
    street = rng.choice(addresses.streets_by_district()[district.code])
    address = addresses.workplace_address(rng, street) if rng.random() < 0.95 else ""
    fmt = pick_format(rng, cat)
    salary_text, salary_truth = render_salary(rng, fmt, v.pay)
    age_desc, age_cell = _age_text(rng, cat)
    edu_level = max(0, min(5, v.edu + rng.choice((-2, -1, 0, 0, 0, 1))))
    edu_level = edu_level if edu_level != 1 else 0
    edu_desc = rng.choice(phrases.EDU_TEXTS[edu_level])
    hours = rng.choice(phrases.HOURS)
    core = rng.choice(v.cores)
    description = _description(
        rng,
        cat,
        core,
        age=age_desc,
        edu=edu_desc,
        hours=hours,
        address=address,
        salary=salary_text.strip(),
    )
    if v.community and rng.random() < 0.25:
        description += f"（{street.local_name}{addresses.community_name(rng)}社区征集）"
    valid_from = _FIRST_DAY + dt.timedelta(days=rng.randint(0, 150))
    valid_until = valid_from + dt.timedelta(days=rng.choice((15, 30, 30, 45, 60, 90)))
    district_cell = ""
    if rng.random() < 0.7:
        district_cell = district.name if rng.random() < 0.85 else district.short
    headcount: int | str = (
        rng.choice((1, 1, 2, 2, 3, 5, 5, 10, 20, 30)) if rng.random() < 0.6 else rng.randint(1, 30)
    )
    if rng.random() < 0.08:
        headcount = "若干"
    elif rng.random() < 0.1:
        headcount = f"{headcount}人"
    source_id = f"sample-{seed}-{index:06d}"
    row: dict[str, Any] = {
        H["title"]: _title(rng, cat, core, district, _pay_hint(rng, salary_truth)),
        H["description"]: description,
        H["employer"]: _employer(rng, cat, core, street),
        H["address"]: address,
        H["district"]: district_cell,
        H["salary_text"]: salary_text,
        H["headcount"]: headcount,
        H["education_min"]: rng.choice(phrases.EDU_COLUMN[edu_level]),
        H["age_text"]: age_cell if rng.random() < 0.8 else "",
        H["experience_text"]: rng.choice(("不限", "1年以上", "有经验优先", "无经验可培训", "", "")),
        H["category"]: _category_cell(rng, cat),
        H["valid_from"]: _date_text(rng, valid_from),
        H["valid_until"]: _date_text(rng, valid_until),
        H["filled"]: "是" if rng.random() < 0.03 else rng.choice(("否", "")),
        H["source"]: "sample",
        H["source_id"]: source_id,
        H["contact_phone"]: _phone(rng),
    }
    truth = {
        "source_id": source_id,
        "category": cat.value,
        "district": district.name,
        "street": street.name,
        "community_job": v.community,
        "salary": salary_truth,
        "valid_from": valid_from.isoformat(),
        "valid_until": valid_until.isoformat(),
    }
    return row, truth


def generate_postings_with_truth(
    n: int, seed: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Generate ``n`` postings and their ground truth.

    The first 18 rows cover every category and the first 16 every district, so any ``n ≥ 18``
    covers both; the rest follow realistic weights.

    Parameters
    ----------
    n : int
        Number of postings.
    seed : int
        Same seed, same rows.

    Returns
    -------
    tuple of (rows, truth)
        ``rows[i]`` maps canonical Chinese headers to cell values; ``truth[i]`` has
        ``source_id``, ``category`` (code), ``district`` (full name), ``street``,
        ``community_job``, ``salary`` (format key and numbers), ``valid_from``/``valid_until``.
    """
    if n < 0:
        raise ValueError(f"n 不能为负数 / n must be ≥ 0, got {n}")
    rng = random.Random(f"postings-{seed}")
    cats = list(_CATEGORY_WEIGHTS)
    cat_w = list(_CATEGORY_WEIGHTS.values())
    rows, truth = [], []
    for i in range(n):
        cat = cats[i] if i < len(cats) else rng.choices(cats, weights=cat_w)[0]
        if i < len(divisions.DISTRICTS):
            district = divisions.DISTRICTS[i]
        else:
            district = rng.choices(divisions.DISTRICTS, weights=_DISTRICT_WEIGHTS)[0]
        row, t = make_posting(rng, i, seed, cat, district)
        rows.append(row)
        truth.append(t)
    return rows, truth


def generate_postings(n: int, seed: int) -> list[dict[str, Any]]:
    """Generate ``n`` posting rows keyed by canonical Chinese headers (see
    :func:`generate_postings_with_truth` for the truth)."""
    return generate_postings_with_truth(n, seed)[0]
