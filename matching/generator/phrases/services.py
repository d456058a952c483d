"""Wording for the consumer and household service categories: A 家政/保洁, C 快递/外卖/代跑代办,
H 物业管理/装修/维修, I 餐饮/厨师/服务员, K 美容美发/按摩/保健, L 旅游/免税/酒店,
M 零售/营业员/促销员/导购员.

Written for this project; no text is copied from any data set.
"""

from __future__ import annotations

from matching.domain.categories import Category
from matching.generator.phrases.vocab import CategoryVocab, words

__all__ = ["HOUSEHOLD_AND_SERVICES"]

C = Category
HOUSEHOLD_AND_SERVICES: dict[Category, CategoryVocab] = {
    C.A: CategoryVocab(
        cores=words(
            "保洁员 保洁阿姨 保洁工 家政服务员 住家保姆 不住家保姆 育儿嫂 月嫂 钟点工 小时工 "
            "清洁工 开荒保洁 擦玻璃工 做饭阿姨 家务助理 保洁领班 居家养老护理员 陪护老人阿姨 "
            "地毯清洗工 外墙清洗工 家政保洁员 白班保姆"
        ),
        places=words("小区 写字楼 商场 医院 学校 地铁站 银行 菜市场 居民家庭 政府机关"),
        duties=words(
            "负责楼道、电梯间日常清扫 负责公共区域卫生清洁 擦拭门窗玻璃和扶手 垃圾分类清运 "
            "照顾老人饮食起居 做饭、洗衣、打扫卫生 照看婴幼儿，辅助喂养 产妇护理，新生儿洗澡抚触 "
            "上门做家务，按小时计费 新房开荒，清洗油烟机 卫生间清洁消毒 办公区桌面地面保洁 "
            "陪老人聊天、散步、买菜 商场卫生间及通道保洁"
        ),
        needs=words(
            "有家政经验优先 持健康证 有育婴员证优先 会做北方家常菜 能住家 手脚勤快爱干净 "
            "有月嫂证者优先 身体好能干活 人品好无不良嗜好"
        ),
        perks=words("包吃住 管午饭 日结 周结 单休 可兼职 按时发薪 节日福利 雇主家庭和睦 工作轻松"),
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
        skills=words(
            "会做家务 持健康证 育婴员证 有保洁经验 会做饭 照顾过老人 养老护理员证 会带孩子 "
            "做过月嫂 家政服务员证"
        ),
        positions=words("保洁员 家政服务员 保姆 育儿嫂 钟点工 清洁工 保洁领班 月嫂"),
        male=0.3,
        female=3.0,
        ages=(35, 63),
        person_edu=0,
    ),
    C.C: CategoryVocab(
        cores=words(
            "外卖骑手 外卖配送员 骑手 专送骑手 众包骑手 快递员 快递派件员 快递收派员 "
            "快递分拣员 驿站店员 快递驿站管理员 同城跑腿 跑腿代办员 闪送员 送餐员 送水工 "
            "生鲜配送员 快递揽收员 外卖小哥 跑腿小哥"
        ),
        places=words("小区 站点 商圈 高校 片区"),
        duties=words(
            "负责片区快递派送和揽收 接单送餐，准时送达 在驿站负责快递入库出库和取件 "
            "帮客户代买代送、代排队 负责站点包裹分拣扫描 负责周边3公里内配送 用手机APP接单 "
            "桶装水送货上门 负责生鲜订单配送"
        ),
        needs=words(
            "自备电动车 会用智能手机导航 熟悉周边路况 能接受风吹日晒 无不良记录 会骑电动车"
        ),
        perks=words("多劳多得 日结 周结 单量充足 提供电动车租赁 送意外险 时间自由 冲单奖励 可兼职"),
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
        skills=words("有电动车 会用手机导航 熟悉路况 做过骑手 送过快递 有摩托车驾照"),
        positions=words("外卖骑手 快递员 送餐员 驿站店员 快递分拣员 配送员"),
        male=2.5,
        female=0.4,
        ages=(18, 50),
        person_edu=0,
    ),
    C.H: CategoryVocab(
        cores=words(
            "物业维修工 维修电工 水电工 水暖工 物业管家 物业客服 保安员 门卫 秩序维护员 "
            "物业经理 工程维修工 装修工 装修瓦工 家装木工 油工 家电维修工 空调安装工 开锁师傅 "
            "手机维修员 电梯维保工 暖通工 刷墙师傅 防水工 巡逻保安"
        ),
        places=words("小区 写字楼 商场 医院 学校 产业园"),
        duties=words(
            "负责小区水电维修和设备巡检 处理业主报修 负责门岗值班，车辆进出登记 "
            "巡逻和监控室值守 负责物业费催缴和业主投诉处理 负责室内装修贴砖、刷漆 "
            "负责空调安装移机维修 负责家电上门维修 负责电梯日常维护保养 负责供暖设备检修"
        ),
        needs=words(
            "持电工证 有电工证优先 持低压电工证 有保安证 退伍军人优先 有物业工作经验 会水暖维修"
        ),
        perks=words("五险一金 包吃住 管一顿饭 24小时倒班 上一休一 做六休一 有宿舍 工作稳定"),
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
        skills=words(
            "电工证 低压电工证 会水电维修 保安员证 物业管理经验 会装修 空调安装 会修家电 退伍军人"
        ),
        positions=words("物业维修工 保安员 电工 水暖工 物业客服 门卫 装修工"),
        male=2.5,
        female=0.4,
        ages=(25, 63),
        person_edu=0,
    ),
    C.I: CategoryVocab(
        cores=words(
            "服务员 饭店服务员 餐厅服务员 传菜员 厨师 炒锅厨师 厨师长 面点师 凉菜厨师 切配 "
            "配菜员 帮厨 洗碗工 厨房杂工 后厨学徒 烧烤师傅 早点师傅 煎饼果子师傅 包子师傅 "
            "火锅店服务员 奶茶店店员 咖啡师 食堂厨师 食堂打饭阿姨 餐厅领班 点餐员"
        ),
        places=words("饭店 酒楼 食堂 快餐店 火锅店 早点铺"),
        duties=words(
            "负责客人点菜、上菜、收台 负责热菜制作 负责面食早点制作 负责后厨洗碗清洁 "
            "负责菜品切配、备料 负责食堂一日三餐 负责饮品制作和收银 负责包间服务"
        ),
        needs=words("持健康证 有厨师证优先 会做天津菜 会做家常菜 有餐饮经验 手脚麻利"),
        perks=words("包吃住 管吃管住 月休4天 做六休一 满勤奖 工资按月发"),
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
        skills=words("会做饭 厨师证 中式烹调师 面点师证 持健康证 做过服务员 会做早点"),
        positions=words("服务员 厨师 帮厨 传菜员 洗碗工 面点师 配菜员"),
        male=1.2,
        female=1.5,
        ages=(18, 55),
        person_edu=0,
    ),
    C.K: CategoryVocab(
        cores=words(
            "美发师 理发师 发型师 美发助理 洗头工 烫染师 美容师 美容顾问 美甲师 美睫师 "
            "按摩师 盲人按摩师 推拿师 足疗技师 修脚师 养生馆技师 艾灸师 产后修复师 "
            "皮肤管理师 纹绣师 搓澡师傅"
        ),
        places=words("美发店 美容院 养生馆 足疗店 洗浴中心"),
        duties=words(
            "负责顾客剪发、烫染 洗头、吹风、护理 为顾客做面部护理和身体护理 负责足疗、按摩、推拿 "
            "美甲美睫服务 向顾客介绍护理项目"
        ),
        needs=words("有技师证优先 可招学徒 有经验者优先 形象好 手法熟练"),
        perks=words("包住 提成高 底薪+提成 免费培训 月休4天 店内管饭"),
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
        skills=words("会理发 美容师证 保健按摩师证 会美甲 推拿 足疗 美发专业"),
        positions=words("美发师 美容师 按摩师 足疗技师 美甲师 美发助理"),
        male=0.4,
        female=1.5,
        ages=(18, 45),
        person_edu=0,
    ),
    C.L: CategoryVocab(
        cores=words(
            "酒店前台 前台接待 客房服务员 酒店服务员 礼宾员 行李员 宴会服务员 酒店收银 导游 "
            "地接导游 旅游顾问 旅行社计调 景区讲解员 景区售票员 免税店导购 民宿管家 夜审 "
            "布草员 大堂副理 客房领班"
        ),
        places=words("酒店 宾馆 景区 旅行社 民宿"),
        duties=words(
            "负责客人入住和退房登记 负责客房清扫、整理床铺、补充用品 负责团队接待和带团讲解 "
            "负责旅游线路咨询和报名 负责宴会摆台和服务 负责景区游客讲解 负责免税商品介绍和销售"
        ),
        needs=words("有导游证 普通话标准 会简单英语 形象气质好 有酒店工作经验优先"),
        perks=words("包吃住 五险 员工餐 三班倒 月休6天 提供工装"),
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
        skills=words("导游证 会英语 做过酒店前台 旅游管理专业 酒店管理专业 客房服务经验"),
        positions=words("酒店前台 客房服务员 导游 礼宾员 宴会服务员"),
        male=0.6,
        female=1.2,
        ages=(18, 45),
        person_edu=2,
    ),
    C.M: CategoryVocab(
        cores=words(
            "超市收银员 收银员 营业员 店员 导购 导购员 服装导购 促销员 超市理货员 便利店店员 "
            "便利店值班长 店长 生鲜员 称重员 防损员 商场导购 水果店店员 母婴店导购 手机店营业员 "
            "烟酒店店员 门店营业员"
        ),
        places=words("超市 便利店 商场 专卖店 门店"),
        duties=words(
            "负责收银结账和交接班 负责商品上架、补货、整理货架 负责顾客接待和商品介绍 "
            "负责门店促销活动 负责生鲜区称重打秤 负责门店日常运营管理 检查商品保质期"
        ),
        needs=words("会用收银机 性格开朗 有零售经验优先 能站立工作 会算账"),
        perks=words("做六休一 五险 员工折扣 管午饭 早晚班 全勤奖"),
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
        skills=words("做过收银 会用收银机 做过导购 营业员经验 会算账 性格开朗"),
        positions=words("收银员 营业员 导购员 理货员 店员 促销员"),
        male=0.5,
        female=2.0,
        ages=(18, 50),
        person_edu=0,
    ),
}
