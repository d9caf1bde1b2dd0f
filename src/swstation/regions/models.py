from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from swstation.core.models import ScopedModel
from swstation.core.permissions import RolePermissions
from swstation.core.roles import ALL_ROLES, CITY_ADMIN_ONLY
from swstation.regions.codes import LEVEL_ORDER, code_of_prefix, significant_prefix


class RegionLevel(models.TextChoices):
    CITY = "city", _("City")
    COUNTY = "county", _("District / county")
    TOWNSHIP = "township", _("Town / street")
    VILLAGE = "village", _("Village / community")


class Region(ScopedModel):
    """A division of the statistical code tree: city, county, township or village."""

    code = models.CharField(
        _("division code"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^\d{12}$", _("A division code has exactly 12 digits."))],
    )
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_development_zone = models.BooleanField(
        _("development zone"),
        default=False,
        help_text=_("A township-level development zone: not a town or street, gets no station."),
    )

    scope_path: ClassVar[str] = "code"
    role_permissions = RolePermissions(
        view=ALL_ROLES, add=CITY_ADMIN_ONLY, change=CITY_ADMIN_ONLY, delete=CITY_ADMIN_ONLY
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["level", "code"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("regions:region", args=[self.pk])

    def clean(self) -> None:
        """A region below the city has a parent one level up whose prefix its code extends."""
        super().clean()
        problems = region_placement_problems(self.code, self.level, self.parent)
        if problems:
            raise ValidationError(problems)

    @property
    def prefix(self) -> str:
        return significant_prefix(self.code, self.level)

    def contains(self, code: str) -> bool:
        return code.startswith(self.prefix)

    def ancestor_codes(self) -> list[str]:
        """Codes of the enclosing city, county and township, outermost first."""
        codes = []
        for level, digits in (("city", 4), ("county", 6), ("township", 9)):
            if level == self.level:
                break
            codes.append(code_of_prefix(self.code[:digits]))
        return codes


def region_placement_problems(
    code: str, level: str, parent: "Region | None"
) -> dict[str, list[str]]:
    """Why ``code`` at ``level`` cannot sit under ``parent`` (spec/identifiers.md: ancestry is a
    prefix test on the significant digits). Used by the model, hence by forms, API and imports."""
    problems: dict[str, list[str]] = {}
    if level == RegionLevel.CITY or not level:
        return problems
    if parent is None:
        problems["parent"] = [str(_("Every region below the city needs a parent region."))]
        return problems
    expected_parent = LEVEL_ORDER[LEVEL_ORDER.index(level) - 1]
    if parent.level != expected_parent:
        problems["parent"] = [
            str(_("A %(level)s belongs to a %(parent_level)s, not to a %(actual)s."))
            % {
                "level": RegionLevel(level).label,
                "parent_level": RegionLevel(expected_parent).label,
                "actual": parent.get_level_display(),
            }
        ]
    if code and not code.startswith(parent.prefix):
        problems["code"] = [
            str(_("Code %(code)s does not start with the parent's prefix %(prefix)s."))
            % {"code": code, "prefix": parent.prefix}
        ]
    return problems


class PopulationStatus(models.TextChoices):
    CENSUS_VERIFIED = "census_verified", _("Census (verified)")
    CENSUS_PARTLY_VERIFIED = "census_partly_verified", _("Census (partly verified)")
    ESTIMATE_CITY_TOTAL = "estimate_city_total", _("Year-end estimate (city total)")
    ESTIMATE_UNVERIFIED = "estimate_unverified", _("Year-end estimate (unverified)")
    ENTERED = "entered", _("Entered by the bureau")


class Population(ScopedModel):
    """Resident population of a region in a year: the denominator of per-10,000 ratios."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="populations"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1949)])
    population = models.PositiveIntegerField(_("resident population"))
    status = models.CharField(
        _("source"),
        max_length=30,
        choices=PopulationStatus.choices,
        default=PopulationStatus.ENTERED,
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    role_permissions = RolePermissions(
        view=ALL_ROLES, add=CITY_ADMIN_ONLY, change=CITY_ADMIN_ONLY, delete=CITY_ADMIN_ONLY
    )

    class Meta:
        verbose_name = _("population figure")
        verbose_name_plural = _("population figures")
        ordering = ["region__code", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="population_unique_region_year")
        ]
        indexes = [models.Index(fields=["year"])]

    def __str__(self) -> str:
        return f"{self.region} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("regions:population", args=[self.pk])

    def clean(self) -> None:
        """A plausible year (core/date_ranges.py): counted or estimated, at most a year ahead."""
        super().clean()
        latest = timezone.localdate().year + 1
        if self.year and self.year > latest:
            raise ValidationError(
                {
                    "year": _(
                        "Year %(year)s is after %(latest)s: population figures go at most one "
                        "year ahead."
                    )
                    % {"year": self.year, "latest": latest}
                }
            )
