"""Wording for generated postings and persons, one entry per job category.

Written for this project in the style of small-employer postings (short, colloquial, perks
first); no text is copied from any data set. ``{brand}``, ``{district}``, ``{short}`` (district without 区),
``{street}``, ``{road}`` and ``{community}`` in employer templates are filled in by
:mod:`matching.generator.postings`.
"""

from __future__ import annotations

from dataclasses import dataclass

from matching.categories import Category


@dataclass(frozen=True, slots=True)
class CategoryVocab:
    """Everything the generator writes for one category.

    ``cores`` are title nouns, ``places`` title prefixes naming the workplace, ``duties`` /
    ``needs`` / ``perks`` description phrases, ``employers`` name templates, ``pay`` the range
    of a monthly minimum in yuan, ``edu`` the usual minimum education (0 none .. 5 本科),
    ``community`` whether streets/communities collect such jobs (便民商业, 物业, 家政, 快递外卖).
    For persons: ``skills`` (专业/技能 phrases), ``positions`` (工作经历), and the preference
    model ``male``/``female`` weights, preferred ``ages`` and minimum ``person_edu``.
    """

    cores: tuple[str, ...]
    places: tuple[str, ...]
    duties: tuple[str, ...]
    needs: tuple[str, ...]
    perks: tuple[str, ...]
    employers: tuple[str, ...]
    pay: tuple[int, int]
    edu: int
    community: bool
    skills: tuple[str, ...]
    positions: tuple[str, ...]
    male: float
    female: float
    ages: tuple[int, int]
    person_edu: int


def _t(text: str) -> tuple[str, ...]:
    return tuple(text.split())


