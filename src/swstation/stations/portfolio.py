"""The "1+X+1" project portfolio of stations, as the stations app needs it: a port filled from
above (domain.md §1 "Three functions, the 1+X+1 model", §5 "Station compliance"; issue 12).

Projects are recorded by the ``projects`` app, which sits *above* this one (docs/architecture.md:
apps depend downward only). The rule itself is data of the construction standard
(``ConstructionStandard.portfolio_minimums``: the least number of projects of each category a
station runs, judged at the year's end or today, e.g. ``{"vulnerable_groups": 1,
"talent_support": 1}``; the ``regional_feature`` projects are any number). What counts as
running, and the categories, are the projects app's: it supplies them once, from its
``AppConfig.ready()``, with
:func:`register_portfolio_source`. Until something is registered, the portfolio is not assessed.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Q


@dataclass(frozen=True)
class PortfolioSource:
    categories: Callable[[], list[tuple[str, str]]]
    """The project categories, as (code, label)."""
    running_counts: Callable[[Sequence[int], date], dict[int, dict[str, int]]]
    """Station pk → category → projects running at the station on ``day``."""
    complete_q: Callable[[Mapping[str, int], date], Q]
    """A condition on a ``Station`` queryset: the station runs at least the minimums by
    category on ``day`` (correlated on the station's pk)."""
    station_projects_url: Callable[[int, date], str]
    """The projects list of a station running that year."""


_source: PortfolioSource | None = None


def register_portfolio_source(source: PortfolioSource) -> None:
    """Called once by the app that records projects (``projects``) in its ``ready()``."""
    global _source
    _source = source


def portfolio_source() -> PortfolioSource | None:
    return _source


def portfolio_categories() -> list[tuple[str, str]]:
    return _source.categories() if _source else []


def active_minimums(minimums: Mapping[str, int] | None) -> dict[str, int]:
    """The minimums that ask for something (a category with at least 1)."""
    return {code: int(n) for code, n in (minimums or {}).items() if int(n or 0) > 0}
