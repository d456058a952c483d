"""Wording shared by every category: title decorations, working hours, general needs, contact
titles, education texts, shop-name stems (字号) and the deliberate typing slips.

Written for this project; no text is copied from any data set.
"""

from __future__ import annotations

from matching.generator.phrases.vocab import words

# Title decorations: recruiting words before, selling points after.
TITLE_PREFIXES = words("急招 诚聘 高薪招聘 招聘 长期招 直招 急聘 高薪诚聘 本地招 现招")
TITLE_SUFFIXES = words(
    "长白班 五险一金 包吃住 日结 做六休一 月入6000+ 多劳多得 周结 双休 包住 就近上班 "
    "可兼职 缴社保 男女不限 待遇优厚"
)
TITLE_QUALIFIERS = words("有证优先 限本地 45岁以下 50岁以内 男女不限 有经验优先 可培训 熟手")
HOURS = (
    "长白班",
    "做六休一",
    "早8晚5",
    "两班倒",
    "三班倒",
    "8:00-17:00",
    "早九晚六",
    "月休4天",
    "上一休一",
    "做五休二",
    "8小时工作制",
    "12小时两班倒",
    "弹性工作时间",
    "白班为主，偶尔加班",
    "早7点到下午3点",
)
GENERAL_NEEDS = words("身体健康 吃苦耐劳 有责任心 服从安排 无不良嗜好 踏实肯干 能长期干 人品端正")
CONTACT_TITLES = words("经理 女士 先生 主管 店长 师傅")
EDU_TEXTS: dict[int, tuple[str, ...]] = {
    0: ("学历不限", "不限学历", "学历无要求"),
    2: ("初中以上学历", "初中及以上", "初中以上"),
    3: ("高中以上学历", "中专及以上学历", "高中或中专以上"),
    4: ("大专以上学历", "大专及以上学历", "专科以上"),
    5: ("本科及以上学历", "全日制本科以上"),
}
EDU_COLUMN: dict[int, tuple[str, ...]] = {
    0: ("不限", "", "学历不限"),
    2: ("初中", "初中及以上", "初中以上"),
    3: ("高中", "中专", "高中/中专及以上"),
    4: ("大专", "大专及以上", "专科"),
    5: ("本科", "本科及以上"),
}
# Shop and company name stems (字号), invented and common-sounding.
BRANDS = words(
    "鑫隆 瑞丰 华泰 宏达 金海 恒通 德顺 津城 海河 众诚 利民 天宇 嘉禾 博远 同兴 福源 盛世 "
    "汇通 新港 明达 永康 安泰 佳和 东盛 凯达 荣昌 泽润 康乐 百佳 优家 顺达 万家 祥和 "
    "益民 鼎盛 华康 金桥 润发 长城 海天 惠民 晨光 和美 津通 聚源 广顺 兴业 新亚 德众 "
    "鸿运 联创 宝丰 天顺 友邦 乐家 馨怡 佰川 志诚 通达"
)
# Deliberate slips, as in hand-typed postings; each keeps the category readable.
TYPOS: dict[str, str] = {
    "工作": "工做",
    "待遇": "代遇",
    "吃苦耐劳": "吃苦耐老",
    "身体健康": "身体建康",
    "以上": "已上",
    "负责": "负则",
    "优先": "有先",
}