C = Category
VOCAB: dict[Category, CategoryVocab] = {
    C.A: CategoryVocab(
        cores=_t(
            "保洁员 保洁阿姨 保洁工 家政服务员 住家保姆 不住家保姆 育儿嫂 月嫂 钟点工 小时工 "
            "清洁工 开荒保洁 擦玻璃工 做饭阿姨 家务助理 保洁领班 居家养老护理员 陪护老人阿姨 "
            "地毯清洗工 外墙清洗工 家政保洁员 白班保姆"
        ),
        places=_t("小区 写字楼 商场 医院 学校 地铁站 银行 菜市场 居民家庭 政府机关"),
        duties=_t(
            "负责楼道、电梯间日常清扫 负责公共区域卫生清洁 擦拭门窗玻璃和扶手 垃圾分类清运 "
            "照顾老人饮食起居 做饭、洗衣、打扫卫生 照看婴幼儿，辅助喂养 产妇护理，新生儿洗澡抚触 "
            "上门做家务，按小时计费 新房开荒，清洗油烟机 卫生间清洁消毒 办公区桌面地面保洁 "
            "陪老人聊天、散步、买菜 商场卫生间及通道保洁"
        ),
        needs=_t(
            "有家政经验优先 持健康证 有育婴员证优先 会做北方家常菜 能住家 手脚勤快爱干净 "
            "有月嫂证者优先 身体好能干活 人品好无不良嗜好"
        ),
        perks=_t("包吃住 管午饭 日结 周结 单休 可兼职 按时发薪 节日福利 雇主家庭和睦 工作轻松"),
        employers=(
            "{brand}家政服务有限公司",
            "天津{brand}保洁服务有限公司",
            "{brand}家政服务中心",
            "天津{brand}物业服务有限公司",
            "{short}{brand}家庭服务部",
            "{brand}清洁服务有限公司",
        ),
        pay=(3500, 6000),
        edu=0,
        community=True,
        skills=_t(
            "会做家务 持健康证 育婴员证 有保洁经验 会做饭 照顾过老人 养老护理员证 会带孩子 "
            "做过月嫂 家政服务员证"
        ),
        positions=_t("保洁员 家政服务员 保姆 育儿嫂 钟点工 清洁工 保洁领班 月嫂"),
        male=0.3,
        female=3.0,
        ages=(35, 63),
        person_edu=0,
    ),
    C.B: CategoryVocab(
        cores=_t(
            "货车司机 C1司机 A2货车司机 B2司机 仓库管理员 仓管员 库管 理货员 仓库分拣员 "
            "叉车工 叉车司机 装卸工 搬运工 物流专员 调度员 押运员 冷链司机 班车司机 拣货员 "
            "公交驾驶员 物流跟单员 厢式货车司机 仓储专员 配货员"
        ),
        places=_t("物流园 仓库 冷库 电商仓 保税区 港口 配送中心"),
        duties=_t(
            "负责厢式货车市内配送 负责仓库货物出入库登记 按单拣货、打包、发货 驾驶叉车装卸货物 "
            "负责车辆日常检查保养 跑天津周边短途 定期盘点库存 负责园区货物装卸搬运 跟车送货 "
            "安排车辆调度和司机排班 负责冷链货物运输 接送员工上下班"
        ),
        needs=_t(
            "有C1驾照 持A2驾驶证 持B2驾照 持叉车证 驾龄3年以上 熟悉天津路况 会用WMS系统优先 "
            "能上夜班 无重大事故记录"
        ),
        perks=_t("五险一金 包住宿 管三餐 车辆公司提供 油费报销 计件工资 加班费另算 全勤奖 有宿舍"),
        employers=(
            "{brand}物流（天津）有限公司",
            "天津{brand}供应链管理有限公司",
            "{brand}仓储服务有限公司",
            "天津{brand}运输有限公司",
            "天津{brand}冷链物流有限公司",
            "{brand}货运代理（天津）有限公司",
        ),
        pay=(5000, 8500),
        edu=0,
        community=False,
        skills=_t("有C1驾照 A2驾照 B2驾照 叉车证 会开叉车 仓库管理经验 熟悉天津路况 开过货车"),
        positions=_t("货车司机 仓管员 理货员 叉车工 装卸工 送货司机 调度员 库管"),
        male=3.0,
        female=0.3,
        ages=(22, 58),
        person_edu=0,
    ),
    C.C: CategoryVocab(
        cores=_t(
            "外卖骑手 外卖配送员 骑手 专送骑手 众包骑手 快递员 快递派件员 快递收派员 "
            "快递分拣员 驿站店员 快递驿站管理员 同城跑腿 跑腿代办员 闪送员 送餐员 送水工 "
            "生鲜配送员 快递揽收员 外卖小哥 跑腿小哥"
        ),
        places=_t("小区 站点 商圈 高校 片区"),
        duties=_t(
            "负责片区快递派送和揽收 接单送餐，准时送达 在驿站负责快递入库出库和取件 "
            "帮客户代买代送、代排队 负责站点包裹分拣扫描 负责周边3公里内配送 用手机APP接单 "
            "桶装水送货上门 负责生鲜订单配送"
        ),
        needs=_t("自备电动车 会用智能手机导航 熟悉周边路况 能接受风吹日晒 无不良记录 会骑电动车"),
        perks=_t("多劳多得 日结 周结 单量充足 提供电动车租赁 送意外险 时间自由 冲单奖励 可兼职"),
        employers=(
            "{brand}快递{street}营业部",
            "{brand}速运{short}分部",
            "{short}{brand}配送站",
            "{brand}城市配送服务有限公司",
            "{community}快递驿站",
            "{brand}同城跑腿服务部",
            "{brand}桶装水站",
        ),
        pay=(5000, 9000),
        edu=0,
        community=True,
        skills=_t("有电动车 会用手机导航 熟悉路况 做过骑手 送过快递 有摩托车驾照"),
        positions=_t("外卖骑手 快递员 送餐员 驿站店员 快递分拣员 配送员"),
        male=2.5,
        female=0.4,
        ages=(18, 50),
        person_edu=0,
    ),
    C.D: CategoryVocab(
        cores=_t(
            "文员 行政文员 办公室文员 行政专员 行政助理 人事专员 人事助理 招聘专员 前台 "
            "前台文员 档案管理员 资料录入员 数据录入员 内勤 办公室主任 综合管理岗 行政前台 "
            "人力资源专员 劳资员 统计员 总经理助理"
        ),
        places=_t("公司 工厂 办公室 园区"),
        duties=_t(
            "负责文件收发、整理和归档 负责来访接待和电话接听 录入数据、制作表格 "
            "办理员工入离职手续、考勤统计 负责招聘信息发布和面试安排 办公用品采购与管理 "
            "会议记录和会务安排 协助经理处理日常事务 负责工资核算和社保办理"
        ),
        needs=_t(
            "熟练使用Word、Excel等办公软件 打字速度快 有人力资源管理师证优先 形象气质佳 "
            "细心有耐心 沟通能力好 会开车优先"
        ),
        perks=_t("双休 五险一金 法定节假日休息 带薪年假 朝九晚五 工作环境好 不加班 有餐补"),
        employers=(
            "天津{brand}科技有限公司",
            "{brand}企业管理咨询有限公司",
            "天津{brand}实业有限公司",
            "{brand}人力资源服务有限公司",
            "天津{brand}商贸有限公司",
            "天津{brand}集团有限公司",
        ),
        pay=(3500, 5500),
        edu=3,
        community=False,
        skills=_t(
            "会电脑办公软件 熟练使用Excel 打字快 人力资源管理师三级 会Word、Excel 做过文员 "
            "行政管理专业 文秘专业"
        ),
        positions=_t("文员 行政专员 人事专员 前台 内勤 资料员 统计员"),
        male=0.6,
        female=2.0,
        ages=(20, 45),
        person_edu=3,
    ),
    C.E: CategoryVocab(
        cores=_t(
            "会计 出纳 会计助理 财务助理 记账会计 成本会计 总账会计 税务会计 财务专员 "
            "核算员 银行大堂助理 信贷专员 理财顾问 保险代理人 保险理赔专员 保险客户经理 "
            "结算员 审计助理 代账会计 财务文员"
        ),
        places=_t("公司 工厂 门店 集团"),
        duties=_t(
            "负责日常费用报销审核 负责现金和银行存款收付 编制记账凭证，登记账簿 每月按时申报纳税 "
            "负责往来账核对 为客户讲解保险产品，做好售后服务 协助办理贷款资料审核 编制月度财务报表 "
            "负责发票开具和管理"
        ),
        needs=_t(
            "持初级会计证 会用用友、金蝶财务软件 有中级职称优先 财会相关专业 做账经验2年以上 "
            "有保险从业经验优先 为人正直细心"
        ),
        perks=_t("双休 五险一金 年终奖 节日福利 带薪年假 高提成 下午茶"),
        employers=(
            "{brand}财务咨询有限公司",
            "天津{brand}会计服务有限公司",
            "{brand}保险代理有限公司",
            "天津{brand}小额贷款有限公司",
            "{brand}人寿保险天津{short}营销服务部",
            "天津{brand}税务师事务所",
        ),
        pay=(4000, 8000),
        edu=4,
        community=False,
        skills=_t(
            "初级会计证 会用用友软件 会用金蝶 会计专业 做过出纳 熟悉报税 保险代理资格 "
            "财务管理专业 中级会计师"
        ),
        positions=_t("会计 出纳 会计助理 财务专员 保险代理人 收银对账"),
        male=0.5,
        female=1.5,
        ages=(22, 50),
        person_edu=4,
    ),
    C.F: CategoryVocab(
        cores=_t(
            "销售代表 销售顾问 电话销售 电销专员 业务员 销售经理 客服专员 在线客服 电话客服 "
            "话务员 售后客服 市场推广 地推专员 渠道专员 招商专员 置业顾问 课程顾问 "
            "汽车销售顾问 大客户经理 客户经理 团购专员 网络销售"
        ),
        places=_t("呼叫中心 门店 售楼处 展厅 商圈"),
        duties=_t(
            "开发新客户，维护老客户 通过电话向客户介绍产品 接听客户来电，处理投诉和咨询 "
            "负责线上平台客户咨询回复 完成公司下达的销售任务 负责地推活动、扫码拉新 "
            "负责商铺招商和客户接待 负责客户回访和满意度调查"
        ),
        needs=_t(
            "普通话标准 口齿清晰 有销售经验优先 能接受挑战 抗压能力强 会开车者优先 无经验可带薪培训"
        ),
        perks=_t("底薪+提成 高提成 上不封顶 五险 周末双休 带薪培训 晋升空间大 月度奖金"),
        employers=(
            "天津{brand}营销策划有限公司",
            "{brand}电子商务有限公司",
            "天津{brand}信息技术有限公司",
            "{brand}房地产经纪有限公司",
            "{brand}教育咨询有限公司",
            "天津{brand}汽车销售服务有限公司",
        ),
        pay=(4000, 8000),
        edu=2,
        community=False,
        skills=_t("做过销售 普通话标准 沟通能力强 有客服经验 电话销售经验 市场营销专业"),
        positions=_t("销售代表 业务员 客服专员 电话销售 话务员 置业顾问 销售经理"),
        male=1.0,
        female=1.2,
        ages=(20, 45),
        person_edu=2,
    ),
    C.G: CategoryVocab(
        cores=_t(
            "汽修工 汽车维修工 汽修学徒 机修工 钣金工 喷漆工 汽车喷漆师傅 洗车工 汽车美容技师 "
            "贴膜技师 补胎工 轮胎工 汽车电工 新能源汽车维修技师 保养技师 快修店技师 电动车维修工 "
            "自行车修理工 二手车检测员 洗车美容员"
        ),
        places=_t("4S店 汽修厂 快修店 洗车店 修理铺"),
        duties=_t(
            "负责车辆保养，更换机油三滤 负责车辆故障诊断与维修 负责洗车、打蜡、内饰清洗 "
            "负责车辆贴膜、镀晶 钣金修复和喷漆 电动车维修、换胎、换电瓶 轮胎拆装和动平衡"
        ),
        needs=_t("有汽修经验2年以上 持汽车维修工证优先 会看电路图 可招学徒包教包会 能吃苦耐劳"),
        perks=_t("包吃住 技术提成 月休4天 学徒有生活补贴 五险 老师傅带"),
        employers=(
            "天津{brand}汽车维修服务有限公司",
            "{brand}汽车美容养护中心",
            "{brand}汽修厂",
            "天津{brand}汽车销售服务有限公司",
            "{brand}轮胎店",
            "{brand}电动车维修部",
        ),
        pay=(4500, 8000),
        edu=0,
        community=False,
        skills=_t("会修车 汽车维修工证 会洗车 会贴膜 做过钣金 会修电动车 汽修专业"),
        positions=_t("汽修工 洗车工 钣金工 喷漆工 汽修学徒 轮胎工"),
        male=2.0,
        female=0.1,
        ages=(18, 50),
        person_edu=0,
    ),
    C.H: CategoryVocab(
        cores=_t(
            "物业维修工 维修电工 水电工 水暖工 物业管家 物业客服 保安员 门卫 秩序维护员 "
            "物业经理 工程维修工 装修工 装修瓦工 家装木工 油工 家电维修工 空调安装工 开锁师傅 "
            "手机维修员 电梯维保工 暖通工 刷墙师傅 防水工 巡逻保安"
        ),
        places=_t("小区 写字楼 商场 医院 学校 产业园"),
        duties=_t(
            "负责小区水电维修和设备巡检 处理业主报修 负责门岗值班，车辆进出登记 "
            "巡逻和监控室值守 负责物业费催缴和业主投诉处理 负责室内装修贴砖、刷漆 "
            "负责空调安装移机维修 负责家电上门维修 负责电梯日常维护保养 负责供暖设备检修"
        ),
        needs=_t(
            "持电工证 有电工证优先 持低压电工证 有保安证 退伍军人优先 有物业工作经验 会水暖维修"
        ),
        perks=_t("五险一金 包吃住 管一顿饭 24小时倒班 上一休一 做六休一 有宿舍 工作稳定"),
        employers=(
            "天津{brand}物业服务有限公司",
            "{brand}物业管理有限公司{community}项目部",
            "{brand}保安服务有限公司",
            "{brand}装饰工程有限公司",
            "天津{brand}家电维修服务部",
            "{brand}机电设备维修有限公司",
        ),
        pay=(4000, 7000),
        edu=0,
        community=True,
        skills=_t(
            "电工证 低压电工证 会水电维修 保安员证 物业管理经验 会装修 空调安装 会修家电 退伍军人"
        ),
        positions=_t("物业维修工 保安员 电工 水暖工 物业客服 门卫 装修工"),
        male=2.5,
        female=0.4,
        ages=(25, 63),
        person_edu=0,
    ),
    C.I: CategoryVocab(
        cores=_t(
            "服务员 饭店服务员 餐厅服务员 传菜员 厨师 炒锅厨师 厨师长 面点师 凉菜厨师 切配 "
            "配菜员 帮厨 洗碗工 厨房杂工 后厨学徒 烧烤师傅 早点师傅 煎饼果子师傅 包子师傅 "
            "火锅店服务员 奶茶店店员 咖啡师 食堂厨师 食堂打饭阿姨 餐厅领班 点餐员"
        ),
        places=_t("饭店 酒楼 食堂 快餐店 火锅店 早点铺"),
        duties=_t(
            "负责客人点菜、上菜、收台 负责热菜制作 负责面食早点制作 负责后厨洗碗清洁 "
            "负责菜品切配、备料 负责食堂一日三餐 负责饮品制作和收银 负责包间服务"
        ),
        needs=_t("持健康证 有厨师证优先 会做天津菜 会做家常菜 有餐饮经验 手脚麻利"),
        perks=_t("包吃住 管吃管住 月休4天 做六休一 满勤奖 工资按月发"),
        employers=(
            "{brand}餐饮管理有限公司",
            "{brand}饭庄",
            "{brand}家常菜馆",
            "{brand}火锅店",
            "{brand}酒楼",
            "{brand}包子铺",
            "天津{brand}团餐管理有限公司",
            "{brand}茶饮店",
        ),
        pay=(3800, 7000),
        edu=0,
        community=True,
        skills=_t("会做饭 厨师证 中式烹调师 面点师证 持健康证 做过服务员 会做早点"),
        positions=_t("服务员 厨师 帮厨 传菜员 洗碗工 面点师 配菜员"),
        male=1.2,
        female=1.5,
        ages=(18, 55),
        person_edu=0,
    ),
    C.J: CategoryVocab(
        cores=_t(
            "普工 操作工 生产普工 流水线工人 包装工 质检员 电焊工 焊工 氩弧焊工 车工 铣工 "
            "数控车床操作工 CNC操作工 钳工 机修钳工 注塑工 冲压工 喷涂工 装配工 打磨工 "
            "学徒工 设备维修工 切割工 缝纫工 车缝工 印刷机长 食品厂普工 车间操作工"
        ),
        places=_t("工厂 车间 电子厂 食品厂 服装厂 机械厂"),
        duties=_t(
            "负责流水线产品组装 按工艺要求操作设备 负责产品包装、贴标、入库 负责产品外观检验 "
            "负责零部件焊接 操作数控车床加工零件 负责设备日常维护保养 服从车间主任安排"
        ),
        needs=_t(
            "持焊工证 会看图纸 有工厂经验优先 能适应倒班 能适应站立工作 视力良好无色盲 无纹身"
        ),
        perks=_t("长白班 两班倒 五险一金 包吃住 月入6000+ 有班车 加班费 计件 有食堂 宿舍四人间"),
        employers=(
            "天津{brand}机械制造有限公司",
            "{brand}电子（天津）有限公司",
            "天津{brand}食品有限公司",
            "天津{brand}包装制品有限公司",
            "{brand}汽车零部件（天津）有限公司",
            "天津{brand}塑料制品有限公司",
            "天津{brand}金属制品有限公司",
            "{brand}服装厂",
        ),
        pay=(4500, 7500),
        edu=0,
        community=False,
        skills=_t("焊工证 会电焊 会数控车床 钳工 做过流水线 会看图纸 缝纫 机械加工"),
        positions=_t("普工 操作工 电焊工 包装工 质检员 车工 装配工 缝纫工"),
        male=2.5,
        female=1.0,
        ages=(18, 55),
        person_edu=0,
    ),
    C.K: CategoryVocab(
        cores=_t(
            "美发师 理发师 发型师 美发助理 洗头工 烫染师 美容师 美容顾问 美甲师 美睫师 "
            "按摩师 盲人按摩师 推拿师 足疗技师 修脚师 养生馆技师 艾灸师 产后修复师 "
            "皮肤管理师 纹绣师 搓澡师傅"
        ),
        places=_t("美发店 美容院 养生馆 足疗店 洗浴中心"),
        duties=_t(
            "负责顾客剪发、烫染 洗头、吹风、护理 为顾客做面部护理和身体护理 负责足疗、按摩、推拿 "
            "美甲美睫服务 向顾客介绍护理项目"
        ),
        needs=_t("有技师证优先 可招学徒 有经验者优先 形象好 手法熟练"),
        perks=_t("包住 提成高 底薪+提成 免费培训 月休4天 店内管饭"),
        employers=(
            "{brand}美发店",
            "{brand}美容美体中心",
            "{brand}养生馆",
            "{brand}足道",
            "{brand}推拿按摩店",
            "{brand}美甲工作室",
            "{brand}洗浴中心",
        ),
        pay=(3500, 8000),
        edu=0,
        community=True,
        skills=_t("会理发 美容师证 保健按摩师证 会美甲 推拿 足疗 美发专业"),
        positions=_t("美发师 美容师 按摩师 足疗技师 美甲师 美发助理"),
        male=0.4,
        female=1.5,
        ages=(18, 45),
        person_edu=0,
    ),
    C.L: CategoryVocab(
        cores=_t(
            "酒店前台 前台接待 客房服务员 酒店服务员 礼宾员 行李员 宴会服务员 酒店收银 导游 "
            "地接导游 旅游顾问 旅行社计调 景区讲解员 景区售票员 免税店导购 民宿管家 夜审 "
            "布草员 大堂副理 客房领班"
        ),
        places=_t("酒店 宾馆 景区 旅行社 民宿"),
        duties=_t(
            "负责客人入住和退房登记 负责客房清扫、整理床铺、补充用品 负责团队接待和带团讲解 "
            "负责旅游线路咨询和报名 负责宴会摆台和服务 负责景区游客讲解 负责免税商品介绍和销售"
        ),
        needs=_t("有导游证 普通话标准 会简单英语 形象气质好 有酒店工作经验优先"),
        perks=_t("包吃住 五险 员工餐 三班倒 月休6天 提供工装"),
        employers=(
            "天津{brand}大酒店",
            "{brand}酒店管理有限公司",
            "{brand}快捷酒店（{road}店）",
            "天津{brand}国际旅行社有限公司",
            "{brand}旅游开发有限公司",
            "{brand}民宿",
            "{brand}免税店",
        ),
        pay=(3500, 6000),
        edu=2,
        community=False,
        skills=_t("导游证 会英语 做过酒店前台 旅游管理专业 酒店管理专业 客房服务经验"),
        positions=_t("酒店前台 客房服务员 导游 礼宾员 宴会服务员"),
        male=0.6,
        female=1.2,
        ages=(18, 45),
        person_edu=2,
    ),
    C.M: CategoryVocab(
        cores=_t(
            "超市收银员 收银员 营业员 店员 导购 导购员 服装导购 促销员 超市理货员 便利店店员 "
            "便利店值班长 店长 生鲜员 称重员 防损员 商场导购 水果店店员 母婴店导购 手机店营业员 "
            "烟酒店店员 门店营业员"
        ),
        places=_t("超市 便利店 商场 专卖店 门店"),
        duties=_t(
            "负责收银结账和交接班 负责商品上架、补货、整理货架 负责顾客接待和商品介绍 "
            "负责门店促销活动 负责生鲜区称重打秤 负责门店日常运营管理 检查商品保质期"
        ),
        needs=_t("会用收银机 性格开朗 有零售经验优先 能站立工作 会算账"),
        perks=_t("做六休一 五险 员工折扣 管午饭 早晚班 全勤奖"),
        employers=(
            "{brand}超市",
            "{brand}便利店（{road}店）",
            "天津{brand}商贸有限公司",
            "{brand}购物广场",
            "{brand}生鲜超市",
            "{brand}服装店",
            "{brand}母婴店",
        ),
        pay=(3500, 5500),
        edu=0,
        community=True,
        skills=_t("做过收银 会用收银机 做过导购 营业员经验 会算账 性格开朗"),
        positions=_t("收银员 营业员 导购员 理货员 店员 促销员"),
        male=0.5,
        female=2.0,
        ages=(18, 50),
        person_edu=0,
    ),
    C.N: CategoryVocab(
        cores=_t(
            "护士 护理员 医院护工 病房护工 陪护 药剂师 执业药师 药店营业员 康复理疗师 "
            "医生助理 导医 门诊收费员 检验技师 口腔护士 社区护士 全科医生 养老院护理员 "
            "医药代表 中药调剂员"
        ),
        places=_t("医院 诊所 药店 社区卫生服务中心 养老院 康复中心"),
        duties=_t(
            "负责病人基础护理 协助患者翻身、喂饭、清洁 负责药品调配，审核处方 负责门诊导诊分诊 "
            "协助医生做好诊疗工作 负责药品销售和陈列 负责康复训练指导 负责住院老人日常护理"
        ),
        needs=_t(
            "持护士执业证 有执业药师证 医学相关专业 有医院工作经验 持养老护理员证优先 有耐心有爱心"
        ),
        perks=_t("五险一金 包吃住 倒班 节日福利 带薪休假"),
        employers=(
            "天津市{short}{brand}医院",
            "{brand}诊所",
            "天津{brand}大药房连锁有限公司{road}店",
            "{brand}口腔门诊部",
            "{district}{street}社区卫生服务中心",
            "天津{brand}护理院",
            "{brand}康复医院",
        ),
        pay=(4000, 8000),
        edu=3,
        community=False,
        skills=_t("护士资格证 护理专业 药学专业 执业药师 养老护理员证 做过护工 康复治疗专业"),
        positions=_t("护士 护工 药店营业员 护理员 导医 药剂师"),
        male=0.3,
        female=1.5,
        ages=(20, 55),
        person_edu=3,
    ),
    C.O: CategoryVocab(
        cores=_t(
            "资料员 施工员 安全员 工程质检员 造价员 测量员 钢筋工 建筑木工 架子工 水泥工 "
            "工地瓦工 工程监理 土建工程师 项目经理 预算员 建筑工人 力工 小工 塔吊司机 信号工 "
            "材料员 绘图员 机电工程师 施工队长"
        ),
        places=_t("工地 项目部 施工现场 市政工程"),
        duties=_t(
            "负责工程资料收集整理和归档 负责施工现场管理和进度控制 负责现场安全检查 "
            "负责工程量计算和编制预算 负责工地钢筋绑扎 负责模板支设 负责现场放线测量 "
            "负责材料进场验收"
        ),
        needs=_t(
            "持施工员证 持安全员证 土木工程相关专业 会CAD 有二级建造师证优先 能适应工地环境 "
            "持特种作业证"
        ),
        perks=_t("包吃住 项目奖金 五险一金 日结 长期有活 工资月清"),
        employers=(
            "天津{brand}建筑工程有限公司",
            "{brand}建设集团有限公司",
            "天津{brand}市政工程有限公司",
            "{brand}工程项目部（{street}）",
            "天津{brand}建筑劳务有限公司",
            "{brand}工程监理有限公司",
        ),
        pay=(5000, 10000),
        edu=0,
        community=False,
        skills=_t("施工员证 安全员证 会CAD 二级建造师 土木工程专业 钢筋工 架子工证 会测量"),
        positions=_t("施工员 资料员 钢筋工 力工 安全员 木工 测量员"),
        male=1.8,
        female=0.2,
        ages=(22, 58),
        person_edu=0,
    ),
    C.P: CategoryVocab(
        cores=_t(
            "农场工人 大棚种植工 蔬菜种植员 果园工人 养殖员 猪场饲养员 奶牛场挤奶工 "
            "养鸡场饲养员 水产养殖工 渔场工人 园林绿化工 绿化养护工 苗木工 农机手 植保员 "
            "兽医助理 采摘工 花卉养护员 护林员 鱼塘看护"
        ),
        places=_t("农场 养殖场 果园 苗圃 渔场 大棚"),
        duties=_t(
            "负责大棚蔬菜种植、浇水施肥 负责猪只喂养和防疫 负责奶牛挤奶和清理牛舍 "
            "负责鱼塘投喂和水质管理 负责园林绿化修剪养护 驾驶农机耕地收割 负责果园采摘装箱"
        ),
        needs=_t("有养殖经验 能吃苦 会开拖拉机 有园林绿化经验 夫妻工优先"),
        perks=_t("包吃住 夫妻可同住 年底奖金 管三餐 工资月结"),
        employers=(
            "天津{brand}农业科技有限公司",
            "{brand}养殖场",
            "{short}{brand}生态农业园",
            "{brand}农民专业合作社",
            "天津{brand}园林绿化工程有限公司",
            "{brand}水产养殖场",
        ),
        pay=(3500, 6500),
        edu=0,
        community=False,
        skills=_t("会种地 养殖经验 会开拖拉机 园林绿化 会种菜 农机驾驶证"),
        positions=_t("养殖员 绿化工 农场工人 饲养员 种植工"),
        male=0.8,
        female=0.6,
        ages=(30, 63),
        person_edu=0,
    ),
    C.Q: CategoryVocab(
        cores=_t(
            "实习生 就业见习生 见习生 管培生 管理培训生 储备干部 储备店长 毕业生见习岗 "
            "行政实习生 财务实习生 销售实习生 技术见习生 暑期实习生 青年见习岗 见习岗位 "
            "助理见习生 工程管培生"
        ),
        places=_t("公司 集团 见习基地 工厂"),
        duties=_t(
            "参与公司日常运营，轮岗学习 在导师指导下完成工作 见习期内享受见习补贴 "
            "见习期满表现优秀者可留用 协助部门完成各项工作"
        ),
        needs=_t(
            "2024届、2025届毕业生 16-24岁失业青年 离校2年内未就业高校毕业生 大专及以上学历 专业不限"
        ),
        perks=_t("见习补贴 购买意外险 转正机会 带薪培训 导师带教"),
        employers=(
            "天津{brand}科技有限公司",
            "{brand}集团（就业见习基地）",
            "天津{brand}实业有限公司",
            "{district}{brand}就业见习基地",
        ),
        pay=(2500, 5000),
        edu=4,
        community=False,
        skills=_t("应届毕业生 会电脑办公软件 计算机专业 英语四级 学生会干部"),
        positions=_t("实习生 见习生 兼职"),
        male=1.0,
        female=1.0,
        ages=(18, 28),
        person_edu=3,
    ),
    C.R: CategoryVocab(
        cores=_t(
            "幼教 幼儿园老师 幼师 保育员 培训讲师 教培老师 课后托管老师 摄影师 摄影助理 "
            "IT运维 网络管理员 平面设计 美工 UI设计师 英语翻译 日语翻译 社区工作者 社区网格员 "
            "公益性岗位 图书管理员 文案策划 新媒体运营 直播助理 视频剪辑师 软件测试 律师助理 "
            "心理咨询师 社工 舞蹈老师 书法老师 安检员"
        ),
        places=_t("幼儿园 培训学校 工作室 社区 机构"),
        duties=_t(
            "负责幼儿日常保育和教学 负责课程讲授和课后辅导 负责拍摄和后期修图 "
            "负责公司电脑网络设备维护 负责海报和宣传单设计 负责资料翻译和陪同口译 "
            "负责网格巡查和信息采集 负责居民服务和政策宣传 负责直播间运营 负责短视频剪辑"
        ),
        needs=_t(
            "持教师资格证 会PS、AI等设计软件 英语六级 熟悉Linux 有社工证优先 本区户籍优先 "
            "大专及以上学历"
        ),
        perks=_t("寒暑假 五险一金 双休 按公益性岗位政策缴纳社保 提供培训"),
        employers=(
            "{brand}幼儿园",
            "天津{brand}教育培训学校",
            "{brand}文化传媒有限公司",
            "{brand}摄影工作室",
            "天津{brand}网络科技有限公司",
            "{district}{street}办事处",
            "{street}{community}社区居委会",
            "天津{brand}翻译服务有限公司",
        ),
        pay=(4000, 9000),
        edu=4,
        community=False,
        skills=_t(
            "教师资格证 会PS 计算机专业 英语六级 日语N2 社会工作师 摄影 会剪辑视频 学前教育专业"
        ),
        positions=_t("幼师 培训老师 网管 设计 社区工作者 摄影师 翻译"),
        male=0.8,
        female=1.0,
        ages=(20, 50),
        person_edu=4,
    ),
}

# Title decorations: recruiting words before, selling points after.
TITLE_PREFIXES = _t("急招 诚聘 高薪招聘 招聘 长期招 直招 急聘 高薪诚聘 本地招 现招")
TITLE_SUFFIXES = _t(
    "长白班 五险一金 包吃住 日结 做六休一 月入6000+ 多劳多得 周结 双休 包住 就近上班 "
    "可兼职 缴社保 男女不限 待遇优厚"
)
TITLE_QUALIFIERS = _t("有证优先 限本地 45岁以下 50岁以内 男女不限 有经验优先 可培训 熟手")
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
GENERAL_NEEDS = _t("身体健康 吃苦耐劳 有责任心 服从安排 无不良嗜好 踏实肯干 能长期干 人品端正")
CONTACT_TITLES = _t("经理 女士 先生 主管 店长 师傅")
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
BRANDS = _t(
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
