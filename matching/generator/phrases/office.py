"""Wording for office work and the professions: D 人事/行政/文员, E 财务/金融/保险,
F 销售/市场/客服, N 医院/医疗/医药/护理, Q 实习生/见习生/管培生, R 其他.

Written for this project; no text is copied from any data set.
"""

from __future__ import annotations

from matching.domain.categories import Category
from matching.generator.phrases.vocab import CategoryVocab, words

__all__ = ["OFFICE_AND_PROFESSIONS"]

C = Category
OFFICE_AND_PROFESSIONS: dict[Category, CategoryVocab] = {
    C.D: CategoryVocab(
        cores=words(
            "文员 行政文员 办公室文员 行政专员 行政助理 人事专员 人事助理 招聘专员 前台 "
            "前台文员 档案管理员 资料录入员 数据录入员 内勤 办公室主任 综合管理岗 行政前台 "
            "人力资源专员 劳资员 统计员 总经理助理"
        ),
        places=words("公司 工厂 办公室 园区"),
        duties=words(
            "负责文件收发、整理和归档 负责来访接待和电话接听 录入数据、制作表格 "
            "办理员工入离职手续、考勤统计 负责招聘信息发布和面试安排 办公用品采购与管理 "
            "会议记录和会务安排 协助经理处理日常事务 负责工资核算和社保办理"
        ),
        needs=words(
            "熟练使用Word、Excel等办公软件 打字速度快 有人力资源管理师证优先 形象气质佳 "
            "细心有耐心 沟通能力好 会开车优先"
        ),
        perks=words("双休 五险一金 法定节假日休息 带薪年假 朝九晚五 工作环境好 不加班 有餐补"),
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
        skills=words(
            "会电脑办公软件 熟练使用Excel 打字快 人力资源管理师三级 会Word、Excel 做过文员 "
            "行政管理专业 文秘专业"
        ),
        positions=words("文员 行政专员 人事专员 前台 内勤 资料员 统计员"),
        male=0.6,
        female=2.0,
        ages=(20, 45),
        person_edu=3,
    ),
    C.E: CategoryVocab(
        cores=words(
            "会计 出纳 会计助理 财务助理 记账会计 成本会计 总账会计 税务会计 财务专员 "
            "核算员 银行大堂助理 信贷专员 理财顾问 保险代理人 保险理赔专员 保险客户经理 "
            "结算员 审计助理 代账会计 财务文员"
        ),
        places=words("公司 工厂 门店 集团"),
        duties=words(
            "负责日常费用报销审核 负责现金和银行存款收付 编制记账凭证，登记账簿 每月按时申报纳税 "
            "负责往来账核对 为客户讲解保险产品，做好售后服务 协助办理贷款资料审核 编制月度财务报表 "
            "负责发票开具和管理"
        ),
        needs=words(
            "持初级会计证 会用用友、金蝶财务软件 有中级职称优先 财会相关专业 做账经验2年以上 "
            "有保险从业经验优先 为人正直细心"
        ),
        perks=words("双休 五险一金 年终奖 节日福利 带薪年假 高提成 下午茶"),
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
        skills=words(
            "初级会计证 会用用友软件 会用金蝶 会计专业 做过出纳 熟悉报税 保险代理资格 "
            "财务管理专业 中级会计师"
        ),
        positions=words("会计 出纳 会计助理 财务专员 保险代理人 收银对账"),
        male=0.5,
        female=1.5,
        ages=(22, 50),
        person_edu=4,
    ),
    C.F: CategoryVocab(
        cores=words(
            "销售代表 销售顾问 电话销售 电销专员 业务员 销售经理 客服专员 在线客服 电话客服 "
            "话务员 售后客服 市场推广 地推专员 渠道专员 招商专员 置业顾问 课程顾问 "
            "汽车销售顾问 大客户经理 客户经理 团购专员 网络销售"
        ),
        places=words("呼叫中心 门店 售楼处 展厅 商圈"),
        duties=words(
            "开发新客户，维护老客户 通过电话向客户介绍产品 接听客户来电，处理投诉和咨询 "
            "负责线上平台客户咨询回复 完成公司下达的销售任务 负责地推活动、扫码拉新 "
            "负责商铺招商和客户接待 负责客户回访和满意度调查"
        ),
        needs=words(
            "普通话标准 口齿清晰 有销售经验优先 能接受挑战 抗压能力强 会开车者优先 无经验可带薪培训"
        ),
        perks=words("底薪+提成 高提成 上不封顶 五险 周末双休 带薪培训 晋升空间大 月度奖金"),
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
        skills=words("做过销售 普通话标准 沟通能力强 有客服经验 电话销售经验 市场营销专业"),
        positions=words("销售代表 业务员 客服专员 电话销售 话务员 置业顾问 销售经理"),
        male=1.0,
        female=1.2,
        ages=(20, 45),
        person_edu=2,
    ),
    C.N: CategoryVocab(
        cores=words(
            "护士 护理员 医院护工 病房护工 陪护 药剂师 执业药师 药店营业员 康复理疗师 "
            "医生助理 导医 门诊收费员 检验技师 口腔护士 社区护士 全科医生 养老院护理员 "
            "医药代表 中药调剂员"
        ),
        places=words("医院 诊所 药店 社区卫生服务中心 养老院 康复中心"),
        duties=words(
            "负责病人基础护理 协助患者翻身、喂饭、清洁 负责药品调配，审核处方 负责门诊导诊分诊 "
            "协助医生做好诊疗工作 负责药品销售和陈列 负责康复训练指导 负责住院老人日常护理"
        ),
        needs=words(
            "持护士执业证 有执业药师证 医学相关专业 有医院工作经验 持养老护理员证优先 有耐心有爱心"
        ),
        perks=words("五险一金 包吃住 倒班 节日福利 带薪休假"),
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
        skills=words("护士资格证 护理专业 药学专业 执业药师 养老护理员证 做过护工 康复治疗专业"),
        positions=words("护士 护工 药店营业员 护理员 导医 药剂师"),
        male=0.3,
        female=1.5,
        ages=(20, 55),
        person_edu=3,
    ),
    C.Q: CategoryVocab(
        cores=words(
            "实习生 就业见习生 见习生 管培生 管理培训生 储备干部 储备店长 毕业生见习岗 "
            "行政实习生 财务实习生 销售实习生 技术见习生 暑期实习生 青年见习岗 见习岗位 "
            "助理见习生 工程管培生"
        ),
        places=words("公司 集团 见习基地 工厂"),
        duties=words(
            "参与公司日常运营，轮岗学习 在导师指导下完成工作 见习期内享受见习补贴 "
            "见习期满表现优秀者可留用 协助部门完成各项工作"
        ),
        needs=words(
            "2024届、2025届毕业生 16-24岁失业青年 离校2年内未就业高校毕业生 大专及以上学历 专业不限"
        ),
        perks=words("见习补贴 购买意外险 转正机会 带薪培训 导师带教"),
        employers=(
            "天津{brand}科技有限公司",
            "{brand}集团（就业见习基地）",
            "天津{brand}实业有限公司",
            "{district}{brand}就业见习基地",
        ),
        pay=(2500, 5000),
        edu=4,
        community=False,
        skills=words("应届毕业生 会电脑办公软件 计算机专业 英语四级 学生会干部"),
        positions=words("实习生 见习生 兼职"),
        male=1.0,
        female=1.0,
        ages=(18, 28),
        person_edu=3,
    ),
    C.R: CategoryVocab(
        cores=words(
            "幼教 幼儿园老师 幼师 保育员 培训讲师 教培老师 课后托管老师 摄影师 摄影助理 "
            "IT运维 网络管理员 平面设计 美工 UI设计师 英语翻译 日语翻译 社区工作者 社区网格员 "
            "公益性岗位 图书管理员 文案策划 新媒体运营 直播助理 视频剪辑师 软件测试 律师助理 "
            "心理咨询师 社工 舞蹈老师 书法老师 安检员"
        ),
        places=words("幼儿园 培训学校 工作室 社区 机构"),
        duties=words(
            "负责幼儿日常保育和教学 负责课程讲授和课后辅导 负责拍摄和后期修图 "
            "负责公司电脑网络设备维护 负责海报和宣传单设计 负责资料翻译和陪同口译 "
            "负责网格巡查和信息采集 负责居民服务和政策宣传 负责直播间运营 负责短视频剪辑"
        ),
        needs=words(
            "持教师资格证 会PS、AI等设计软件 英语六级 熟悉Linux 有社工证优先 本区户籍优先 "
            "大专及以上学历"
        ),
        perks=words("寒暑假 五险一金 双休 按公益性岗位政策缴纳社保 提供培训"),
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
        skills=words(
            "教师资格证 会PS 计算机专业 英语六级 日语N2 社会工作师 摄影 会剪辑视频 学前教育专业"
        ),
        positions=words("幼师 培训老师 网管 设计 社区工作者 摄影师 翻译"),
        male=0.8,
        female=1.0,
        ages=(20, 50),
        person_edu=4,
    ),
}
