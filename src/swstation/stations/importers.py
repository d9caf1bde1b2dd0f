"""Import of the station list from .xlsx, in the layout the bureaus keep it (issue: "a station
list ... can be imported from .xlsx"). The machinery is :mod:`swstation.core.imports`.

**Which record a row updates**: the station of the same name (站点名称) in the same region
(所属区划代码, or 所属乡镇(街道) by name) among the stations the importer may see; otherwise the
row creates a station. A township has one township station, so a row of another name for a
township that already has one is refused rather than renaming it silently.

Rules on where a station may stand and what its status implies are ``Station.clean()``, run
through the services ``station_create``/``station_update``, shared with the page and the API.

:class:`StationNames` finds a station by the name an office writes, its full name or a short
form unique in the user's jurisdiction (慈城镇社工站 for 慈城镇社会工作站); the recipients and
roster importers use it too.
"""

import re
from collections import defaultdict
from collections.abc import Hashable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from swstation.core.actors import Actor
from swstation.core.imports import Built, Column, Importer, ImportRow, RowInvalid, model_values
from swstation.core.imports.cells import Note
from swstation.core.imports.names import NameIndex, compact
from swstation.regions.models import Region
from swstation.stations.models import ServiceAgency, Station, StationKind
from swstation.stations.services import station_create, station_update

KIND_CHOICES = (
    ("乡镇(街道)社工站", "township"),
    ("乡镇(街道)社会工作站", "township"),
    ("乡镇社工站", "township"),
    ("街道社工站", "township"),
    ("社会工作总站", "district_hub"),
    ("社工总站", "district_hub"),
    ("特色社工站", "special"),
    ("特色站", "special"),
    ("社工室", "outpost"),
    ("社工联络站", "outpost"),
    ("村(社区)社工室", "outpost"),
)
SPECIAL_KIND_CHOICES = (
    ("企业社会工作示范站", "enterprise"),
    ("企业", "enterprise"),
    ("社区矫正社会工作示范站", "community_correction"),
    ("社区矫正", "community_correction"),
    ("学校社会工作站", "school"),
    ("学校", "school"),
    ("医务社会工作站", "medical"),
    ("医务", "medical"),
)
STATUS_CHOICES = (
    ("筹建中", "planned"),
    ("规划中", "planned"),
    ("筹建", "planned"),
    ("建设中", "under_construction"),
    ("在建", "under_construction"),
    ("运营中", "operating"),
    ("正常运营", "operating"),
    ("已建成", "operating"),
    ("运营", "operating"),
    ("暂停运营", "suspended"),
    ("暂停", "suspended"),
    ("停运", "suspended"),
)
OPERATING_MODEL_CHOICES = (
    ("委托社会工作服务机构运营", "commissioned_agency"),
    ("委托社工机构运营", "commissioned_agency"),
    ("委托运营", "commissioned_agency"),
    ("增设社工岗位", "dedicated_posts"),
    ("纳入专职社区工作者", "community_worker_establishment"),
    ("县统招+属地统筹", "county_recruitment"),
    ("县统招属地统筹", "county_recruitment"),
)
# The region levels a kind of station stands at (Station.clean), to resolve a region by name.
KIND_LEVELS = {
    StationKind.TOWNSHIP: ("township",),
    StationKind.DISTRICT_HUB: ("county",),
    StationKind.OUTPOST: ("village",),
    StationKind.SPECIAL: ("city", "county", "township"),
}
CODE_RE = re.compile(r"^\d{12}$")


def station_short_name(name: str) -> str:
    """A station's name as its short forms are compared: 社会工作 written 社工, the township's
    镇 / 街道 / 乡 before it left out (慈城镇社会工作站, 慈城镇社工站 and 慈城社工站 alike)."""
    text = compact(name).replace("社会工作", "社工").replace("(", "").replace(")", "")
    return re.sub(r"(街道|镇|乡)(?=社工)", "", text)


