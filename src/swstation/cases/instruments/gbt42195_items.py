"""GB/T 42195-2022 as a registered instrument: the 26 items with what each score means (for the
form, the assessment page and the report), the Annex A base information that C.4 reads (coma,
diagnoses, care-risk events) around the pure functions of :mod:`gbt42195`.

Labels are English source strings; the translator comments give the standard's Chinese wording
as spec/elderly-assessment-gbt42195.md §1 reproduces it (the zh-Hans catalogue follows them).
The spec lists known wording variants (§9.6): they change no score.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from swstation.cases.instruments import gbt42195
from swstation.cases.instruments.registry import (
    Condition,
    Dimension,
    ElderlyOutcome,
    Item,
    ItemError,
    register_elderly_instrument,
    scored_choices,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

__all__ = ["INSTRUMENT", "Gbt42195"]


# Scale "A" (spec §1): the same wording in S4–S7.
# Translators: 独立完成，不需要他人协助
A4 = _("Independent, needs no help")
# Translators: 在他人指导或提示下完成
A3 = _("Done with guidance or prompting")
# Translators: 需要他人协助，但以自身完成为主
A2 = _("Needs some help, mainly done by the elder")
# Translators: 主要依靠他人协助，自身能给予配合
A1 = _("Mainly done by others, the elder cooperates")
# Translators: 完全依赖他人协助，且不能给予配合
A0 = _("Fully dependent, cannot cooperate")
SCALE_A = scored_choices((4, A4), (3, A3), (2, A2), (1, A1), (0, A0))

SELF_CARE = Dimension(
    key="self_care",
    # Translators: 自理能力 (GB/T 42195-2022 B.1)
    label=_("Self-care"),
    grade_rule=_("Subtotal 0–32"),
    items=(
        # Translators: 进食
        Item(
            "eating",
            _("Eating"),
            scored_choices(
                # Translators: 独立使用器具进食并咽下，没有呛咳
                (4, _("Eats with utensils and swallows independently, no choking")),
                # Translators: 在他人指导或提示下完成，或独立使用辅具，没有呛咳
                (3, _("With prompting, or with an eating aid, no choking")),
                # Translators: 需少量接触式协助，偶尔（每月一次及以上）呛咳
                (2, _("A little hands-on help; chokes occasionally (monthly or more)")),
                # Translators: 需大量接触式协助，经常（每周一次及以上）呛咳
                (1, _("Much hands-on help; chokes often (weekly or more)")),
                # Translators: 完全依赖他人协助进食，或吞咽困难，或留置营养管
                (0, _("Fed by others, or cannot swallow, or has a feeding tube")),
            ),
        ),
        # Translators: 修饰
        Item("grooming", _("Grooming"), SCALE_A),
        # Translators: 洗澡
        Item("bathing", _("Bathing"), SCALE_A),
        # Translators: 穿/脱上衣
        Item("upper_dressing", _("Putting on and taking off upper clothes"), SCALE_A),
        # Translators: 穿/脱裤子和鞋袜
        Item("lower_dressing", _("Putting on and taking off trousers, shoes and socks"), SCALE_A),
        # Translators: 小便控制
        Item(
            "bladder_control",
            _("Bladder control"),
            scored_choices(
                # Translators: 可自行控制，排尿次数、排尿控制均正常
                (4, _("Controls it; frequency and control normal")),
                # Translators: 白天可自行控制，夜间次数增多或控制较差，或自行使用尿布、尿垫
                (3, _("Controls it by day, worse at night, or manages pads alone")),
                # Translators: 白天大部分时间可控制，偶有尿失禁（每天<1次，但每周>1次），
                # 或他人少量协助使用尿布、尿垫
                (
                    2,
                    _(
                        "Occasionally incontinent (under once a day, over once a week), "
                        "or a little help with pads"
                    ),
                ),
                # Translators: 白天大部分时间不能控制（每天≥1次），夜间尿失禁，
                # 或他人大量协助使用尿布、尿垫
                (
                    1,
                    _(
                        "Incontinent most days (once a day or more) or at night, "
                        "or much help with pads"
                    ),
                ),
                # Translators: 小便失禁，完全不能控制，或留置导尿管
                (0, _("Incontinent, no control, or an indwelling catheter")),
            ),
        ),
        # Translators: 大便控制
        Item(
            "bowel_control",
            _("Bowel control"),
            scored_choices(
                # Translators: 可正常自行控制大便排出
                (4, _("Controls bowel movements normally")),
                # Translators: 有时（每周<1次）便秘或大便失禁，或自行使用开塞露、尿垫等
                (
                    3,
                    _(
                        "Sometimes (under once a week) constipated or incontinent, "
                        "or uses aids alone"
                    ),
                ),
                # Translators: 经常（每天<1次，但每周>1次）便秘或大便失禁，
                # 或他人少量协助使用辅助用物
                (
                    2,
                    _(
                        "Often (under once a day, over once a week) constipated or "
                        "incontinent, or a little help with aids"
                    ),
                ),
                # Translators: 大部分时间（每天≥1次）便秘或大便失禁，但尚非完全失控，或他人大量协助
                (
                    1,
                    _(
                        "Constipated or incontinent most of the time (daily), "
                        "or much help with aids"
                    ),
                ),
                # Translators: 严重便秘或者完全大便失禁，需要依赖他人协助排便或清洁皮肤
                (0, _("Severe constipation or complete incontinence, dependent on others")),
            ),
        ),
        # Translators: 如厕
        Item("toileting", _("Toileting"), SCALE_A),
    ),
)

BASIC_MOBILITY = Dimension(
    key="basic_mobility",
    # Translators: 基础运动能力 (GB/T 42195-2022 B.2)
    label=_("Basic mobility"),
    grade_rule=_("Subtotal 0–15"),
    items=(
        # Translators: 床上体位转移
        Item("bed_mobility", _("Turning over and sitting up in bed"), SCALE_A),
        # Translators: 床椅转移
        Item("bed_chair_transfer", _("Bed–chair transfer"), SCALE_A),
        # Translators: 平地行走
        Item(
            "walking",
            _("Walking on the flat"),
            scored_choices(
                # Translators: 独立平地步行50 m左右，不需要协助，无摔倒风险
                (4, _("Walks about 50 m alone, no help, no fall risk")),
                # Translators: 能平地步行50 m左右，存在摔倒风险，需要他人监护或指导，或使用拐杖、
                # 助行器等辅助工具
                (
                    3,
                    _(
                        "Walks about 50 m with a fall risk: needs supervision or guidance, "
                        "or a cane or walker"
                    ),
                ),
                # Translators: 在步行时需要他人少量扶持协助
                (2, _("Needs a little physical support to walk")),
                # Translators: 在步行时需要他人大量扶持协助
                (1, _("Needs much physical support to walk")),
                # Translators: 完全不能步行
                (0, _("Cannot walk at all")),
            ),
        ),
        # Translators: 上下楼梯
        Item(
            "stairs",
            _("Going up and down stairs"),
            scored_choices(
                # Translators: 可独立上下楼梯（连续上下10~15个台阶），不需要协助
                (3, _("Climbs 10–15 steps independently, needs no help")),
                (2, A3),
                (1, A2),
                # Translators: 主要依靠他人协助（能配合），或完全依赖他人（不能配合）
                (0, _("Mainly or fully dependent on others")),
            ),
        ),
    ),
)

MENTAL_STATE = Dimension(
    key="mental_state",
    # Translators: 精神状态 (GB/T 42195-2022 B.3)
    label=_("Mental state"),
    grade_rule=_("Subtotal 0–28"),
    items=(
        # Translators: 时间定向
        Item(
            "time_orientation",
            _("Orientation in time"),
            scored_choices(
                # Translators: 时间观念（年、月）清楚，日期（或星期几）可相差一天
                (4, _("Knows the year and month; the date or weekday within one day")),
                # Translators: 时间观念有些下降，年、月、
                # 日（或星期几）不能全部分清（相差两天或以上）
                (3, _("Somewhat weaker: off by two days or more")),
                # Translators: 时间观念较差，年、月、日不清楚，可知上半年或下半年或季节
                (2, _("Knows only the half of the year or the season")),
                # Translators: 时间观念很差，年、月、日不清楚，可知上午、下午或白天、夜间
                (1, _("Knows only morning or afternoon, day or night")),
                # Translators: 无时间观念
                (0, _("No sense of time")),
            ),
        ),
        # Translators: 空间定向
        Item(
            "space_orientation",
            _("Orientation in space"),
            scored_choices(
                # Translators: 能在日常生活范围内单独外出，如在日常居住小区内独自外出购物等
                (4, _("Goes out alone in daily life, such as shopping in the neighbourhood")),
                # Translators: 不能单独外出，但能准确知道自己日常生活所在地的地址信息
                (3, _("Cannot go out alone but knows the home address exactly")),
                # Translators: 不能单独外出，但知道较多有关自己日常生活的地址信息
                (2, _("Cannot go out alone; knows much about where they live")),
                # Translators: 不能单独外出，但知道较少自己居住或生活所在地的地址信息
                (1, _("Cannot go out alone; knows little about where they live")),
                # Translators: 不能单独外出，无空间观念
                (0, _("Cannot go out alone; no sense of space")),
            ),
        ),
        # Translators: 人物定向
        Item(
            "people_orientation",
            _("Orientation to people"),
            scored_choices(
                # Translators: 认识长期共同一起生活的人，能称呼并知道关系
                (4, _("Knows the people they live with, by name and relationship")),
                # Translators: 能认识大部分共同生活居住的人，能称呼或知道关系
                (3, _("Knows most of them, by name or relationship")),
                # Translators: 能认识部分日常同住的亲人或照护者等
                (2, _("Knows some of the relatives or carers they live with")),
                # Translators: 只认识自己或极少数日常同住的亲人或照护者等
                (1, _("Knows only themself or very few of them")),
                # Translators: 不认识任何人（包括自己）
                (0, _("Knows nobody, not even themself")),
            ),
        ),
        # Translators: 记忆
        Item(
            "memory",
            _("Memory"),
            scored_choices(
                # Translators: 总是能保持与社会、年龄所适应的记忆能力，能完整的回忆
                (4, _("Memory suited to age; recalls fully")),
                # Translators: 出现轻度的记忆紊乱或回忆不能（不能回忆即时信息，
                # 3个词语经过5分钟后仅能回忆0~1个）
                (3, _("Mild disorder: recalls 0–1 of 3 words after 5 minutes")),
                # Translators: 出现中度的记忆紊乱或回忆不能（不能回忆近期记忆，
                # 不记得上一顿饭吃了什么）
                (2, _("Moderate: cannot recall recent events, such as the last meal")),
                # Translators: 出现重度的记忆紊乱或回忆不能（不能回忆远期记忆，不记得自己的老朋友）
                (1, _("Severe: cannot recall remote events, such as old friends")),
                # Translators: 记忆完全紊乱或者完全不能对既往事物进行正确的回忆
                (0, _("Memory completely disordered")),
            ),
        ),
        # Translators: 理解能力
        Item(
            "comprehension",
            _("Comprehension"),
            scored_choices(
                # Translators: 能正常理解他人的话
                (4, _("Understands others normally")),
                # Translators: 能理解他人的话，但需要增加时间
                (3, _("Understands others, but needs more time")),
                # Translators: 理解有困难，需频繁重复或简化口头表达
                (2, _("Has difficulty: needs frequent repetition or simplification")),
                # Translators: 理解有严重困难，需要大量他人帮助
                (1, _("Severe difficulty: needs much help")),
                # Translators: 完全不能理解他人的话
                (0, _("Cannot understand others at all")),
            ),
        ),
        # Translators: 表达能力
        Item(
            "expression",
            _("Expression"),
            scored_choices(
                # Translators: 能正常表达自己的想法
                (4, _("Expresses themself normally")),
                # Translators: 能表达自己的需要，但需要增加时间
                (3, _("Expresses needs, but needs more time")),
                # Translators: 表达需要有困难，需频繁重复或简化口头表达
                (2, _("Has difficulty expressing needs: frequent repetition or simplification")),
                # Translators: 表达有严重困难，需要大量他人帮助
                (1, _("Severe difficulty expressing: needs much help")),
                # Translators: 完全不能表达需要
                (0, _("Cannot express needs at all")),
            ),
        ),
        # Translators: 攻击行为
        Item(
            "aggression",
            _("Aggressive behaviour"),
            scored_choices(
                # Translators: 未出现
                (1, _("None")),
                # Translators: 近一个月内出现过攻击行为
                (0, _("Aggressive behaviour in the last month")),
            ),
        ),
        # Translators: 抑郁症状
        Item(
            "depression",
            _("Depressive symptoms"),
            scored_choices(
                # Translators: 未出现
                (1, _("None")),
                # Translators: 近一个月内出现过负性情绪
                (0, _("Negative mood in the last month")),
            ),
        ),
        # Translators: 意识水平
        Item(
            "consciousness",
            _("Level of consciousness"),
            scored_choices(
                # Translators: 神志清醒，对周围环境能做出正确反应
                (2, _("Alert, responds correctly to the surroundings")),
                # Translators: 嗜睡或意识模糊
                (1, _("Drowsy or confused")),
                # Translators: 昏睡或昏迷
                (0, _("Stupor or coma")),
            ),
        ),
    ),
)

PERCEPTION_SOCIAL = Dimension(
    key="perception_social",
    # Translators: 感知觉与社会参与 (GB/T 42195-2022 B.4)
    label=_("Perception and social participation"),
    grade_rule=_("Subtotal 0–15"),
    items=(
        # Translators: 视力
        Item(
            "vision",
            _("Vision"),
            scored_choices(
                # Translators: 视力正常
                (2, _("Normal vision")),
                # Translators: 能看清楚大字体，但看不清书报上的标准字体；视力有限，
                # 看不清报纸大标题，但能辨认物体
                (1, _("Reads large print only, or recognises objects only")),
                # Translators: 只能看到光、颜色和形状；完全失明
                (0, _("Sees only light, colour and shape, or blind")),
            ),
        ),
        # Translators: 听力
        Item(
            "hearing",
            _("Hearing"),
            scored_choices(
                # Translators: 听力正常
                (2, _("Normal hearing")),
                # Translators: 在轻声说话或说话距离超过2 m时听不清；正常交流有些困难，
                # 需在安静的环境或大声说话才能听到
                (1, _("Misses quiet speech or speech beyond 2 m, or needs quiet or loud speech")),
                # Translators: 讲话者大声说话或说话很慢，才能部分听见；完全失聪
                (0, _("Hears only part of loud, slow speech, or deaf")),
            ),
        ),
        # Translators: 执行日常事务
        Item(
            "daily_affairs",
            _("Daily affairs"),
            scored_choices(
                # Translators: 能完全独立计划、安排和完成日常事务，无需协助
                (4, _("Plans and does daily affairs independently")),
                # Translators: 在计划、安排和完成日常事务时需要他人监护或指导
                (3, _("Needs supervision or guidance")),
                # Translators: 在计划、安排和完成日常事务时需要少量协助
                (2, _("Needs a little help")),
                # Translators: 在计划、安排和完成日常事务时需要大量协助
                (1, _("Needs much help")),
                # Translators: 完全依赖他人进行日常事务
                (0, _("Fully dependent on others")),
            ),
        ),
        # Translators: 使用交通工具外出
        Item(
            "transport",
            _("Going out by transport"),
            scored_choices(
                # Translators: 能自己骑车或搭乘公共交通工具外出
                (3, _("Cycles or takes public transport alone")),
                # Translators: 能自己搭乘出租车，但不会搭乘其他公共交通工具外出
                (2, _("Takes a taxi alone, but no other public transport")),
                # Translators: 当有人协助或陪伴，可搭乘公共交通工具外出
                (1, _("Takes public transport only when helped or accompanied")),
                # Translators: 只能在他人协助下搭乘出租车或私家车外出；完全不能出门，
                # 或者外出完全需要协助
                (0, _("Taxi or private car only with help, or cannot go out")),
            ),
        ),
        # Translators: 社会交往能力
        Item(
            "social_interaction",
            _("Social interaction"),
            scored_choices(
                # Translators: 参与社会，在社会环境有一定的适应能力，待人接物恰当
                (4, _("Takes part in society and behaves appropriately")),
                # Translators: 能适应单纯环境，主动接触他人，初见面时难让人发现智力问题，
                # 不能理解隐喻语
                (3, _("Copes with simple settings, approaches others; misses metaphors")),
                # Translators: 脱离社会，可被动接触，不会主动待人，谈话中很多不适词句，容易上当受骗
                (2, _("Withdrawn: only passive contact, easily deceived")),
                # Translators: 勉强可与他人接触，谈吐内容不清楚，表情不恰当
                (1, _("Barely makes contact; unclear speech, inappropriate expression")),
                # Translators: 不能与人交往
                (0, _("Cannot interact with others")),
            ),
        ),
    ),
)

# Translators: A.2.14 近30天内照护风险事件: 无 / 发生过1次 / 发生过2次 / 发生过3次及以上
EVENT_CHOICES = (
    (0, _("None")),
    (1, _("Once")),
    (2, _("Twice")),
    (3, _("Three times or more")),
)
YES_NO = ((False, _("No")), (True, _("Yes")))
CONDITIONS = (
    Condition(
        "coma",
        # Translators: A.5.11 昏迷
        _("Coma (A.5.11)"),
        YES_NO,
        False,
        kind="flag",
        help_text=_("A person in a coma is rated “ability completely lost” directly (C.4)."),
    ),
    Condition(
        "diagnoses",
        # Translators: A.4.1 疾病诊断
        _("Disease diagnoses (A.4.1), ICD-10 codes"),
        (),
        (),
        kind="codes",
        private=True,
        help_text=_(
            "Codes separated by commas, such as F00.1, I10. Diagnosed dementia (F00–F03) "
            "raises the level by one; so does another mental and behavioural disorder "
            "(F04–F99) diagnosed by a psychiatrist."
        ),
    ),
    Condition(
        "by_psychiatrist",
        # Translators: 精神科专科医生诊断
        _("F04–F99 diagnosed by a psychiatrist"),
        YES_NO,
        False,
        kind="flag",
        private=True,
    ),
    # Translators: A.2.14.1 跌倒
    Condition("falls", _("Falls in the last 30 days"), EVENT_CHOICES, 0),
    # Translators: A.2.14.2 走失
    Condition("getting_lost", _("Got lost in the last 30 days"), EVENT_CHOICES, 0),
    # Translators: A.2.14.3 噎食
    Condition("choking", _("Choking in the last 30 days"), EVENT_CHOICES, 0),
    # Translators: A.2.14.4 自杀、自伤
    Condition("suicide_self_harm", _("Suicide or self-harm in the last 30 days"), EVENT_CHOICES, 0),
    # Translators: A.2.14.5 其他
    Condition("other", _("Other care-risk events in the last 30 days"), EVENT_CHOICES, 0),
)
_EVENT_CONDITIONS = gbt42195.RISK_EVENT_KINDS


class Gbt42195:
    """GB/T 42195-2022: 26 items added up to 0–90, five levels 0–4 (spec §1–§3). The
    reassessment interval is the city's (policy data, 6 months by default: spec §6, §9.9)."""

    standard: str = gbt42195.STANDARD
    dimensions: tuple[Dimension, ...] = (SELF_CARE, BASIC_MOBILITY, MENTAL_STATE, PERCEPTION_SOCIAL)
    conditions: tuple[Condition, ...] = CONDITIONS
    level_names: Mapping[int, StrOrPromise] = {
        # Translators: 能力完好
        0: _("Intact ability"),
        # Translators: 能力轻度受损（轻度失能）
        1: _("Mildly impaired ability (mild disability)"),
        # Translators: 能力中度受损（中度失能）
        2: _("Moderately impaired ability (moderate disability)"),
        # Translators: 能力重度受损（重度失能）
        3: _("Severely impaired ability (severe disability)"),
        # Translators: 能力完全丧失（完全失能）
        4: _("Ability completely lost (complete disability)"),
    }
    # C.4 能力等级变更依据: the three items.
    raise_reasons: Mapping[str, StrOrPromise] = {
        # Translators: 处于昏迷状态者，直接评定为能力完全丧失
        "coma": _("in a coma: rated directly"),
        # Translators: 确诊为痴呆（F00～F03）、
        # 精神科专科医生诊断的其他精神和行为障碍疾病（F04～F99）
        "f_diagnosis": _(
            "diagnosed dementia (F00–F03) or another mental and behavioural disorder "
            "diagnosed by a psychiatrist (F04–F99)"
        ),
        # Translators: 近30天内发生过2次及以上照护风险事件
        "risk_events": _("care-risk events in the last 30 days at or above the threshold"),
    }
    max_level: int = gbt42195.MAX_LEVEL
    # A.1.3 评估原因: 首次评估, 常规评估, 即时评估, 因对评估结果有疑问进行的复评, 其他.
    reasons: tuple[str, ...] = ("initial", "routine", "change", "recheck", "other")
    reassess_months: int = 6

    def rules(self, rules: Mapping[str, Any] | None) -> gbt42195.Rules:
        try:
            return gbt42195.Rules.from_dict(rules)
        except (TypeError, ValueError) as exc:
            raise ItemError("rules", str(exc)) from exc

    def optional_items(
        self,
        items: Mapping[str, Mapping[str, Any]],
        adjustments: Mapping[str, Any] | None = None,
        rules: Mapping[str, Any] | None = None,
    ) -> bool:
        """Items may be left blank only for a person in a coma, and only where the city's
        rules say so (``coma_items_optional``, spec §9.4)."""
        return bool((adjustments or {}).get("coma")) and self.rules(rules).coma_items_optional

    def normalise_adjustments(self, adjustments: Mapping[str, Any] | None) -> dict[str, Any]:
        """Every condition with its default filled in: ``coma`` and ``by_psychiatrist`` as
        booleans, ``diagnoses`` as a list of upper-case ICD-10 codes without repeats, the five
        event counts 0–3. ItemError for an unknown name or a disallowed value."""
        given = dict(adjustments or {})
        unknown = set(given) - {c.name for c in self.conditions}
        if unknown:
            name = sorted(unknown)[0]
            raise ItemError(name, given[name])
        result: dict[str, Any] = {}
        for condition in self.conditions:
            value = given.get(condition.name)
            if value is None:
                value = [] if condition.kind == "codes" else condition.default
            if condition.kind == "flag":
                if not isinstance(value, bool):
                    raise ItemError(condition.name, value)
            elif condition.kind == "codes":
                value = _codes(condition.name, value)
            elif isinstance(value, bool) or value not in dict(condition.choices):
                raise ItemError(condition.name, value)
            result[condition.name] = value
        return result

    def evaluate(
        self,
        items: Mapping[str, Mapping[str, Any]],
        adjustments: Mapping[str, Any],
        rules: Mapping[str, Any] | None = None,
    ) -> ElderlyOutcome:
        conditions = self.normalise_adjustments(adjustments)
        applied = self.rules(rules)
        result = gbt42195.assess(
            items,
            coma=conditions["coma"],
            diagnoses=conditions["diagnoses"],
            by_psychiatrist=conditions["by_psychiatrist"],
            risk_events={kind: conditions[kind] for kind in _EVENT_CONDITIONS},
            rules=applied,
        )
        subtotals = result.subtotals or {}
        return ElderlyOutcome(
            totals={d.key: subtotals.get(d.key) for d in self.dimensions},
            grades={},
            base_level=result.preliminary_level,
            level=result.level,
            rule_gap_resolved=False,
            coma=result.coma,
            raised_by=tuple(r.key for r in result.reasons)
            if result.level != result.preliminary_level
            else (),
            total=result.total,
            change_reasons=tuple({"key": r.key, "detail": r.detail} for r in result.reasons),
            rules=applied.as_dict(),
        )


def _codes(name: str, value: Any) -> list[str]:
    """The codes as stored: split by :func:`gbt42195.split_codes`, each an ICD-10 code
    (ItemError names the first that is not)."""
    if not isinstance(value, str | list | tuple):
        raise ItemError(name, value)
    codes = gbt42195.split_codes(value)
    for code in codes:
        if not isinstance(code, str) or not gbt42195.ICD10.match(code):
            raise ItemError(name, code)
    return codes


INSTRUMENT = Gbt42195()
register_elderly_instrument(INSTRUMENT)
