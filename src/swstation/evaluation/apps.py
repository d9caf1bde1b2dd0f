from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    """站点评估 (issue 15, spec/station-evaluation.md): the versioned indicator sets (评估标准)
    that stations are evaluated against. Rounds, scores, surveys and rectification come
    later and score against a published version."""

    name = "swstation.evaluation"
    verbose_name = _("Station evaluation")

    def ready(self) -> None:
        from swstation.core.navigation import MenuItem, register_menu_item
        from swstation.core.roles import BUREAUS
        from swstation.evaluation.models import IndicatorSet

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
