"""Reads of the employment aid (issue 14). Every function starts from
``Model.objects.visible_to(actor)``; a post's places filled are counted from its placements in
SQL (:func:`with_places_filled`), never typed; matching scores in Python over the few columns it
needs (matching.py), after SQL has kept only the seekers who could fit (seeking, free in one of
the season's months, living in the post's district).
"""

from django.db.models import Count, F, IntegerField, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from swstation.core.actors import Actor
from swstation.employment import matching
from swstation.employment.models import (
    FILLING_PLACEMENT,
    JobPost,
    JobSeeker,
    Placement,
    PostStatus,
    SeekerStatus,
)
from swstation.linkage.models import Partner, PartnerKind
from swstation.recipients.models import Recipient
from swstation.recipients.selectors import user_may_reveal_identity
from swstation.stations.models import Station

__all__ = [
    "employer_choices",
    "job_post_list",
    "job_seeker_list",
    "matches_for_post",
    "matches_for_seeker",
    "may_reveal_identity",
    "placement_list",
    "station_choices",
    "with_places_filled",
]

MATCH_LIMIT = 50


def with_places_filled(queryset: QuerySet[JobPost]) -> QuerySet[JobPost]:
    """Each post with ``places_filled``: its placements hired, at work or having left (a seasonal
    place is filled once)."""
    return queryset.annotate(
        places_filled=Coalesce(
            Count("placements", filter=Q(placements__status__in=FILLING_PLACEMENT)),
            0,
            output_field=IntegerField(),
        )
    )


def job_seeker_list(*, actor: Actor) -> QuerySet[JobSeeker]:
    queryset: QuerySet[JobSeeker] = JobSeeker.objects.visible_to(actor)
    return queryset.select_related("region", "station", "recipient")


def job_post_list(*, actor: Actor) -> QuerySet[JobPost]:
    queryset: QuerySet[JobPost] = JobPost.objects.visible_to(actor)
    return with_places_filled(queryset.select_related("employer", "station", "region"))


def placement_list(*, actor: Actor) -> QuerySet[Placement]:
    queryset: QuerySet[Placement] = Placement.objects.visible_to(actor)
    return queryset.select_related(
        "post", "post__employer", "post__region", "seeker", "seeker__region"
    )


def may_reveal_identity(actor: Actor) -> bool:
    """As for recipients and volunteers: the station's manager and social workers, each view
    logged."""
    return user_may_reveal_identity(actor)


def station_choices(*, actor: Actor) -> QuerySet[Station]:
    """The stations a seeker or post is written into: the writer's write scope."""
    queryset: QuerySet[Station] = Station.objects.visible_to(actor, for_write=True)
    return queryset.select_related("region").order_by("region__code", "name")


def employer_choices(*, actor: Actor) -> QuerySet[Partner]:
    """The enterprise partners the writer reads (a district's enterprises too)."""
    queryset: QuerySet[Partner] = Partner.objects.visible_to(actor)
    return queryset.filter(kind=PartnerKind.ENTERPRISE, active=True).order_by("name")


def recipient_choices(*, actor: Actor) -> QuerySet[Recipient]:
    queryset: QuerySet[Recipient] = Recipient.objects.visible_to(actor, for_write=True)
    return queryset.select_related("region").order_by("name")


def matches_for_post(
    *, actor: Actor, post: JobPost, limit: int = MATCH_LIMIT
) -> list[matching.Match]:
    """The seekers the actor reads who fit ``post``, best first, each with its reasons. Seekers
    already referred to it are left out. SQL keeps the seekers seeking work, free in one of the
    season's months and living in the post's district; matching.py scores the rest."""
    facts = matching.post_facts(post)
    referred = Placement.objects.filter(post=post).values("seeker_id")
    visible: QuerySet[JobSeeker] = JobSeeker.objects.visible_to(actor)
    candidates = (
        visible.select_related("region", "station")
        .filter(status=SeekerStatus.SEEKING, region__code__startswith=post.region.code[:6])
        .annotate(free_in_season=F("available_months").bitand(facts.months))
        .filter(free_in_season__gt=0)
        .exclude(pk__in=referred)
        .only(
            "pk",
            "name",
            "sex",
            "category",
            "skills",
            "work_wanted",
            "available_months",
            "hours_per_day",
            "child_care",
            "no_transport",
            "health_limits",
            "travel_range",
            "wanted_pay",
            "region__code",
            "region__name",
            "station__name",
        )
    )
    scored = [
        matching.score(matching.seeker_facts(seeker), facts, subject=seeker)
        for seeker in candidates
    ]
    return matching.rank(scored, key=lambda seeker: (seeker.name, seeker.pk))[:limit]


def matches_for_seeker(
    *, actor: Actor, seeker: JobSeeker, limit: int = MATCH_LIMIT
) -> list[matching.Match]:
    """The open posts the actor reads whose season has not ended, with places left, that fit
    ``seeker``, best first."""
    facts = matching.seeker_facts(seeker)
    referred = Placement.objects.filter(seeker=seeker).values("post_id")
    posts = (
        job_post_list(actor=actor)
        .filter(status=PostStatus.OPEN, season_to__gte=timezone.localdate())
        .filter(region__code__startswith=seeker.region.code[:6])
        .exclude(pk__in=referred)
    )
    scored = [
        matching.score(facts, matching.post_facts(post), subject=post)
        for post in posts
        if post.places_filled < post.places  # type: ignore[attr-defined]
    ]
    return matching.rank(scored, key=lambda post: (post.season_from, post.pk))[:limit]
