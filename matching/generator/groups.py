"""Job groups inside heterogeneous categories: title keywords → fitting duties, employers, places.

A 图书管理员 and a 视频剪辑师 are both R (其他); without groups a generated posting could pair
one's title with the other's duties. Written for this project; no text copied from any data set.
"""

from __future__ import annotations

from dataclasses import dataclass

from matching.domain.categories import Category
from matching.generator.phrases import VOCAB
from matching.generator.phrases import words as _t

C = Category


# Categories whose jobs differ a lot inside: a title core containing one of a group's keywords
# gets that group's duties, employers and workplaces, so a 图书管理员 does not edit videos in a
# photo studio.
@dataclass(frozen=True, slots=True)
class JobGroup:
    """Keywords of title cores and what goes with them (empty = the category's own)."""

    keywords: tuple[str, ...]
    duties: tuple[str, ...]
    employers: tuple[str, ...] = ()
    places: tuple[str, ...] = ()


G = JobGroup
JOB_GROUPS: dict[Category, tuple[JobGroup, ...]] = {
    C.R: (
        G(_t("幼 保育"), _t("负责幼儿日常保育和教学 组织幼儿游戏和户外活动 做好家园沟通"),
          ("{brand}幼儿园", "{district}{brand}幼儿园"), _t("幼儿园 托育园")),
        G(_t("讲师 老师 教培 托管"), _t("负责课程讲授和课后辅导 负责学员课后作业辅导 配合教研做好备课"),
          ("天津{brand}教育培训学校", "{brand}艺术培训中心", "{brand}托管班"), _t("培训学校 托管班")),
        G(_t("摄影"), _t("负责拍摄和后期修图 负责影棚布光和道具准备"),
          ("{brand}摄影工作室", "{brand}婚纱摄影"), _t("工作室 影楼")),
        G(_t("IT 网络 软件"), _t("负责公司电脑网络设备维护 负责服务器巡检和系统备份 负责软件功能测试"),
          ("天津{brand}网络科技有限公司", "天津{brand}信息技术有限公司"), _t("公司 园区")),
        G(_t("设计 美工"), _t("负责海报和宣传单设计 负责电商详情页制作"),
          ("{brand}文化传媒有限公司", "{brand}广告有限公司"), _t("公司 工作室")),
        G(_t("翻译"), _t("负责资料翻译和陪同口译 负责外贸函电往来"),
          ("天津{brand}翻译服务有限公司", "{brand}国际贸易（天津）有限公司")),
        G(_t("社区 网格 公益 社工"), _t("负责网格巡查和信息采集 负责居民服务和政策宣传 协助开展为老服务活动"),
          ("{street}{community}社区居委会", "{district}{street}办事处", "{district}{brand}社会工作服务中心"),
          _t("社区 街道")),
        G(_t("直播 新媒体 剪辑 文案"), _t("负责直播间运营 负责短视频剪辑 负责公众号文案撰写"),
          ("{brand}文化传媒有限公司", "天津{brand}电子商务有限公司")),
        G(_t("图书"), _t("负责图书借还和上架整理 负责阅览室秩序维护"),
          ("{district}{brand}书院", "{brand}书店"), _t("书店 阅览室")),
        G(_t("律师"), _t("负责案卷整理和法律文书起草 协助律师接待当事人"), ("天津{brand}律师事务所",)),
        G(_t("心理"), _t("负责来访者心理咨询 组织心理健康讲座"), ("{brand}心理咨询中心",)),
        G(_t("安检"), _t("负责旅客及行李安全检查 负责安检通道秩序维护"),
          ("天津{brand}安检服务有限公司",), _t("地铁站 车站")),
    ),
    C.H: (
        G(_t("保安 门卫 秩序 巡逻"), _t("负责门岗值班，车辆进出登记 巡逻和监控室值守 负责外来人员登记"),
          ("{brand}保安服务有限公司", "天津{brand}物业服务有限公司")),
        G(_t("管家 客服 经理"), _t("负责物业费催缴和业主投诉处理 处理业主报修 负责小区日常巡查"),
          ("天津{brand}物业服务有限公司", "{brand}物业管理有限公司{community}项目部")),
        G(_t("装修 瓦工 木工 油工 刷墙 防水"), _t("负责室内装修贴砖、刷漆 负责卫生间防水施工 负责吊顶和木作安装"),
          ("{brand}装饰工程有限公司", "天津{brand}家装公司"), _t("家装 装修队")),
        G(_t("空调 家电 手机 开锁"), _t("负责空调安装移机维修 负责家电上门维修 负责上门开锁换锁芯"),
          ("天津{brand}家电维修服务部", "{brand}制冷设备安装部", "{brand}开锁修锁部"), _t("维修部 门店")),
        G(_t("电梯"), _t("负责电梯日常维护保养 负责电梯故障应急处理"), ("天津{brand}电梯工程有限公司",)),
    ),
    C.N: (
        G(_t("药"), _t("负责药品调配，审核处方 负责药品销售和陈列 负责药品效期检查"),
          ("天津{brand}大药房连锁有限公司{road}店", "{brand}医药连锁{street}店"), _t("药店 药房")),
        G(_t("口腔"), _t("负责口腔诊疗配台 负责器械消毒"), ("{brand}口腔门诊部",), _t("口腔诊所")),
        G(_t("护士 护理 护工 陪护"), _t("负责病人基础护理 协助患者翻身、喂饭、清洁 负责住院老人日常护理"),
          ("天津市{short}{brand}医院", "天津{brand}护理院", "{brand}康复医院", "{brand}养老院"),
          _t("医院 养老院 护理院")),
        G(_t("导医 收费"), _t("负责门诊导诊分诊 负责门诊挂号收费"),
          ("天津市{short}{brand}医院", "{district}{street}社区卫生服务中心"), _t("医院 门诊")),
        G(_t("康复 理疗"), _t("负责康复训练指导 负责理疗设备操作"), ("{brand}康复医院", "{brand}康复中心")),
    ),
    C.I: (
        G(_t("服务员 传菜 领班 点餐 打饭"), _t("负责客人点菜、上菜、收台 负责包间服务 负责餐厅卫生")),
        G(_t("厨 切配 配菜 烧烤"), _t("负责热菜制作 负责菜品切配、备料 负责食堂一日三餐")),
        G(_t("面点 早点 包子 煎饼"), _t("负责面食早点制作 负责包子、油条、豆浆制作"),
          ("{brand}包子铺", "{brand}早点铺", "天津{brand}团餐管理有限公司"), _t("早点铺 食堂")),
        G(_t("洗碗 杂工"), _t("负责后厨洗碗清洁 负责餐具消毒和垃圾清运")),
        G(_t("奶茶 咖啡"), _t("负责饮品制作和收银 负责门店卫生和原料备货"),
          ("{brand}茶饮店", "{brand}咖啡馆"), _t("商场 门店")),
    ),
    C.L: (
        G(_t("导游 旅游 旅行 计调 讲解 售票"), _t("负责团队接待和带团讲解 负责旅游线路咨询和报名 负责景区游客讲解"),
          ("天津{brand}国际旅行社有限公司", "{brand}旅游开发有限公司"), _t("旅行社 景区")),
        G(_t("免税"), _t("负责免税商品介绍和销售 负责商品陈列和盘点"), ("{brand}免税店",), _t("免税店 口岸")),
        G(_t("客房 布草"), _t("负责客房清扫、整理床铺、补充用品 负责布草收发和清点"),
          ("天津{brand}大酒店", "{brand}快捷酒店（{road}店）"), _t("酒店 宾馆")),
        G(_t("酒店 前台 礼宾 行李 宴会 收银 夜审 大堂 民宿"),
          _t("负责客人入住和退房登记 负责宴会摆台和服务 负责夜间账目审核 负责客人行李寄存"),
          ("天津{brand}大酒店", "{brand}酒店管理有限公司", "{brand}快捷酒店（{road}店）", "{brand}民宿"),
          _t("酒店 宾馆")),
    ),
    C.B: (
        G(_t("司机 驾驶"), _t("负责厢式货车市内配送 跑天津周边短途 负责车辆日常检查保养 接送员工上下班")),
        G(_t("叉车 装卸 搬运"), _t("驾驶叉车装卸货物 负责园区货物装卸搬运")),
    ),
    C.E: (
        G(_t("保险"), _t("为客户讲解保险产品，做好售后服务 负责保险理赔资料收集"),
          ("{brand}保险代理有限公司", "{brand}人寿保险天津{short}营销服务部")),
        G(_t("银行 信贷 理财"), _t("协助办理贷款资料审核 负责客户理财咨询"),
          ("天津{brand}小额贷款有限公司", "{brand}村镇银行{short}支行")),
        G(_t("会计 出纳 财务 核算 结算 审计 代账"),
          _t("负责日常费用报销审核 负责现金和银行存款收付 编制记账凭证，登记账簿 每月按时申报纳税 "
             "负责往来账核对 编制月度财务报表 负责发票开具和管理"),
          ("{brand}财务咨询有限公司", "天津{brand}会计服务有限公司", "天津{brand}税务师事务所",
           "天津{brand}实业有限公司", "天津{brand}商贸有限公司")),
    ),
    C.F: (
        G(_t("客服 话务"), _t("接听客户来电，处理投诉和咨询 负责线上平台客户咨询回复 负责客户回访和满意度调查")),
    ),
}  # fmt: skip


def job_group(category: Category, core: str) -> JobGroup:
    """What fits a title core: its group's duties, employers and places where a keyword
    matches; the category's own otherwise (and for whatever the group leaves empty)."""
    v = VOCAB[category]
    for group in JOB_GROUPS.get(category, ()):
        if any(k in core for k in group.keywords):
            return JobGroup(
                group.keywords,
                group.duties or v.duties,
                group.employers or v.employers,
                group.places or v.places,
            )
    return JobGroup((), v.duties, v.employers, v.places)
