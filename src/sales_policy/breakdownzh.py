"""The Chinese of one employee's breakdown (``score --explain EMPLOYEE --lang zh``,
``scoreexplain``): each line's template by its English one, and the words a line puts in.

The words follow the score table's and the rule files' (``rules/assessment.yaml``): an
indicator as the parameters name it (``scorenotes.INDICATORS_ZH``), a severity as the
reports do (提示, 轻微, 较重, 严重), a finding as a 发现 (an info finding is no 违规), a
threshold reached or passed as 及以上 (等级 B 及以上, 较重及以上级发现)."""

from __future__ import annotations

#: each line's template in Chinese, by its English template
TEMPLATES_ZH = {
    "{employee}  team {team}  {period}  amounts in {currency}": (
        "{employee}  团队 {team}  {period}  金额单位 {currency}"
    ),
    "overall {overall} = {kpi_weight} x KPI {kpi} + {conduct_weight} x mean conduct {mean}": (
        "总分 {overall} = {kpi_weight} × KPI {kpi} + {conduct_weight} × 平均行为分 {mean}"
    ),
    "grade   {grade} ({grades}); rank {rank} of {size} in the team": (
        "等级 {grade}（{grades}）；团队 {size} 人中排名第 {rank}"
    ),
    "KPI {kpi}: achievement capped at {cap}": "KPI {kpi}：完成率上限 {cap}",
    "; needs {names} computed": "；须能计算{names}指标",
    "  {name}  not computed: {reason}; weight {weight}": (
        "  {name}  无法计算：{reason}；权重 {weight}"
    ),
    "months": "各月",
    "orders booked in the period": "本期下单的订单",
    "training {course} due {due}: {state}  {source}": (
        "培训 {course} 应于 {due} 前完成：{state}  {source}"
    ),
    "conduct: 100 less points per finding ({points}), at least 0": (
        "行为分：100 减去每条发现的扣分（{points}），最低为 0"
    ),
    "{rule} {severity} x{count} -{points} ({dates})": (
        "{rule} {severity} {count} 条 -{points}（{dates}）"
    ),
    "commission {commission} = {rate} x net sales (tier {tier}: {basis} achievement {span})": (
        "提成 {commission} = {rate} × 净销售额（{tier}档：{basis}完成率 {span}）"
    ),
    "{lower} and above": "{lower} 及以上",
    "{lower} to {upper}": "{lower} 至 {upper}",
    "bonus      {state} ({conditions})": "奖金 {state}（{conditions}）",
    "trip       {state} ({conditions}; places for the top {percent}% of the team, in rank "
    "order to those who meet these)": (
        "旅游 {state}（{conditions}；名额为团队前 {percent}%，按排名依次给予符合以上条件者）"
    ),
    ": meets these, but the team's {places} place{s} went to those ranked above": (
        "：符合以上条件，但团队的 {places} 个名额已由排名在前者获得"
    ),
    "grade {grade} or better": "等级 {grade} 及以上",
    "{name} computed": "{name}指标可计算",
    "no {severity}{worse}{where} finding": "无{where}{severity}{worse}级发现",
    " or worse": "及以上",
    " {rulesets}": "{rulesets}的",
    "employed to the last day of the period": "在职至考核期最后一天",
    "note: {note}": "说明：{note}",
}
#: the line of a month's figures
MONTH = (
    "  {period}: net {net} = booked {gross} - reversed {reversed}; target {target}; new "
    "customers {customers}{ids}, target {customer_target}; surveys {surveys}, satisfaction "
    "{satisfaction}; previous {previous}: net {previous_net}; training {on_time} of {due} on "
    "time"
)
TEMPLATES_ZH[MONTH] = (
    "  {period}：净销售额 {net} = 下单 {gross} - 撤销 {reversed}；目标 {target}；"
    "新开发客户 {customers}{ids}，目标 {customer_target}；问卷 {surveys} 份，满意度 "
    "{satisfaction}；上一期 {previous}：净销售额 {previous_net}；培训 {due} 项，按期完成 "
    "{on_time} 项"
)
#: the words a line puts in, in Chinese: an order's status, whether it counts, a state
WORDS_ZH = {
    "booked": "已下单",
    "cancelled": "已取消",
    "refunded": "已退款",
    "counted": "计入",
    "not counted": "不计入",
    ", won the customer": "，赢得新客户",
    "on time": "按期完成",
    "overdue": "逾期未完成",
    "no finding": "无发现",
    "eligible": "符合条件",
    "not eligible": "不符合条件",
    # the handbook's commission tiers (rules/assessment.yaml); a company's keep their names
    "below": "未达",
    "near": "接近",
    "met": "达标",
    "exceeded": "超额",
}
