from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    """站点评估 (issue 15, spec/station-evaluation.md): the versioned indicator sets (评估标准)
    that stations are evaluated against, the rounds that score the stations with a published
    version, each station's evaluation, the rectification items that follow and the
    third-party evaluators."""

    name = "swstation.evaluation"
    verbose_name = _("Station evaluation")

    def ready(self) -> None:
        from swstation.core.navigation import MenuItem, register_menu_item
        from swstation.core.roles import ALL_ROLES, BUREAUS, CITY_ADMIN_ONLY, Role
        from swstation.evaluation.models import (
            DISTRICT_ASSESSMENT_READERS,
            READERS,
            DistrictAssessment,
            DistrictAssessmentScheme,
            EvaluationRound,
            Evaluator,
            IndicatorSet,
            RectificationItem,
            StationEvaluation,
        )

        # Policy data every role reads and only the city bureau keeps: offered to the city
        # bureau and the district officers (who will run rounds against it), in the stations'
        # menu beside the construction standards (a menu of its own squeezed the city
        # bureau's bar at 1440 px); 26 comes after the stations' own entries (20–25).
        register_menu_item(
            MenuItem(
                _("Stations"),
                _("Indicator sets"),
                "evaluation:indicatorset_list",
                "clipboard-check",
                IndicatorSet,
                26,
                roles=BUREAUS,
            )
        )
        # The rounds and the stations' evaluations are everyone's work, the third-party
        # evaluator's included (they see only their assignments; nothing else of the menu is
        # theirs); a social worker's part is the evidence of their station's evaluation, not
        # the rounds. Rectification is the network's (the evaluator proposes items from the
        # scorecard); the evaluators' profiles are the bureaus'.
        for order, (label, url_name, icon, model, roles) in enumerate(
            [
                (
                    _("Evaluation rounds"),
                    "evaluation:evaluationround_list",
                    "calendar-check",
                    EvaluationRound,
                    READERS - {Role.SOCIAL_WORKER},
                ),
                (
                    _("Station evaluations"),
                    "evaluation:stationevaluation_list",
                    "clipboard-data",
                    StationEvaluation,
                    READERS,
                ),
                (
                    _("Rectification items"),
                    "evaluation:rectificationitem_list",
                    "wrench-adjustable",
                    RectificationItem,
                    ALL_ROLES,
                ),
                (
                    _("Evaluators"),
                    "evaluation:evaluator_list",
                    "person-check",
                    Evaluator,
                    BUREAUS,
                ),
            ],
            start=27,
        ):
            register_menu_item(
                MenuItem(_("Stations"), label, url_name, icon, model, order, roles=roles)
            )
        # The district assessment (市对区县考核) is read beside the cockpit and the district
        # report, by the bureaus and the auditors; its schemes are the city bureau's data.
        register_menu_item(
            MenuItem(
                _("Cockpit"),
                _("District assessment"),
                "evaluation:districtassessment_list",
                "award",
                DistrictAssessment,
                3,
                roles=DISTRICT_ASSESSMENT_READERS,
            )
        )
        register_menu_item(
            MenuItem(
                _("Cockpit"),
                _("District assessment schemes"),
                "evaluation:districtassessmentscheme_list",
                "sliders",
                DistrictAssessmentScheme,
                4,
                roles=CITY_ADMIN_ONLY,
            )
        )
