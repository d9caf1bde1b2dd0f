"""Who may open the cockpit: the bureaus, their auditors and supervisors, and station managers.

Social workers work case by case; their home page shows what is due. The cockpit's figures are
aggregates for managing the network (domain.md §5), so they are not offered to them.
"""

from typing import Any

from swstation.core.permissions import user_has_role
from swstation.core.roles import Role

COCKPIT_ROLES: frozenset[str] = frozenset(
    {
        Role.CITY_ADMIN,
        Role.DISTRICT_OFFICER,
        Role.STATION_MANAGER,
        Role.SUPERVISOR,
        Role.AUDITOR,
    }
)


def user_sees_cockpit(user: Any) -> bool:
    return user_has_role(user, COCKPIT_ROLES)