class StationNames:
    """The stations an actor may see (loaded once per import), found by name: the full name,
    or a short form that names one station only (said in the preview)."""

    def __init__(self, actor: Actor, queryset: Any = None) -> None:
        stations = queryset if queryset is not None else Station.objects.visible_to(actor)
        self.index: NameIndex[Station] = NameIndex(shorten=station_short_name)
        self.index.extend(stations.select_related("region"), lambda s: s.name)

    def add(self, station: Station) -> None:
        self.index.add(station, station.name)

    def find(self, name: str, row: ImportRow | None = None, key: str = "") -> list[Station]:
        """The stations ``name`` names; a short form that names one is noted on ``row``."""
        found, short = self.index.find(name)
        if short and len(found) == 1 and row is not None:
            example = f"{name} → {found[0].name}"
            row.notes.append((key, Note(_("a station's short name read as its name"), example)))
        return found

    def get_or_error(self, name: str, row: ImportRow | None = None, key: str = "") -> Station:
        found = self.find(name, row, key)
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise ValueError(
                _("Several stations in your jurisdiction answer to “%(name)s”: %(names)s.")
                % {"name": name, "names": "、".join(sorted({s.name for s in found}))}
            )
        raise ValueError(_("No station “%(name)s” in your jurisdiction.") % {"name": name})


class VisibleRegions:
    """The regions an actor may see, looked up by code or by name (loaded once per import)."""

    def __init__(self, actor: Actor) -> None:
        self.by_code: dict[str, Region] = {}
        self.by_name: dict[str, list[Region]] = defaultdict(list)
        for region in Region.objects.visible_to(actor).only(
            "id", "code", "name", "level", "parent_id", "is_development_zone"
        ):
            self.by_code[region.code] = region
            self.by_name[region.name].append(region)

    def by_code_or_error(self, code: str) -> Region:
        if not CODE_RE.match(code):
            raise ValueError(_("“%(code)s” is not a 12-digit division code.") % {"code": code})
        region = self.by_code.get(code)
        if region is not None:
            return region
        if Region.objects.filter(code=code).exists():
            raise ValueError(
                _("The region %(code)s is outside your jurisdiction.") % {"code": code}
            )
        raise ValueError(_("No region has the division code %(code)s.") % {"code": code})

    def by_name_or_error(
        self, name: str, levels: tuple[str, ...] | None, code_header: str
    ) -> Region:
        candidates = [r for r in self.by_name.get(name, []) if levels is None or r.level in levels]
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            raise ValueError(
                _("Several regions are named “%(name)s”; give the %(column)s instead.")
                % {"name": name, "column": code_header}
            )
        if Region.objects.filter(name=name).exists():
            raise ValueError(
                _("The region “%(name)s” is outside your jurisdiction.") % {"name": name}
            )
        raise ValueError(_("No region is named “%(name)s”.") % {"name": name})


class VisibleAgencies:
    """Service agencies the actor may see, by name or unified social credit code."""

    def __init__(self, actor: Actor) -> None:
        self.by_key: dict[str, list[ServiceAgency]] = defaultdict(list)
        for agency in ServiceAgency.objects.visible_to(actor).only("id", "name", "credit_code"):
            self.by_key[agency.name].append(agency)
            self.by_key[agency.credit_code.upper()].append(agency)

    def get_or_error(self, value: str) -> ServiceAgency:
        found = self.by_key.get(value) or self.by_key.get(value.upper()) or []
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise ValueError(
                _("Several agencies are named “%(name)s”; give the credit code instead.")
                % {"name": value}
            )
        raise ValueError(
            _("No service agency “%(name)s” in your jurisdiction (give its name or credit code).")
            % {"name": value}
        )


