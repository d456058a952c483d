"""Issue 14, kind 1: categories of real postings, by the failure kinds seen on job boards.

Titles and descriptions are written here in employers' style for this test (not taken from the
training data, the phrasebook or judged-dev). Each table is one failure kind: the title names
the job, the description carries wording that used to outvote it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from matching.domain.categories import Category
from matching.understand.classifier import classify_job, default_model
from matching.understand.classifier.calibration import apply_combiner, fit_combiner, log_views
from matching.understand.classifier.examples import Example, judged_postings, without_judged

A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, Q, R = Category  # noqa: E741

BOILERPLATE = "要求沟通能力强，服务意识好，能完成公司下达的业绩任务，维护好客户关系，多劳多得。"

# 1. recruiting boilerplate (客户、沟通、业绩、任务) must not drag a named job to F
NOT_SALES = [
    ("大型超市诚聘收银员", BOILERPLATE + "负责收银台结账，早晚两班。", M),
    ("社区生鲜店收银", "热情接待每位客户，完成每日营业任务，月底有业绩奖。", M),
    ("美容院招美容师", BOILERPLATE + "负责顾客面部护理和身体护理，提供培训。", K),
    ("高端会所美容技师", "为到店客户做皮肤护理，善于沟通，业绩提成另算。", K),
    ("财富公司理财顾问", BOILERPLATE + "为客户提供基金和保险配置建议，金融专业优先。", E),
    ("村镇银行柜员", "办理储蓄业务，服务客户，完成网点存款任务，五险一金。", E),
    ("连锁门店储备干部", BOILERPLATE + "应届毕业生可投，入职后轮岗学习，半年后定岗。", Q),
    ("餐饮集团管培生2025届", "公司带教培养，轮岗前厅后厨，考核完成任务后晋升主管。", Q),
]

# 2. a trailing 工 must not drag construction trades to J
CONSTRUCTION = [
    ("工地急招钢筋工", "住宅项目主体施工，包住，工资月结，有活干。", O),
    ("架子工数名", "外架搭设和拆除，持证上岗，工地管吃住。", O),
    ("模板工 木工支模", "高层现浇模板，按平方计价，班组长期招人。", O),
    ("混凝土工", "负责现场浇筑振捣养护，工程项目部直招。", O),
]

# 3. software, research and culture jobs belong to R, not O or J
OTHER = [
    ("Java开发工程师", "负责公司业务系统的后端开发，完成需求迭代任务，本科计算机专业。", R),
    ("软件测试工程师", "编写测试用例，执行功能测试，跟踪缺陷，与开发团队沟通。", R),
    ("研究所科研助理", "协助研究员开展实验，整理实验数据，撰写报告，硕士优先。", R),
    ("文化传媒公司新媒体编辑", "负责公众号和短视频文案，策划选题，文字功底扎实。", R),
    ("少儿美术培训老师", "给孩子上绘画课，有教师资格证优先，周末上班。", R),
]

# 4. the thin categories: P, G, N, C, Q
THIN = [
    ("蔬菜基地招种菜工人", "大棚西红柿黄瓜种植管理，浇水打杈，包吃住，年龄六十以内。", P),
    ("肉牛养殖场饲养员", "负责喂料、清粪、观察牛只健康，场内有宿舍。", P),
    ("苗木公司招绿化苗圃工", "起苗、栽植、修剪，按天计工资。", P),
    ("汽修厂招机修工", "负责车辆保养、故障维修，有两年以上修车经验。", G),
    ("洗车美容店招洗车工", "精洗、打蜡、内饰清洁，做六休一，管午饭。", G),
    ("4S店钣金喷漆师傅", "事故车钣金修复和喷漆，技术好待遇高。", G),
    ("二甲医院招聘护士", "病房护理工作，持护士执业证书，能接受夜班。", N),
    ("连锁药店执业药师", "负责处方审核和用药指导，持执业药师证。", N),
    ("口腔诊所护士", "协助医生诊疗，器械消毒，接待患者。", N),
    ("美团专送骑手", "片区送餐，自备电动车，按单计费，多劳多得。", C),
    ("快递网点派件员", "负责片区快递派送和揽收，计件工资，有电动三轮车。", C),
    ("同城跑腿代办员", "帮客户代买代送，时间灵活，手机接单。", C),
    ("就业见习岗位（文秘方向）", "面向离校未就业高校毕业生，见习期内发放见习补贴。", Q),
    ("暑期大学生实习生", "在校生暑假实习，协助部门整理资料，提供实习证明。", Q),
]


@pytest.mark.parametrize(
    "title, description, expected",
    NOT_SALES + CONSTRUCTION + OTHER + THIN,
    ids=[t for t, _, _ in NOT_SALES + CONSTRUCTION + OTHER + THIN],
)
def test_real_wording_category(title: str, description: str, expected: Category) -> None:
    pred = classify_job(title, description)
    assert pred.category is expected, pred.top(3)


@pytest.mark.parametrize("title, description, expected", NOT_SALES + CONSTRUCTION)
def test_title_outweighs_description(title: str, description: str, expected: Category) -> None:
    """The same title with the description of another kind of job keeps the title's category."""
    other = "负责客户开发与维护，完成销售业绩，沟通能力强，底薪加提成。"
    assert classify_job(title, description + other).category is expected


