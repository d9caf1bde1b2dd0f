"""Aggregates kept up to date as records change, so that the cockpit reads a few hundred rows
whatever the number of records (issue: "the cockpit must not slow down as records grow").

A *family* of tallies (services, recipients, cases, visits, workforce, funds) is computed from
its source records one *partition* at a time: the records of one township (the first 9 digits
of their region code; records registered at a county keep the county's code, "330205000").
A write to a source record marks its partition dirty (:class:`TallyDirty`); a refresh recomputes
just the dirty partitions and the district and city roll-ups above them. See
``dashboard/tallies.py`` for what each family counts.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TallyLevel(models.TextChoices):
    VILLAGE = "v", _("village")
    TOWNSHIP = "t", _("town or street")
    DISTRICT = "d", _("district or county")
    CITY = "c", _("city")
    # A project's own rows, kept at the town of the people served (refreshed with its
    # partition) and never summed into districts or the city: no region's figures read them.
    PROJECT = "p", _("project")


class Tally(models.Model):
    """One aggregate cell: ``metric`` for ``key`` in ``period`` over a region.

    ``count`` counts records (or people, or a net change, see the metric); ``total`` sums a
    measured quantity: minutes for services, yuan for payments and subsidies.
    """

    family = models.CharField(_("family"), max_length=12)
    metric = models.CharField(_("metric"), max_length=24)
    level = models.CharField(_("level"), max_length=1, choices=TallyLevel.choices)
    region_code = models.CharField(_("region code"), max_length=12)
    key = models.CharField(_("key"), max_length=40, blank=True, default="")
    period = models.DateField(_("period"), null=True, blank=True)
    count = models.BigIntegerField(_("count"), default=0)
    total = models.DecimalField(_("total"), max_digits=18, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")
        ordering = ["family", "metric", "level", "region_code", "key", "period"]
        indexes = [
            models.Index(fields=["metric", "level", "region_code", "period"]),
            # Region prefixes are matched with LIKE '3302%': on PostgreSQL only a pattern
            # operator class lets a b-tree answer that under a non-C collation (ignored by
            # SQLite). One for the refresh (a family's partition), one for the breakdowns.
            models.Index(
                fields=["family", "region_code"],
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
                name="tally_family_prefix",
            ),
            models.Index(
                fields=["level", "region_code"],
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
                name="tally_level_prefix",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.level}:{self.region_code} {self.key} {self.period}"


class TallyDirty(models.Model):
    """A partition of a family whose records changed since its tallies were computed."""

    family = models.CharField(_("family"), max_length=12)
    partition = models.CharField(_("partition"), max_length=9)
    marked_at = models.DateTimeField(_("marked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("tally to refresh")
        verbose_name_plural = _("tallies to refresh")
        ordering = ["marked_at"]
        constraints = [
            models.UniqueConstraint(fields=["family", "partition"], name="one_dirty_mark")
        ]

    def __str__(self) -> str:
        return f"{self.family}:{self.partition}"
