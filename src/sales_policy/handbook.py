"""The handbook's clauses, by id, in Chinese and English.

The source is the company's salesperson handbook (业务员工作规程手册).  Rules cite these ids;
the rule loader rejects a clause id that is not here.  Chapters 2–9 give the Chinese as a
heading only; the English text is the handbook's rendering.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Clause:
    """One clause of the handbook."""

    clause_id: str
    title_zh: str
    title_en: str
    text_zh: str
    text_en: str


CLAUSES: dict[str, Clause] = {
    "1.1": Clause(
        "1.1",
        "业务员的角色和职责",
        "Role and duties",
        "积极拜访潜在客户，了解其需求，推销公司的产品和服务；维护现有客户关系，及时回应客户的需求和问题；定期与客户沟通，了解客户对公司产品和服务的意见和建议；收集市场信息，了解竞争对手的动态，为公司制定销售策略提供参考；完成公司下达的销售任务和目标。",
        (
            "Actively visit prospective customers, learn their needs, promote the company's "
            "products and services. Maintain existing customer relationships; respond to "
            "customers' needs and problems promptly. Communicate with customers regularly to "
            "learn their opinions and suggestions. Collect market information and "
            "competitors' moves as input to the company's sales strategy. Meet the sales "
            "tasks and targets the company sets."
        ),
    ),
    "1.2": Clause(
        "1.2",
        "工作性质和工作时间",
        "Nature of the work and working hours",
        "业务员需要全职参与销售工作，不允许私自兼职或同时从事其他与销售无关的工作；工作时间为上午9点到下午6点，每周工作5天，双休日为周六和周日；如有特殊情况需要加班，需要提前向主管报备，经批准后方可加班。",
        (
            "Salespeople work full-time; taking a side job privately, or doing other work "
            "unrelated to sales at the same time, is not allowed. Working hours are 09:00 to "
            "18:00, five days a week; Saturday and Sunday are rest days. Overtime in special "
            "cases must be reported to the supervisor in advance, and may be worked only "
            "after approval."
        ),
    ),
    "2.1": Clause(
        "2.1",
        "了解产品和服务",
        "Know the products and services",
        "了解产品和服务",
        (
            "Know the products and services (features, advantages, use) well enough to inform "
            "customers accurately and answer their questions."
        ),
    ),
    "2.2": Clause(
        "2.2",
        "沟通能力",
        "Communication",
        "沟通能力",
        (
            "Communicate effectively with all kinds of customers and resolve their problems "
            "and needs."
        ),
    ),
    "2.3": Clause(
        "2.3",
        "销售技巧",
        "Sales technique",
        "销售技巧",
        (
            "Learn and master basic sales techniques: opening, demonstration, negotiation and "
            "closing."
        ),
    ),
    "3.1": Clause(
        "3.1",
        "潜在客户开发",
        "Prospect development",
        "潜在客户开发",
        (
            "Develop prospects by phone, e-mail, social media and other channels; make first "
            "contact and arrange meetings."
        ),
    ),
    "3.2": Clause(
        "3.2",
        "客户拜访",
        "Customer visits",
        "客户拜访",
        (
            "Visit customers regularly, according to plan and schedule; build and maintain "
            "good relationships; promote products and services."
        ),
    ),
    "3.3": Clause(
        "3.3",
        "销售谈判",
        "Sales negotiation",
        "销售谈判",
        (
            "When a customer shows purchase intent, negotiate terms: price, delivery, "
            "after-sales service."
        ),
    ),
    "3.4": Clause(
        "3.4",
        "合同签订",
        "Contract signing",
        "合同签订",
        (
            "When negotiation reaches agreement, prepare the contract, agreements and "
            "documents, and sign them with the customer."
        ),
    ),
    "3.5": Clause(
        "3.5",
        "售后服务",
        "After-sales service",
        "售后服务",
        (
            "After the sale, follow up promptly on the customer's satisfaction and give the "
            "after-sales service and support needed for long-term cooperation."
        ),
    ),
    "4.1": Clause(
        "4.1",
        "保护客户信息",
        "Protect customer information",
        "保护客户信息",
        (
            "Protect customers' privacy and trade secrets; never disclose customer "
            "information to competitors; never use customer data for personal benefit."
        ),
    ),
    "4.2": Clause(
        "4.2",
        "诚信经营",
        "Honest dealing",
        "诚信经营",
        (
            "Be honest and keep promises; never obtain sales results or benefits by improper "
            "means; never mislead customers by false advertising or exaggerated promises."
        ),
    ),
    "4.3": Clause(
        "4.3",
        "工作纪律",
        "Work discipline",
        "工作纪律",
        (
            "Work to the company's hours and arrangements; no late arrival, no early leave, "
            "no leaving one's post or the workplace without permission."
        ),
    ),
    "5.1": Clause(
        "5.1",
        "业绩考核",
        "Performance assessment",
        "业绩考核",
        (
            "Salespeople are assessed on the targets and tasks they reach, including sales "
            "amount, number of customers developed, and customer satisfaction."
        ),
    ),
    "5.2": Clause(
        "5.2",
        "激励措施",
        "Incentives",
        "激励措施",
        ("Rewards follow sales performance, such as commission, bonuses and trips."),
    ),
    "6.1": Clause(
        "6.1",
        "了解客户需求",
        "Understand customer needs",
        "了解客户需求",
        (
            "Listen carefully to the customer's needs and problems; recommend products and "
            "build the sales plan from them."
        ),
    ),
    "6.2": Clause(
        "6.2",
        "个性化销售",
        "Personalised selling",
        "个性化销售",
        ("Tailor a personalised sales plan to each customer's needs and preferences."),
    ),
    "6.3": Clause(
        "6.3",
        "竞争分析",
        "Competitive analysis",
        "竞争分析",
        (
            "Regularly collect and analyse competitors' moves (product features, price "
            "advantages, market share) and set sales strategy from them."
        ),
    ),
    "6.4": Clause(
        "6.4",
        "谈判技巧",
        "Negotiation technique",
        "谈判技巧",
        ("Answer the customer's doubts and objections effectively to reach agreement."),
    ),
    "6.5": Clause(
        "6.5",
        "销售闭合",
        "Closing the sale",
        "销售闭合",
        ("Ask in time whether the customer intends to buy, resolve doubts, and close the order."),
    ),
    "7.1": Clause(
        "7.1",
        "客户信息管理",
        "Customer information management",
        "客户信息管理",
        ("Keep a customer file: basic information, needs, purchase records."),
    ),
    "7.2": Clause(
        "7.2",
        "售后服务",
        "After-sales service",
        "售后服务",
        (
            "Follow up promptly on satisfaction and problem reports; give the after-sales "
            "support needed."
        ),
    ),
    "7.3": Clause(
        "7.3",
        "客户回访",
        "Return visits",
        "客户回访",
        (
            "Make regular return visits to learn how the customer rates the products and "
            "service, and resolve problems promptly."
        ),
    ),
    "7.4": Clause(
        "7.4",
        "客户维护",
        "Customer maintenance",
        "客户维护",
        (
            "Keep in regular contact (phone, e-mail, social media) to learn the customer's "
            "latest needs and market moves."
        ),
    ),
    "8.1": Clause(
        "8.1",
        "出勤纪律",
        "Attendance discipline",
        "出勤纪律",
        (
            "Keep strictly to the company's working hours and arrangements; no late arrival "
            "or early leave; no leave taken privately: leave in special cases must be "
            "requested of the supervisor in advance and approved."
        ),
    ),
    "8.2": Clause(
        "8.2",
        "保护公司利益",
        "Protect the company's interests",
        "保护公司利益",
        (
            "Protect the company's trade secrets and interests; never disclose trade secrets "
            "or core technology; never use company resources or customer data for personal "
            "benefit."
        ),
    ),
    "8.3": Clause(
        "8.3",
        "诚信守约",
        "Honesty and keeping faith",
        "诚信守约",
        (
            "Be honest and keep promises; no improper means to obtain results or benefits; no "
            "false advertising or exaggerated promises; keep faith with customers."
        ),
    ),
    "8.4": Clause(
        "8.4",
        "职业形象",
        "Professional image",
        "职业形象",
        ("Keep a professional image (appearance, speech and manner, dress)."),
    ),
    "9.1": Clause(
        "9.1",
        "业绩考核指标",
        "Assessment indicators",
        "业绩考核指标",
        ("Assessment indicators: mainly sales amount, sales growth rate, customer satisfaction."),
    ),
    "9.2": Clause(
        "9.2",
        "奖励制度",
        "Reward system",
        "奖励制度",
        ("Rewards by performance and contribution: commission, bonuses, trips."),
    ),
    "9.3": Clause(
        "9.3",
        "培训和成长机会",
        "Training and growth",
        "培训和成长机会",
        ("The company provides training: product knowledge, sales technique, management ability."),
    ),
}