def test_probabilities_are_calibrated_not_saturated() -> None:
    """A clear title is confident; an empty one is not (the combiner is a calibration)."""
    clear = classify_job("小区保洁员", "负责楼道卫生，做六休一")
    vague = classify_job("招聘", "")
    assert clear.confidence > 0.6
    assert vague.confidence < clear.confidence
    assert sum(vague.probabilities.values()) == pytest.approx(1.0)


def test_shipped_model_weighs_the_title() -> None:
    model = default_model()
    assert model is not None
    weights = dict(zip(("title", "text", "lexicon"), model.weights_, strict=True))
    assert weights["title"] > 0 and weights["text"] > 0


def test_combiner_trusts_the_informative_view() -> None:
    rng = np.random.default_rng(0)
    n, k = 600, 4
    y = rng.integers(0, k, n)
    good = np.full((n, k), 0.1)
    good[np.arange(n), y] = 0.7
    noise = rng.dirichlet(np.ones(k), n)
    logs = log_views([good, noise])
    weights, bias = fit_combiner(logs, y)
    assert weights[0] > 3 * weights[1]
    p = apply_combiner(logs, weights, bias)
    assert np.allclose(p.sum(axis=1), 1.0)
    assert np.mean(p.argmax(axis=1) == y) == 1.0


def test_without_judged_drops_measuring_postings(shared_data: Path) -> None:
    judged = judged_postings(shared_data)
    if not judged:
        pytest.skip("judged-dev/postings.jsonl absent")
    first = judged[0]
    leaked = [
        Example(f"{first['title']}\n{first['description']}", Category(first["category"]),
                "posting", "x"),
        Example(f"任意标题\n前文 {judged[1]['description']} 后文", Category.F, "posting", "y"),
        Example("保洁员\n负责小区卫生", Category.A, "phrase", "z"),
    ]  # fmt: skip
    kept = without_judged(leaked, shared_data)
    assert [e.group for e in kept] == ["z"]


def test_training_set_holds_no_judged_posting(shared_data: Path) -> None:
    """judged-dev is for measuring: no description, no posting, no specific title in training.

    Generic job names (电工, 收银员) are the language's own and appear everywhere; a title of
    8 characters or more ("社区网格员助理（公益性岗位）") is the annotator's wording.
    """
    from matching.understand.classifier import build_examples

    judged = judged_postings(shared_data)
    if not judged:
        pytest.skip("judged-dev/postings.jsonl absent")
    examples = build_examples(shared_data)
    texts = [e.text for e in examples]
    titles = {t.partition("\n")[0] for t in texts}
    for r in judged:
        assert not any(r["description"] in t for t in texts), r["id"]
        assert f"{r['title']}\n{r['description']}" not in texts, r["id"]
        if len(r["title"]) >= 8:
            assert r["title"] not in titles, r["id"]


def test_judged_dev_top1(shared_data: Path) -> None:
    """The issue's bar on judged-dev's 240 labelled postings (measured, never trained on)."""
    from matching.understand.classifier import score_judged

    result = score_judged(default_model(), shared_data)
    if result is None:
        pytest.skip("judged-dev/postings.jsonl absent")
    assert result["top1"] >= 0.85, result["misses"]