class StationImporter(Importer):
    model = Station
    title = gettext_lazy("Station list")
    columns = (
        Column("站点名称", "name", required=True, aliases=("社工站名称", "名称")),
        Column(
            "类型",
            "kind",
            "choice",
            required=True,
            choices=KIND_CHOICES,
            aliases=("站点类型",),
            vocabulary="station_kind",
        ),
        Column(
            "特色站类型",
            "special_kind",
            "choice",
            choices=SPECIAL_KIND_CHOICES,
            help=gettext_lazy("Only for special stations."),
            vocabulary="special_kind",
        ),
        Column(
            "所属区划代码",
            "region_code",
            aliases=("区划代码",),
            help=gettext_lazy("The 12-digit statistical division code; preferred to the name."),
            clearable=False,
        ),
        Column(
            "所属乡镇(街道)",
            "region_name",
            aliases=("所属区划", "所属区划名称", "所在乡镇(街道)"),
            help=gettext_lazy(
                "The region's name, if no code is given (a district for a hub, a village for an "
                "outpost)."
            ),
            clearable=False,
        ),
        Column(
            "所属社工站",
            "parent_station",
            help=gettext_lazy(
                "For an outpost: its township station. If empty, the township station of the "
                "village's township."
            ),
            clearable=False,
        ),
        Column("地址", "address"),
        Column("建成日期", "opened_on", "date", aliases=("建站日期", "开放日期", "成立日期")),
        Column(
            "状态",
            "status",
            "choice",
            choices=STATUS_CHOICES,
            aliases=("运营状态",),
            vocabulary="station_status",
            clearable=False,
        ),
        Column(
            "运营模式",
            "operating_model",
            "choice",
            choices=OPERATING_MODEL_CHOICES,
            vocabulary="operating_model",
        ),
        Column(
            "运营机构",
            "agency",
            aliases=("承接机构", "运营机构名称"),
            help=gettext_lazy("The agency's name or unified social credit code."),
        ),
        Column("合同开始", "contract_start", "date", aliases=("合同开始日期",)),
        Column("合同结束", "contract_end", "date", aliases=("合同结束日期",)),
        Column("联系人", "contact_name"),
        # A landline keeps its hyphen (0574-87000000): read as text, never as a number.
        Column("联系电话", "contact_phone", "identifier"),
        Column("标识牌", "has_sign", "bool", aliases=("是否有标识牌", "有无标识牌")),
        Column("备注", "note"),
    )
    required_any = (("region_code", "region_name"),)
    key_columns = ("name", "region_code")
    key_help = gettext_lazy(
        "A row updates the station of the same name in the same region; otherwise it creates one."
    )
    region_column = "region_code"
    SIMPLE_FIELDS = (
        "kind",
        "special_kind",
        "address",
        "opened_on",
        "status",
        "operating_model",
        "contract_start",
        "contract_end",
        "contact_name",
        "contact_phone",
        "has_sign",
        "note",
    )

    def prepare(self, present: frozenset[str]) -> None:
        super().prepare(present)
        self.regions = VisibleRegions(self.actor)
        self.agencies = VisibleAgencies(self.actor)
        self.region_column = "region_code" if "region_code" in present else "region_name"
        # Township stations made by earlier rows of this file, so that outposts may follow them.
        self.file_townships: dict[int, Station] = {}
        self.township_names = StationNames(
            self.actor,
            Station.objects.visible_to(self.actor).filter(kind=StationKind.TOWNSHIP),
        )

    def column_for_field(self, field_name: str) -> str:
        if field_name == "region":
            return self.region_column
        return super().column_for_field(field_name)

    def resolve_region(self, row: ImportRow, errors: list[tuple[str, str]]) -> Region | None:
        code, name = row.get("region_code"), row.get("region_name")
        kind = row.get("kind")
        if code:
            try:
                region = self.regions.by_code_or_error(code)
            except ValueError as exc:
                errors.append(("region_code", str(exc)))
                return None
            if name and normalise(name) != normalise(region.name):
                errors.append(
                    (
                        "region_name",
                        _("The code %(code)s is “%(region)s”, not “%(name)s”.")
                        % {"code": code, "region": region.name, "name": name},
                    )
                )
            return region
        if name:
            try:
                return self.regions.by_name_or_error(
                    name, KIND_LEVELS.get(kind) if kind else None, self.header_of("region_code")
                )
            except ValueError as exc:
                errors.append(("region_name", str(exc)))
                return None
        errors.append(
            (
                self.region_column,
                _("Give the %(code)s or the %(name)s.")
                % {"code": self.header_of("region_code"), "name": self.header_of("region_name")},
            )
        )
        return None

    def resolve_parent(
        self, row: ImportRow, region: Region, errors: list[tuple[str, str]]
    ) -> Station | None:
        """An outpost's township station: named in 所属社工站, or that of its township."""
        townships = Station.objects.visible_to(self.actor).filter(kind=StationKind.TOWNSHIP)
        name = row.get("parent_station")
        if name:
            found = self.township_names.find(name, row, "parent_station")
            if len(found) == 1:
                return found[0]
            message = (
                _("Several township stations are named “%(name)s”.")
                if found
                else _("No township station “%(name)s” in your jurisdiction.")
            )
            errors.append(("parent_station", message % {"name": name}))
            return None
        parent = townships.filter(region_id=region.parent_id or 0).first()
        if parent is None:
            parent = self.file_townships.get(region.parent_id or 0)
        if parent is None:
            errors.append(
                (
                    "parent_station",
                    _("The village's township has no township station yet; list it first."),
                )
            )
        return parent

    def build(self, row: ImportRow, actor: Actor) -> Built:
        errors: list[tuple[str, str]] = []
        region = self.resolve_region(row, errors)
        if region is None:
            raise RowInvalid(errors)
        name: str = row.get("name")
        existing = list(
            Station.objects.visible_to(actor)
            .filter(region=region, name=name)
            .select_related("region", "parent_station__region")[:2]
        )
        if len(existing) > 1:
            raise RowInvalid(
                [
                    (
                        "name",
                        _("Several stations in this region are named “%(name)s”.") % {"name": name},
                    )
                ]
            )
        instance = existing[0] if existing else Station(region=region, name=name)
        before = model_values(instance) if existing else {}
        values: dict[str, Any] = {} if existing else {"region": region, "name": name}
        for key in self.SIMPLE_FIELDS:
            if row.has(key):
                values[key] = row.get(key)
        if row.is_cleared("agency"):
            values["agency"] = None
        elif row.has("agency"):
            try:
                values["agency"] = self.agencies.get_or_error(row.get("agency"))
            except ValueError as exc:
                errors.append(("agency", str(exc)))
        kind = values.get("kind", instance.kind)
        if kind == StationKind.OUTPOST:
            parent = self.resolve_parent(row, region, errors)
            if parent is not None:
                values["parent_station"] = parent
        for key, value in values.items():
            setattr(instance, key, value)
        township_taken = False
        if kind == StationKind.TOWNSHIP:
            other = (
                Station.objects.visible_to(actor)
                .filter(kind=StationKind.TOWNSHIP, region=region)
                .exclude(pk=instance.pk)
                .first()
            )
            if other is not None:
                township_taken = True
                errors.append(
                    (
                        self.region_column,
                        _("%(region)s already has a township station, “%(station)s”.")
                        % {"region": region.name, "station": other.name},
                    )
                )
        self.clean(instance, errors, validate_constraints=not township_taken)
        if errors:
            raise RowInvalid(errors)
        changed = not existing or model_values(instance) != before
        return Built(instance=instance, created=not existing, changed=changed, values=values)

    def file_keys(self, built: Built) -> list[tuple[str, Hashable]]:
        station = built.instance
        assert isinstance(station, Station)
        keys: list[tuple[str, Hashable]] = [("name", ("station", station.region_id, station.name))]
        if station.kind == StationKind.TOWNSHIP:
            keys.append((self.region_column, ("township", station.region_id)))
        return keys

    def remember(self, built: Built, row: ImportRow) -> None:
        station = built.instance
        assert isinstance(station, Station)
        if station.kind == StationKind.TOWNSHIP:
            self.file_townships[station.region_id] = station
            if built.created:
                self.township_names.add(station)

    def save(self, built: Built, actor: Actor) -> None:
        if not built.changed:
            return
        if built.created:
            built.instance = station_create(actor=actor, **built.values)
        else:
            assert isinstance(built.instance, Station)
            built.instance = station_update(actor=actor, station=built.instance, **built.values)


def normalise(text: str) -> str:
    return text.replace("（", "(").replace("）", ")").replace(" ", "")
