"""Wording for the transport, manual and outdoor trades: B 物流/仓储/司机, G 汽修/汽车美容,
J 普工/技工, O 建筑/工程施工/工程技术/资料员, P 农、林、牧、渔业.

Written for this project; no text is copied from any data set.
"""

from __future__ import annotations

from matching.domain.categories import Category
from matching.generator.phrases.vocab import CategoryVocab, words

__all__ = ["TRADES"]

C = Category
TRADES: dict[Category, CategoryVocab] = {
    C.B: CategoryVocab(
        cores=words(
            "货车司机 C1司机 A2货车司机 B2司机 仓库管理员 仓管员 库管 理货员 仓库分拣员 "
            "叉车工 叉车司机 装卸工 搬运工 物流专员 调度员 押运员 冷链司机 班车司机 拣货员 "
            "公交驾驶员 物流跟单员 厢式货车司机 仓储专员 配货员"
        ),
        places=words("物流园 仓库 冷库 电商仓 保税区 港口 配送中心"),
        duties=words(
            "负责厢式货车市内配送 负责仓库货物出入库登记 按单拣货、打包、发货 驾驶叉车装卸货物 "
            "负责车辆日常检查保养 跑天津周边短途 定期盘点库存 负责园区货物装卸搬运 跟车送货 "
            "安排车辆调度和司机排班 负责冷链货物运输 接送员工上下班"
        ),
        needs=words(
            "有C1驾照 持A2驾驶证 持B2驾照 持叉车证 驾龄3年以上 熟悉天津路况 会用WMS系统优先 "
            "能上夜班 无重大事故记录"
        ),
        perks=words(
            "五险一金 包住宿 管三餐 车辆公司提供 油费报销 计件工资 加班费另算 全勤奖 有宿舍"
        ),
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
        skills=words("有C1驾照 A2驾照 B2驾照 叉车证 会开叉车 仓库管理经验 熟悉天津路况 开过货车"),
        positions=words("货车司机 仓管员 理货员 叉车工 装卸工 送货司机 调度员 库管"),
        male=3.0,
        female=0.3,
        ages=(22, 58),
        person_edu=0,
    ),
    C.G: CategoryVocab(
        cores=words(
            "汽修工 汽车维修工 汽修学徒 机修工 钣金工 喷漆工 汽车喷漆师傅 洗车工 汽车美容技师 "
            "贴膜技师 补胎工 轮胎工 汽车电工 新能源汽车维修技师 保养技师 快修店技师 电动车维修工 "
            "自行车修理工 二手车检测员 洗车美容员"
        ),
        places=words("4S店 汽修厂 快修店 洗车店 修理铺"),
        duties=words(
            "负责车辆保养，更换机油三滤 负责车辆故障诊断与维修 负责洗车、打蜡、内饰清洗 "
            "负责车辆贴膜、镀晶 钣金修复和喷漆 电动车维修、换胎、换电瓶 轮胎拆装和动平衡"
        ),
        needs=words("有汽修经验2年以上 持汽车维修工证优先 会看电路图 可招学徒包教包会 能吃苦耐劳"),
        perks=words("包吃住 技术提成 月休4天 学徒有生活补贴 五险 老师傅带"),
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
        skills=words("会修车 汽车维修工证 会洗车 会贴膜 做过钣金 会修电动车 汽修专业"),
        positions=words("汽修工 洗车工 钣金工 喷漆工 汽修学徒 轮胎工"),
        male=2.0,
        female=0.1,
        ages=(18, 50),
        person_edu=0,
    ),
    C.J: CategoryVocab(
        cores=words(
            "普工 操作工 生产普工 流水线工人 包装工 质检员 电焊工 焊工 氩弧焊工 车工 铣工 "
            "数控车床操作工 CNC操作工 钳工 机修钳工 注塑工 冲压工 喷涂工 装配工 打磨工 "
            "学徒工 设备维修工 切割工 缝纫工 车缝工 印刷机长 食品厂普工 车间操作工"
        ),
        places=words("工厂 车间 电子厂 食品厂 服装厂 机械厂"),
        duties=words(
            "负责流水线产品组装 按工艺要求操作设备 负责产品包装、贴标、入库 负责产品外观检验 "
            "负责零部件焊接 操作数控车床加工零件 负责设备日常维护保养 服从车间主任安排"
        ),
        needs=words(
            "持焊工证 会看图纸 有工厂经验优先 能适应倒班 能适应站立工作 视力良好无色盲 无纹身"
        ),
        perks=words("长白班 两班倒 五险一金 包吃住 月入6000+ 有班车 加班费 计件 有食堂 宿舍四人间"),
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
        skills=words("焊工证 会电焊 会数控车床 钳工 做过流水线 会看图纸 缝纫 机械加工"),
        positions=words("普工 操作工 电焊工 包装工 质检员 车工 装配工 缝纫工"),
        male=2.5,
        female=1.0,
        ages=(18, 55),
        person_edu=0,
    ),
    C.O: CategoryVocab(
        cores=words(
            "资料员 施工员 安全员 工程质检员 造价员 测量员 钢筋工 建筑木工 架子工 水泥工 "
            "工地瓦工 工程监理 土建工程师 项目经理 预算员 建筑工人 力工 小工 塔吊司机 信号工 "
            "材料员 绘图员 机电工程师 施工队长"
        ),
        places=words("工地 项目部 施工现场 市政工程"),
        duties=words(
            "负责工程资料收集整理和归档 负责施工现场管理和进度控制 负责现场安全检查 "
            "负责工程量计算和编制预算 负责工地钢筋绑扎 负责模板支设 负责现场放线测量 "
            "负责材料进场验收"
        ),
        needs=words(
            "持施工员证 持安全员证 土木工程相关专业 会CAD 有二级建造师证优先 能适应工地环境 "
            "持特种作业证"
        ),
        perks=words("包吃住 项目奖金 五险一金 日结 长期有活 工资月清"),
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
        skills=words("施工员证 安全员证 会CAD 二级建造师 土木工程专业 钢筋工 架子工证 会测量"),
        positions=words("施工员 资料员 钢筋工 力工 安全员 木工 测量员"),
        male=1.8,
        female=0.2,
        ages=(22, 58),
        person_edu=0,
    ),
    C.P: CategoryVocab(
        cores=words(
            "农场工人 大棚种植工 蔬菜种植员 果园工人 养殖员 猪场饲养员 奶牛场挤奶工 "
            "养鸡场饲养员 水产养殖工 渔场工人 园林绿化工 绿化养护工 苗木工 农机手 植保员 "
            "兽医助理 采摘工 花卉养护员 护林员 鱼塘看护"
        ),
        places=words("农场 养殖场 果园 苗圃 渔场 大棚"),
        duties=words(
            "负责大棚蔬菜种植、浇水施肥 负责猪只喂养和防疫 负责奶牛挤奶和清理牛舍 "
            "负责鱼塘投喂和水质管理 负责园林绿化修剪养护 驾驶农机耕地收割 负责果园采摘装箱"
        ),
        needs=words("有养殖经验 能吃苦 会开拖拉机 有园林绿化经验 夫妻工优先"),
        perks=words("包吃住 夫妻可同住 年底奖金 管三餐 工资月结"),
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
        skills=words("会种地 养殖经验 会开拖拉机 园林绿化 会种菜 农机驾驶证"),
        positions=words("养殖员 绿化工 农场工人 饲养员 种植工"),
        male=0.8,
        female=0.6,
        ages=(30, 63),
        person_edu=0,
    ),
}
