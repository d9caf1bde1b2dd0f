"""The person at the centre (issue 10): everything about a recipient on their page, read where
each piece lives, and the actions a worker takes from there — a port filled from above.

A person's cases, services, visit plans, assessments and project enrolments are recorded by
apps that sit *above* recipients (``cases``, ``projects``; docs/architecture.md: apps depend
downward only). Recipients must not import them nor name their relations, URLs or templates.
So this module declares what the person's page shows —

- **facts**: lines of the summary at the top (a capability level and when reassessment is due,
  a risk level, who is responsible...);
- **actions**: the buttons at the top (record a service, start an assessment, open a case,
  plan visits, enrol in a project), as links to add forms preset with what the page knows
  (the person, the logged-in worker, the case), offered only to the roles that may add;
- **sections**: cards of the page, each rendered by a template of the app that owns it;
- **events**: lines of the person's timeline;

— and each app above supplies its part once, from its ``AppConfig.ready()``, with
:func:`register_overview_source`: a function ``(actor, recipient, on) -> OverviewPart`` that
reads through that app's own selectors (jurisdiction, a worker's own cases, minors and
auditors). Until something is registered, the page shows the recipients app's own part only.

Every source reads a fixed number of queries whatever the number of records, so that the page
does not grow slower with a person's history (tests/recipients/test_recipient_overview*.py).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from swstation.core.actors import Actor
from swstation.recipients.models import CategoryPeriod, Recipient

__all__ = [
    "TIMELINE_EVENTS",
    "Action",
    "Event",
    "Fact",
    "Overview",
    "OverviewPart",
    "Section",
    "overview_sources",
    "recipient_overview",
    "register_overview_source",
]

# The timeline shows the newest events up to this many (each source caps its own too).
TIMELINE_EVENTS = 60


@dataclass(frozen=True)
class Fact:
    """A line of the summary: a label, its value, optionally a link, a tone ("danger",
    "warning", "success", "info") and a short note beside it."""

    key: str
    label: str
    value: str
    url: str = ""
    tone: str = ""
    note: str = ""
    order: int = 100


@dataclass(frozen=True)
class Action:
    """A button at the top of the page: a link to an add form with its presets."""

    key: str
    label: str
    url: str
    icon: str
    order: int = 100
    primary: bool = False


@dataclass(frozen=True)
class Section:
    """A card of the page. ``template_name`` belongs to the app that supplies the section and
    gets ``section`` (this object; its ``data`` is the source's) and ``object`` (the person).
    ``open_on_phone``: the card starts unfolded on a phone (the others fold to their title and
    count, and unfold on a tap). ``column``: "main" (the person's work, first on a phone) or
    "side" (beside it on a desktop, after it on a phone)."""

    key: str
    title: str
    template_name: str
    data: Any = None
    count: int | None = None
    order: int = 100
    open_on_phone: bool = False
    more_url: str = ""
    alert: bool = False  # something is overdue: the folded title says so
    column: str = "main"


@dataclass(frozen=True)
class Event:
    """A line of the timeline. ``covers``: the url of another source's event this one stands
    for (a placement's start of work for the service record it wrote): the timeline shows this
    one only, whichever parts supplied them."""

    day: date
    kind: str
    title: str
    detail: str = ""
    url: str = ""
    icon: str = "dot"
    order: int = 0  # among events of one day: the higher, the later
    covers: str = ""


@dataclass
class OverviewPart:
    """What one app supplies to a person's page."""

    facts: list[Fact] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


OverviewSource = Callable[[Actor, Recipient, date], OverviewPart]

_sources: dict[str, OverviewSource] = {}


def register_overview_source(name: str, source: OverviewSource) -> None:
    """Called once by each app above recipients (``cases``, ``projects``) in its ``ready()``;
    registering a name again replaces its source."""
    _sources[name] = source


def overview_sources() -> dict[str, OverviewSource]:
    return dict(_sources)


@dataclass
class Overview:
    """A person's page: the summary's facts, the actions, the sections and the timeline
    (newest first), from the recipients app's own part and every registered source."""

    recipient: Recipient
    on: date
    facts: list[Fact]
    actions: list[Action]
    sections: list[Section]
    events: list[Event]
    events_cut: bool = False

    @property
    def primary_action(self) -> Action | None:
        return next((action for action in self.actions if action.primary), None)

    @property
    def other_actions(self) -> list[Action]:
        primary = self.primary_action
        return [action for action in self.actions if action is not primary]


def recipient_overview(*, actor: Actor, recipient: Recipient, on: date | None = None) -> Overview:
    """Everything about ``recipient`` that ``actor`` may see, and what they may do next.

    ``recipient`` is a record the actor may see (read through ``recipient_list``, with its
    categories and category periods prefetched). A merged record is history: its parts are
    shown, its actions never."""
    on = on or timezone.localdate()
    parts = [_own_part(recipient)]
    parts += [source(actor, recipient, on) for source in _sources.values()]
    actions = [action for part in parts for action in part.actions]
    if recipient.is_merged:
        actions = []
    covered = {event.covers for part in parts for event in part.events if event.covers}
    events = sorted(
        (
            event
            for part in parts
            for event in part.events
            if not (event.url and event.url in covered)
        ),
        key=lambda event: (event.day, event.order),
        reverse=True,
    )
    return Overview(
        recipient=recipient,
        on=on,
        facts=sorted((fact for part in parts for fact in part.facts), key=lambda f: f.order),
        actions=sorted(actions, key=lambda action: action.order),
        sections=sorted(
            (section for part in parts for section in part.sections), key=lambda s: s.order
        ),
        events=events[:TIMELINE_EVENTS],
        events_cut=len(events) > TIMELINE_EVENTS,
    )


# --- the recipients app's own part -----------------------------------------------------------


def _periods(recipient: Recipient) -> list[CategoryPeriod]:
    """The person's category periods (prefetched by ``recipient_list``), current ones first."""
    periods = list(recipient.category_periods.all())
    return sorted(
        periods,
        key=lambda p: (p.valid_to is not None, p.category.order, -p.valid_from.toordinal()),
    )


def _own_part(recipient: Recipient) -> OverviewPart:
    """Registration and exit, categories with their validity, the serving station."""
    periods = _periods(recipient)
    current = [p for p in periods if p.valid_to is None]
    facts = [
        Fact(
            key="categories",
            label=_("Categories"),
            value="、".join(p.category.name for p in current) or "—",
            order=10,
        ),
        Fact(
            key="registered",
            label=_("Registered on"),
            value=recipient.registered_on.isoformat(),
            order=80,
        ),
    ]
    if recipient.exited_on:
        facts.append(
            Fact(
                key="exited",
                label=_("Exit"),
                value=f"{recipient.exited_on.isoformat()} · {recipient.get_exit_reason_display()}",
                tone="secondary",
                order=81,
            )
        )
    if recipient.station_id and recipient.station is not None:
        facts.append(
            Fact(
                key="station",
                label=_("Serving station"),
                value=recipient.station.name,
                url=recipient.station.get_absolute_url(),
                order=70,
            )
        )
    events = [
        Event(
            day=recipient.registered_on,
            kind="registration",
            title=_("Registered for the stations' services"),
            icon="person-plus",
            order=-10,
        )
    ]
    if recipient.exited_on:
        events.append(
            Event(
                day=recipient.exited_on,
                kind="registration",
                title=_("Left the stations' services: %(reason)s")
                % {"reason": recipient.get_exit_reason_display()},
                icon="person-dash",
                order=10,
            )
        )
    for period in periods:
        events.append(
            Event(
                day=period.valid_from,
                kind="category",
                title=_("Entered the category %(category)s") % {"category": period.category.name},
                icon="tag",
                order=-5,
            )
        )
        if period.valid_to is not None:
            events.append(
                Event(
                    day=period.valid_to,
                    kind="category",
                    title=_("Left the category %(category)s") % {"category": period.category.name},
                    icon="tag",
                    order=5,
                )
            )
    section = Section(
        key="categories",
        title=_("Categories and their validity"),
        template_name="recipients/overview/categories.html",
        data=periods,
        count=len(current),
        order=90,
        more_url=f"{reverse('recipients:categoryperiod_list')}?recipient={recipient.pk}",
        column="side",
    )
    return OverviewPart(facts=facts, sections=[section], events=events)
