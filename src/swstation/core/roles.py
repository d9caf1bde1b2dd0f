"""The roles of domain.md §4 and the region levels each may be given as jurisdiction."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("City civil-affairs bureau")
    DISTRICT_OFFICER = "district_officer", _("District civil-affairs officer")
    STATION_MANAGER = "station_manager", _("Station manager")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    SUPERVISOR = "supervisor", _("Supervisor")
    AUDITOR = "auditor", _("Auditor / inspector")
    # A third-party assessor (issue 15; spec/station-evaluation.md §4): not of the bureau's
    # network, reads only the stations assigned to them in a round.
    EVALUATOR = "evaluator", _("Third-party evaluator")


# The roles of the bureau's own network, who read by jurisdiction. The evaluator is not one of
# them: a model lets them in only by naming them (and its ``assignment_path``, core.scoping).
ALL_ROLES: frozenset[str] = frozenset(Role.values) - {Role.EVALUATOR}
# Roles that read only the records of their assignments (core.scoping, ``assignment_path``).
ASSIGNED_ROLES: frozenset[str] = frozenset({Role.EVALUATOR})

# The groups of roles that the models' permissions are written with (domain.md §4).
CITY_ADMIN_ONLY: frozenset[str] = frozenset({Role.CITY_ADMIN})
# The city and district civil-affairs bureaus.
BUREAUS: frozenset[str] = frozenset({Role.CITY_ADMIN, Role.DISTRICT_OFFICER})
# The bureaus and the station managers: who manage a station's records.
MANAGERS: frozenset[str] = BUREAUS | {Role.STATION_MANAGER}
# The bureaus and the supervisors: who organise supervision.
SUPERVISION: frozenset[str] = BUREAUS | {Role.SUPERVISOR}

# domain.md §4: the scope each role works at, by region level.
JURISDICTION_LEVELS: dict[str, frozenset[str]] = {
    Role.CITY_ADMIN: frozenset({"city"}),
    Role.DISTRICT_OFFICER: frozenset({"county"}),
    Role.STATION_MANAGER: frozenset({"township"}),
    Role.SOCIAL_WORKER: frozenset({"township"}),
    Role.SUPERVISOR: frozenset({"city", "county", "township"}),
    Role.AUDITOR: frozenset({"city", "county"}),
    # The city: an evaluator works for the city's rounds, narrowed to their assignments.
    Role.EVALUATOR: frozenset({"city"}),
}

# Roles that read everything in scope but never see personal data in full (domain.md §4).
MASKED_ROLES: frozenset[str] = frozenset({Role.AUDITOR, Role.EVALUATOR})
