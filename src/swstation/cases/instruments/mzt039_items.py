"""MZ/T 039-2013 as a registered instrument: the items with what each score means (for the
form and the assessment page) around the pure scoring functions of :mod:`mzt039`.

Labels are English source strings; the translator comments give the standard's own Chinese
wording (appendix B), which the zh-Hans catalogue should follow.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from swstation.cases.instruments import mzt039
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

__all__ = ["INSTRUMENT", "MENTAL_ILLNESSES", "Mzt039"]


INDEPENDENT = _("Independent")
PARTIAL_HELP = _("Needs partial help")
GREAT_HELP = _("Needs great help")
DEPENDENT = _("Fully dependent")
GREAT_HELP_OR_DEPENDENT = _("Needs great help or fully dependent")
NEEDS_HELP = _("Needs help")

ADL = Dimension(
    key="adl",
    # Translators: 日常生活活动 (MZ/T 039-2013 B.1)
    label=_("Activities of daily living"),
    grade_field="adl_grade",
    grade_rule=_("0 = 100 · 1 = 65–95 · 2 = 45–60 · 3 = 40 or less"),
    items=(
        # Translators: 进食
        Item(
            "eating",
            _("Eating"),
            scored_choices(
                (10, INDEPENDENT),
                (5, PARTIAL_HELP),
                (0, _("Needs great help, fully dependent or tube-fed")),
            ),
        ),
        # Translators: 洗澡
        Item(
            "bathing",
            _("Bathing"),
            scored_choices((5, _("Independent once the water is ready")), (0, NEEDS_HELP)),
        ),
        # Translators: 修饰
        Item(
            "grooming",
            _("Grooming"),
            scored_choices(
                (5, _("Independent (washing the face, brushing teeth, combing, shaving)")),
                (0, NEEDS_HELP),
            ),
        ),
        # Translators: 穿衣
        Item(
            "dressing",
            _("Dressing"),
            scored_choices((10, INDEPENDENT), (5, PARTIAL_HELP), (0, GREAT_HELP_OR_DEPENDENT)),
        ),
        # Translators: 大便控制
        Item(
            "bowel_control",
            _("Bowel control"),
            scored_choices(
                (10, _("Continent")),
                (5, _("Occasional accident (less than once a week) or needs reminding")),
                (0, _("Incontinent")),
            ),
        ),
        # Translators: 小便控制
        Item(
            "bladder_control",
            _("Bladder control"),
            scored_choices(
                (10, _("Continent")),
                (
                    5,
                    _(
                        "Occasional accident (less than once a day, more than once a week) "
                        "or needs reminding"
                    ),
                ),
                (0, _("Incontinent or catheterised")),
            ),
        ),
        # Translators: 如厕
        Item(
            "toileting",
            _("Toileting"),
            scored_choices((10, INDEPENDENT), (5, PARTIAL_HELP), (0, GREAT_HELP_OR_DEPENDENT)),
        ),
        # Translators: 床椅转移
        Item(
            "bed_chair_transfer",
            _("Bed–chair transfer"),
            scored_choices((15, INDEPENDENT), (10, PARTIAL_HELP), (5, GREAT_HELP), (0, DEPENDENT)),
        ),
        # Translators: 平地行走
        Item(
            "walking",
            _("Walking 45 m on the flat"),
            scored_choices((15, INDEPENDENT), (10, PARTIAL_HELP), (5, GREAT_HELP), (0, DEPENDENT)),
        ),
        # Translators: 上下楼梯
        Item(
            "stairs",
            _("Going up and down stairs"),
            scored_choices((10, INDEPENDENT), (5, PARTIAL_HELP), (0, GREAT_HELP_OR_DEPENDENT)),
        ),
    ),
)

MENTAL = Dimension(
    key="mental",
    # Translators: 精神状态 (MZ/T 039-2013 B.2)
    label=_("Mental state"),
    grade_field="mental_grade",
    grade_rule=_("0 = 0 · 1 = 1 · 2 = 2–3 · 3 = 4–6"),
    items=(
        # Translators: 认知功能
        Item(
            "cognition",
            _("Cognition"),
            scored_choices(
                (0, _("Draws the clock correctly and recalls 2–3 words")),
                (1, _("Draws the clock wrongly or recalls 0–1 words")),
                (2, _("Diagnosed cognitive impairment")),
            ),
        ),
        # Translators: 攻击行为
        Item(
            "aggression",
            _("Aggressive behaviour"),
            scored_choices(
                (0, _("None")),
                (1, _("Several times a month")),
                (2, _("Several times a week")),
            ),
        ),
        # Translators: 抑郁症状
        Item(
            "depression",
            _("Depressive symptoms"),
            scored_choices(
                (0, _("None")),
                (1, _("Low mood, withdrawn, neglects grooming or activity")),
                (2, _("Suicidal thoughts or acts")),
            ),
        ),
    ),
)

PERCEPTION = Dimension(
    key="perception",
    # Translators: 感知觉与沟通 (MZ/T 039-2013 B.3)
    label=_("Perception and communication"),
    grade_field="perception_grade",
    grade_rule=_("By the combination of consciousness, vision, hearing and communication"),
    items=(
        # Translators: 意识水平
        Item(
            "consciousness",
            _("Level of consciousness"),
            scored_choices(
                # Translators: 神志清醒
                (0, _("Alert")),
                # Translators: 嗜睡
                (1, _("Drowsy")),
                # Translators: 昏睡
                (2, _("Stupor")),
                # Translators: 昏迷
                (3, _("Coma")),
            ),
        ),
        # Translators: 视力
        Item(
            "vision",
            _("Vision"),
            scored_choices(
                (0, _("Reads standard print in books and newspapers")),
                (1, _("Reads large print but not standard print")),
                (2, _("Cannot read newspaper headlines but recognises objects")),
                (
                    3,
                    _(
                        "Has difficulty recognising objects; the eyes follow moving objects; "
                        "sees only light, colour and shape"
                    ),
                ),
                (4, _("No sight; the eyes do not follow moving objects")),
            ),
        ),
        # Translators: 听力
        Item(
            "hearing",
            _("Hearing"),
            scored_choices(
                (0, _("Converses normally; hears the television, telephone and doorbell")),
                (1, _("Cannot hear soft speech or speech from more than 2 m away")),
                (2, _("Some difficulty in conversation: needs quiet or a loud voice")),
                (3, _("Hears only in part when spoken to loudly or slowly")),
                (4, _("Hears nothing")),
            ),
        ),
        # Translators: 沟通交流
        Item(
            "communication",
            _("Communication"),
            scored_choices(
                (0, _("No difficulty: understands others and expresses themself")),
                (1, _("Needs more time or some help to understand or express")),
                (2, _("Needs frequent repetition or simplification")),
                (3, _("Cannot express needs or understand others")),
            ),
        ),
    ),
)

SOCIAL = Dimension(
    key="social",
    # Translators: 社会参与 (MZ/T 039-2013 B.4)
    label=_("Social participation"),
    grade_field="social_grade",
    grade_rule=_("0 = 0–2 · 1 = 3–7 · 2 = 8–13 · 3 = 14–20"),
    items=(
        # Translators: 生活能力
        Item(
            "living_skills",
            _("Daily living skills"),
            scored_choices(
                (0, _("Self-caring, and does housework or manages household affairs")),
                (1, _("Self-caring and does housework, but not well")),
                (2, _("Self-caring; does some housework only with help, and poorly")),
                (3, _("Manages basic self-care (eating, toileting); washes when prompted")),
                (4, _("Needs partial or full help with basic self-care")),
            ),
        ),
        # Translators: 工作能力
        Item(
            "work_skills",
            _("Work skills"),
            scored_choices(
                (0, _("Carries on former skilled mental or manual work as before")),
                (1, _("Former skilled work somewhat declined")),
                (2, _("Former skilled work clearly worse, partly forgotten")),
                (3, _("Only fragments of former skills remain")),
                (4, _("All former knowledge and skills lost")),
            ),
        ),
        # Translators: 时间/空间定向
        Item(
            "orientation_time_space",
            _("Orientation in time and space"),
            scored_choices(
                (0, _("Clear sense of time; travels far alone and learns new places quickly")),
                (1, _("Knows the date within a few days; goes to nearby streets alone")),
                (2, _("Knows only the half of the year; moves alone only near home")),
                (3, _("Knows only morning or afternoon; visits only next-door neighbours")),
                (4, _("No sense of time; cannot go out alone")),
            ),
        ),
        # Translators: 人物定向
        Item(
            "orientation_people",
            _("Orientation to people"),
            scored_choices(
                (0, _("Knows kinship terms; judges strangers' age and addresses them suitably")),
                (1, _("Knows only close family relationships; cannot address strangers")),
                (2, _("Names family members without knowing the relationships")),
                (3, _("Knows only the relatives living with them; tells friends from strangers")),
                (4, _("Knows only the carer; cannot tell friends from strangers")),
            ),
        ),
        # Translators: 社会交往能力
        Item(
            "social_interaction",
            _("Social interaction"),
            scored_choices(
                (0, _("Takes part in society and behaves appropriately")),
                (1, _("Adapts to simple settings; does not understand metaphor")),
                (2, _("Withdrawn; responds but does not approach others; easily deceived")),
                (3, _("Barely able to interact; unclear speech, inappropriate expressions")),
                (4, _("Hardly able to make contact with others")),
            ),
        ),
    ),
)

ACCIDENT_CHOICES = (
    (0, _("None")),
    (1, _("Once")),
    (2, _("Twice")),
    (3, _("Three times or more")),
)
MENTAL_ILLNESSES = (
    ("", _("None")),
    # Translators: 精神分裂症
    ("schizophrenia", _("Schizophrenia")),
    # Translators: 双相情感障碍
    ("bipolar", _("Bipolar disorder")),
    # Translators: 偏执性精神障碍
    ("paranoid", _("Paranoid disorder")),
    # Translators: 分裂情感障碍
    ("schizoaffective", _("Schizoaffective disorder")),
    # Translators: 癫痫所致精神障碍
    ("epileptic", _("Mental disorder due to epilepsy")),
    # Translators: 精神发育迟滞伴发精神障碍
    ("intellectual", _("Mental disorder with intellectual disability")),
)
CONDITIONS = (
    Condition(
        "dementia",
        # Translators: 痴呆 (C.3)
        _("Dementia"),
        (
            ("none", _("None")),
            ("mild", _("Mild")),
            ("moderate", _("Moderate")),
            ("severe", _("Severe")),
        ),
        "none",
    ),
    Condition("mental_illness", _("Diagnosed mental illness"), MENTAL_ILLNESSES, "", private=True),
    # Translators: 近30天内跌倒
    Condition("falls", _("Falls in the last 30 days"), ACCIDENT_CHOICES, 0),
    # Translators: 近30天内噎食
    Condition("choking", _("Choking in the last 30 days"), ACCIDENT_CHOICES, 0),
    # Translators: 近30天内自杀
    Condition("suicide_attempts", _("Suicide attempts in the last 30 days"), ACCIDENT_CHOICES, 0),
    # Translators: 近30天内走失
    Condition("getting_lost", _("Got lost in the last 30 days"), ACCIDENT_CHOICES, 0),
)


class Mzt039:
    """MZ/T 039-2013: four dimensions, ability level 0–3, reassessed every 6 months."""

    standard: str = mzt039.STANDARD
    dimensions: tuple[Dimension, ...] = (ADL, MENTAL, PERCEPTION, SOCIAL)
    conditions: tuple[Condition, ...] = CONDITIONS
    level_names: Mapping[int, StrOrPromise] = {
        # Translators: 能力完好
        0: _("Intact ability"),
        # Translators: 轻度失能
        1: _("Mild disability"),
        # Translators: 中度失能
        2: _("Moderate disability"),
        # Translators: 重度失能
        3: _("Severe disability"),
    }
    raise_reasons: Mapping[str, StrOrPromise] = {
        # Translators: B.2.1 认知功能 scored 2, 已确诊为认知障碍
        "cognition": _("a diagnosed cognitive impairment (cognition scored 2)"),
        "dementia": _("dementia"),
        "mental_illness": _("a diagnosed mental illness"),
        "accidents": _("two or more accidents in the last 30 days"),
    }
    max_level: int = 3
    # A.1.3: 接受服务前初评, 常规评估, 即时评估, 因评估结果有疑问进行的复评.
    reasons: tuple[str, ...] = ("initial", "routine", "change", "recheck")
    reassess_months: int = 6

    def optional_items(
        self,
        items: Mapping[str, Mapping[str, Any]],
        adjustments: Mapping[str, Any] | None = None,
        rules: Mapping[str, Any] | None = None,
    ) -> bool:
        """C.3: a person in a coma is rated directly; the other items may be left blank."""
        return (items.get("perception") or {}).get("consciousness") == mzt039.COMA

    def normalise_adjustments(self, adjustments: Mapping[str, Any] | None) -> dict[str, Any]:
        given = dict(adjustments or {})
        unknown = set(given) - {c.name for c in self.conditions}
        if unknown:
            raise ItemError(sorted(unknown)[0], given[sorted(unknown)[0]])
        result = {}
        for condition in self.conditions:
            value = given.get(condition.name, condition.default)
            if value is None:
                value = condition.default
            if value not in dict(condition.choices) or isinstance(value, bool):
                raise ItemError(condition.name, value)
            result[condition.name] = value
        return result

    def evaluate(
        self,
        items: Mapping[str, Mapping[str, Any]],
        adjustments: Mapping[str, Any],
        rules: Mapping[str, Any] | None = None,
    ) -> ElderlyOutcome:
        """Scored by :func:`mzt039.assess`; MZ/T 039 has no configurable rules (``rules`` is
        ignored)."""
        known = {dimension.key: {i.name for i in dimension.items} for dimension in self.dimensions}
        for key, given in items.items():
            if key not in known or not isinstance(given, Mapping):
                raise ItemError(key, given)
            for name, value in given.items():
                # An unknown name is a typo, not an item; JSON true is not a score of 1.
                if name not in known[key] or isinstance(value, bool):
                    raise ItemError(name, value)
        conditions = self.normalise_adjustments(adjustments)
        result = mzt039.assess(
            items.get("adl"),
            items.get("mental"),
            items.get("perception") or {},
            items.get("social"),
            mzt039.Adjustments(
                dementia=conditions["dementia"],
                mental_illness=bool(conditions["mental_illness"]),
                falls=conditions["falls"],
                choking=conditions["choking"],
                suicide_attempts=conditions["suicide_attempts"],
                getting_lost=conditions["getting_lost"],
            ),
        )
        return ElderlyOutcome(
            totals={
                "adl": result.adl_total,
                "mental": result.mental_total,
                "perception": None,
                "social": result.social_total,
            },
            grades={
                "adl": result.adl_grade,
                "mental": result.mental_grade,
                "perception": result.perception_grade,
                "social": result.social_grade,
            },
            base_level=result.base_level,
            level=result.level,
            rule_gap_resolved=result.rule_gap_resolved,
            coma=result.coma,
            raised_by=tuple(result.raised_by),
            table_ambiguous=result.table_ambiguous,
        )


INSTRUMENT = Mzt039()
register_elderly_instrument(INSTRUMENT)
