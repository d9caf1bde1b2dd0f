"""A seekers register (求职人员登记表) and an employers' job list (企业用工需求表) from .xlsx
(issue 14). The machinery is :mod:`swstation.core.imports`: a preview of every row, each
problem by row and column, then all or nothing, with the import's history.

**Which seeker a row updates**: the seeker with the same 身份证号 (by its keyed hash); a row
without one, the seeker of the same name in the same village who has no ID number recorded.
Otherwise the row creates a seeker: a recipient the importer keeps when the ID number is one of
theirs (the name must agree), else a resident. A seeker recorded outside the importer's
jurisdiction is refused, never duplicated.

**Which post a row updates**: the post of the same employer, title and season window among those
the importer keeps; otherwise it creates one. The employer is an enterprise partner the importer
reads, by its name; an unknown name is an error of the row: partners are registered in the
partners list, never created by an import.

Importing the same sheet again therefore changes nothing. The writes are the services'
(``job_seeker_create``/``update``, ``job_post_create``/``update``), with their checks and history.
"""

import copy
import re
from collections.abc import Hashable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from swstation.core.actors import Actor
from swstation.core.crypto import lookup_hash
from swstation.core.imports import Built, Column, Importer, ImportRow, RowInvalid, model_values
from swstation.employment import selectors, services
from swstation.employment.models import (
    PAY_MAX,
    JobPost,
    JobSeeker,
    PostStatus,
    SeekerCategory,
    TravelRange,
    month_mask,
)
from swstation.linkage.models import Partner, PartnerKind
from swstation.recipients.identifiers import DocumentType, validate_document, validate_phone
from swstation.recipients.models import Recipient
from swstation.regions.models import Region
from swstation.stations.models import Station

SEX_CHOICES = (("男", "male"), ("女", "female"))
CATEGORY_CHOICES = (
    ("就业困难女性", SeekerCategory.WOMEN_IN_DIFFICULTY),
    ("就业困难妇女", SeekerCategory.WOMEN_IN_DIFFICULTY),
    ("农民", SeekerCategory.FARMER),
    ("农闲农民", SeekerCategory.FARMER),
    ("低收入家庭成员", SeekerCategory.LOW_INCOME),
    ("低收入", SeekerCategory.LOW_INCOME),
    ("残疾人", SeekerCategory.DISABLED),
    ("其他", SeekerCategory.OTHER),
)
TRAVEL_CHOICES = (
    ("本村", TravelRange.VILLAGE),
    ("同村", TravelRange.VILLAGE),
    ("本镇", TravelRange.TOWNSHIP),
    ("镇内", TravelRange.TOWNSHIP),
    ("本街道", TravelRange.TOWNSHIP),
    ("本区", TravelRange.DISTRICT),
    ("区内", TravelRange.DISTRICT),
)
STATUS_CHOICES = (
    ("招聘中", PostStatus.OPEN),
    ("开放", PostStatus.OPEN),
    ("已关闭", PostStatus.CLOSED),
)
LEVELS = ("village", "township")

STATION_HELP = gettext_lazy(
    "Optional when one station of yours serves the village: the station's name otherwise."
)


# --- cells ---------------------------------------------------------------------------------------

_MONTH_SEP = re.compile(r"[,，、;；/\s]+")
_MONTH_RANGE = re.compile(r"^(\d{1,2})(?:[-–—~～至到](\d{1,2}))?$")


def parse_months(text: str) -> int | None:
    """The bit set of months written as 1-3,11-12, 1月、2月, 3–5月 or 全年 (a range over the New
    Year, 11-2, wraps); None when the text is not months."""
    text = str(text).strip()
    if text in ("全年", "全年均可", "1-12"):
        return month_mask(list(range(1, 13)))
    months: set[int] = set()
    for part in _MONTH_SEP.split(text.replace("月份", "").replace("月", "")):
        if not part:
            continue
        found = _MONTH_RANGE.match(part)
        if found is None:
            return None
        first = int(found.group(1))
        last = int(found.group(2) or first)
        if not (1 <= first <= 12 and 1 <= last <= 12):
            return None
        month = first
        while True:
            months.add(month)
            if month == last:
                break
            month = month % 12 + 1
    return month_mask(months) if months else None


def _whole(text: Any, low: int, high: int) -> int | None:
    try:
        number = Decimal(str(text).strip())
    except InvalidOperation:
        return None
    if number != number.to_integral_value() or not low <= number <= high:
        return None
    return int(number)


def _pay(text: Any) -> Decimal | None:
    try:
        number = Decimal(str(text).strip().removesuffix("元"))
    except InvalidOperation:
        return None
    if not 0 <= number <= PAY_MAX or number != number.quantize(Decimal("0.01")):
        return None
    return number


class _Places:
    """The stations the importer keeps and the villages and towns they serve, by name."""

    def __init__(self, actor: Actor) -> None:
        self.stations: list[Station] = list(selectors.station_choices(actor=actor))
        prefixes = {s.region.prefix for s in self.stations}
        self.regions: dict[str, list[Region]] = {}
        candidates = Region.objects.filter(level__in=LEVELS)
        for region in candidates.only("id", "code", "name", "level"):
            if any(region.code.startswith(p) for p in prefixes):
                self.regions.setdefault(region.name, []).append(region)

    def region(self, name: str, column: str) -> Region:
        found = self.regions.get(name, [])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise RowInvalid(
                [
                    (
                        column,
                        _("Several villages are named “%(name)s” in your jurisdiction.")
                        % {"name": name},
                    )
                ]
            )
        if Region.objects.filter(name=name, level__in=LEVELS).exists():
            message = _("The village “%(name)s” is outside your jurisdiction.")
        else:
            message = _("No village or town is named “%(name)s”.")
        raise RowInvalid([(column, message % {"name": name})])

    def station(self, row: ImportRow, region: Region, column: str) -> Station:
        serving = [s for s in self.stations if region.code.startswith(s.region.prefix)]
        if row.has("station"):
            name = str(row.get("station")).strip()
            named = [s for s in self.stations if s.name == name]
            if not named:
                raise RowInvalid(
                    [("station", _("No station “%(name)s” in your jurisdiction.") % {"name": name})]
                )
            return named[0]
        if len(serving) == 1:
            return serving[0]
        raise RowInvalid(
            [
                (
                    "station",
                    _("Several of your stations serve %(region)s: write which in %(column)s.")
                    % {"region": region.name, "column": column},
                )
            ]
        )


# --- seekers -------------------------------------------------------------------------------------


class JobSeekerImporter(Importer):
    model = JobSeeker
    title = gettext_lazy("Job seekers register")
    columns = (
        Column("姓名", "name", required=True),
        Column("性别", "sex", "choice", choices=SEX_CHOICES, vocabulary="sex"),
        Column(
            "人员类别",
            "category",
            "choice",
            choices=CATEGORY_CHOICES,
            aliases=("类别",),
            help=gettext_lazy("就业困难女性, 农民, 低收入家庭成员, 残疾人 or 其他."),
        ),
        Column(
            "身份证号",
            "document_number",
            "identifier",
            aliases=("身份证号码", "公民身份号码"),
            help=gettext_lazy(
                "Finds the seeker on a later import, and the recipient the seeker is, if any."
            ),
            clearable=False,
        ),
        Column("手机号", "phone", "phone", aliases=("手机号码", "联系电话"), clearable=False),
        Column("所在村社区", "village", required=True, aliases=("村社区", "所在村(社区)")),
        Column("所属社工站", "station", aliases=("社工站",), help=STATION_HELP),
        Column("技能", "skills", aliases=("技能特长",)),
        Column("可做工作", "work_wanted", aliases=("意向工作", "求职意向")),
        Column(
            "可工作月份",
            "months",
            aliases=("农闲月份", "空闲月份"),
            help=gettext_lazy("E.g. 1-3,11-12 or 1月、2月 or 全年."),
        ),
        Column("每天工时", "hours_per_day", aliases=("每天可工作小时",)),
        Column("需照顾子女", "child_care", "bool", aliases=("照顾子女",)),
        Column("无交通工具", "no_transport", "bool"),
        Column("身体限制重体力", "health_limits", "bool", aliases=("身体限制",)),
        Column(
            "出行范围",
            "travel_range",
            "choice",
            choices=TRAVEL_CHOICES,
            help=gettext_lazy("本村, 本镇 or 本区."),
        ),
        Column("期望日薪（元）", "wanted_pay", aliases=("期望日薪", "期望工资")),
        Column("暂停求职", "paused", "bool"),
        Column("登记日期", "registered_on", "date"),
        Column("备注", "note"),
    )
    key_columns = ("document_number", "name", "village")
    key_help = gettext_lazy(
        "A row updates the seeker with the same ID number (without one: of the same name in the "
        "same village); otherwise it creates one. Importing the same sheet again changes nothing."
    )
    field_columns = {
        "region": "village",
        "recipient": "document_number",
        "available_months": "months",
    }
    identity_columns = ("name", "sex")
    SIMPLE = (
        "sex",
        "category",
        "skills",
        "work_wanted",
        "child_care",
        "no_transport",
        "health_limits",
        "travel_range",
        "paused",
        "registered_on",
        "note",
    )

    def prepare(self, present: frozenset[str]) -> None:
        super().prepare(present)
        self.places = _Places(self.actor)

    def numbers(self, row: ImportRow, errors: list[tuple[str, str]]) -> tuple[str, str]:
        number = phone = ""
        if row.has("document_number"):
            try:
                number, _parsed = validate_document(
                    DocumentType.RESIDENT_ID, str(row.get("document_number"))
                )
            except ValidationError as exc:
                errors.extend(("document_number", m) for m in exc.messages)
        if row.has("phone"):
            try:
                phone = validate_phone(str(row.get("phone")))
            except ValidationError as exc:
                errors.extend(("phone", m) for m in exc.messages)
        return number, phone

    def existing(self, row: ImportRow, number: str, region: Region) -> JobSeeker | None:
        writable = JobSeeker.objects.visible_to(self.actor, for_write=True)
        if number:
            digest = lookup_hash(number)
            found = writable.filter(id_number_hash=digest).first()
            if found is None and JobSeeker.objects.filter(id_number_hash=digest).exists():
                raise RowInvalid(
                    [
                        (
                            "document_number",
                            _(
                                "A job seeker with this ID number is recorded outside your "
                                "jurisdiction."
                            ),
                        )
                    ]
                )
            return found
        same = list(
            writable.filter(name=str(row.get("name")).strip(), region=region, id_number_hash="")[:2]
        )
        if len(same) > 1:
            raise RowInvalid(
                [
                    (
                        "document_number",
                        _(
                            "Several seekers named %(name)s live in %(village)s: write the ID "
                            "number in %(column)s."
                        )
                        % {
                            "name": row.get("name"),
                            "village": region.name,
                            "column": self.header_of("document_number"),
                        },
                    )
                ]
            )
        return same[0] if same else None

    def recipient_of(self, row: ImportRow, number: str) -> Recipient | None:
        if not number:
            return None
        person = (
            selectors.recipient_choices(actor=self.actor)
            .filter(id_number_hash=lookup_hash(number))
            .first()
        )
        if person is not None and person.name != str(row.get("name")).strip():
            raise RowInvalid(
                [
                    (
                        "name",
                        _("The ID number is that of the recipient %(recorded)s, not %(name)s.")
                        % {"recorded": person.name, "name": row.get("name")},
                    )
                ]
            )
        return person

    def build(self, row: ImportRow, actor: Actor) -> Built:
        errors: list[tuple[str, str]] = []
        number, phone = self.numbers(row, errors)
        region = self.places.region(str(row.get("village")).strip(), "village")
        station = self.places.station(row, region, self.header_of("station"))
        values: dict[str, Any] = {key: row.get(key) for key in self.SIMPLE if row.has(key)}
        if row.has("months"):
            months = parse_months(row.get("months"))
            if months is None:
                errors.append(
                    (
                        "months",
                        _("“%(value)s” is not months: write them as 1-3,11-12 or 1月、2月.")
                        % {"value": row.get("months")},
                    )
                )
            values["available_months"] = months
        if row.has("hours_per_day"):
            hours = _whole(row.get("hours_per_day"), 1, 12)
            if hours is None:
                errors.append(("hours_per_day", _("Write the hours, a whole number from 1 to 12.")))
            values["hours_per_day"] = hours
        if row.has("wanted_pay"):
            pay = _pay(row.get("wanted_pay"))
            if pay is None:
                errors.append(
                    ("wanted_pay", _("Write the pay in yuan a day, a number from 0 to 100000."))
                )
            values["wanted_pay"] = pay
        if errors:
            raise RowInvalid(errors)
        recorded = self.existing(row, number, region)
        if recorded is None:
            recipient = self.recipient_of(row, number)
            seeker = JobSeeker(
                name=str(row.get("name")).strip(), recipient=recipient, region=region
            )
            values.update(
                {"name": seeker.name, "recipient": recipient, "region": region, "station": station}
            )
            values.setdefault("category", SeekerCategory.OTHER)
            if recipient is not None and not values.get("sex"):
                values["sex"] = recipient.sex
            if not values.get("sex"):
                raise RowInvalid([("sex", _("Write the sex of a new seeker: 男 or 女."))])
            before: dict[str, Any] = {}
        else:
            seeker = copy.copy(recorded)
            before = model_values(recorded)
            values.update({"region": region, "station": station})
            if seeker.recipient_id:
                del values["region"]  # a recipient's seeker lives where the recipient does
        for key, value in values.items():
            setattr(seeker, key, value)
        self.clean(seeker, errors, exclude=["id_number_hash"], validate_constraints=False)
        if errors:
            raise RowInvalid(errors)
        numbers_change = recorded is None or (
            (number and lookup_hash(number) != recorded.id_number_hash)
            or (phone and lookup_hash(phone) != recorded.phone_hash)
        )
        values["document_number"] = number if recorded is None or number else None
        values["phone"] = phone if recorded is None or phone else None
        return Built(
            instance=seeker,
            created=recorded is None,
            changed=recorded is None or model_values(seeker) != before or bool(numbers_change),
            values=values,
            matched_by="document_number" if number else "name",
        )

    def file_keys(self, built: Built) -> list[tuple[str, Hashable]]:
        number = built.values.get("document_number")
        if number:
            return [("document_number", ("id", lookup_hash(number)))]
        seeker = built.instance
        assert isinstance(seeker, JobSeeker)
        return [("name", ("name", seeker.name, seeker.region_id))]

    def save(self, built: Built, actor: Actor) -> None:
        if not built.changed:
            return
        values = dict(built.values)
        if built.created:
            built.instance = services.job_seeker_create(actor=actor, **values)
            return
        values = {k: v for k, v in values.items() if k not in ("name", "recipient")}
        stored = JobSeeker.objects.get(pk=built.instance.pk)
        built.instance = services.job_seeker_update(actor=actor, seeker=stored, **values)


# --- posts ---------------------------------------------------------------------------------------


class JobPostImporter(Importer):
    model = JobPost
    title = gettext_lazy("Employers' job list")
    columns = (
        Column(
            "用工企业",
            "employer",
            required=True,
            aliases=("企业名称", "用人单位"),
            help=gettext_lazy(
                "An enterprise in the partners list, by its name (register new ones there)."
            ),
        ),
        Column("岗位名称", "title", required=True, aliases=("岗位",)),
        Column("招聘人数", "places", required=True, aliases=("用工人数", "岗位数")),
        Column("用工开始日期", "season_from", "date", required=True, aliases=("开始日期",)),
        Column("用工结束日期", "season_to", "date", required=True, aliases=("结束日期",)),
        Column("每天工时", "hours_per_day", aliases=("工作时长",)),
        Column("技能要求", "skills", aliases=("所需技能",)),
        Column("岗位要求", "requirements", aliases=("其他要求",)),
        Column("重体力活", "heavy_work", "bool", aliases=("是否重体力",)),
        Column("日薪（元）", "pay", required=True, aliases=("日薪", "工资（元/天）")),
        Column(
            "工作地点",
            "region",
            required=True,
            aliases=("工作村社区", "所在村社区"),
            help=gettext_lazy("The village or town where the work is."),
        ),
        Column("所属社工站", "station", aliases=("社工站",), help=STATION_HELP),
        Column("岗位状态", "status", "choice", choices=STATUS_CHOICES, aliases=("状态",)),
        Column("发布日期", "posted_on", "date"),
        Column("备注", "note"),
    )
    key_columns = ("employer", "title", "season_from", "season_to")
    key_help = gettext_lazy(
        "A row updates the post of the same employer, title and season window; otherwise it "
        "creates one. Importing the same sheet again changes nothing."
    )
    SIMPLE = (
        "season_from",
        "season_to",
        "skills",
        "requirements",
        "heavy_work",
        "status",
        "posted_on",
        "note",
    )

    def prepare(self, present: frozenset[str]) -> None:
        super().prepare(present)
        self.places = _Places(self.actor)
        self.employers: dict[str, list[Partner]] = {}
        for partner in selectors.employer_choices(actor=self.actor):
            self.employers.setdefault(partner.name, []).append(partner)

    def employer(self, name: str) -> Partner:
        found = self.employers.get(name, [])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            message = _("Several enterprises are named “%(name)s”: rename one of them first.")
        elif Partner.objects.filter(name=name).exclude(kind=PartnerKind.ENTERPRISE).exists():
            message = _("The partner “%(name)s” is not an enterprise.")
        elif Partner.objects.filter(name=name).exists():
            message = _("The enterprise “%(name)s” is outside your jurisdiction or inactive.")
        else:
            message = _(
                "No enterprise partner is named “%(name)s”: register it in the partners list "
                "first (an import never creates one)."
            )
        raise RowInvalid([("employer", message % {"name": name})])

    def build(self, row: ImportRow, actor: Actor) -> Built:
        errors: list[tuple[str, str]] = []
        # Every problem of the row at once: the employer and the place are looked up apart.
        employer: Partner | None = None
        region: Region | None = None
        station: Station | None = None
        try:
            employer = self.employer(str(row.get("employer")).strip())
        except RowInvalid as exc:
            errors.extend(exc.errors)
        try:
            region = self.places.region(str(row.get("region")).strip(), "region")
            station = self.places.station(row, region, self.header_of("station"))
        except RowInvalid as exc:
            errors.extend(exc.errors)
        title = str(row.get("title")).strip()
        values: dict[str, Any] = {key: row.get(key) for key in self.SIMPLE if row.has(key)}
        places = _whole(row.get("places"), 1, 2000)
        if places is None:
            errors.append(("places", _("Write the places, a whole number from 1 to 2000.")))
        pay = _pay(row.get("pay"))
        if pay is None:
            errors.append(("pay", _("Write the pay in yuan a day, a number from 0 to 100000.")))
        if row.has("hours_per_day"):
            hours = _whole(row.get("hours_per_day"), 1, 12)
            if hours is None:
                errors.append(("hours_per_day", _("Write the hours, a whole number from 1 to 12.")))
            values["hours_per_day"] = hours
        if errors:
            raise RowInvalid(errors)
        values.update(
            {
                "employer": employer,
                "title": title,
                "places": places,
                "pay": pay,
                "region": region,
                "station": station,
            }
        )
        recorded = (
            JobPost.objects.visible_to(self.actor, for_write=True)
            .filter(
                employer=employer,
                title=title,
                season_from=row.get("season_from"),
                season_to=row.get("season_to"),
            )
            .first()
        )
        post = copy.copy(recorded) if recorded is not None else JobPost()
        before = model_values(recorded) if recorded is not None else {}
        for key, value in values.items():
            setattr(post, key, value)
        self.clean(post, errors)
        if errors:
            raise RowInvalid(errors)
        return Built(
            instance=post,
            created=recorded is None,
            changed=recorded is None or model_values(post) != before,
            values=values,
            matched_by="title",
        )

    def file_keys(self, built: Built) -> list[tuple[str, Hashable]]:
        post = built.instance
        assert isinstance(post, JobPost)
        return [("title", (post.employer_id, post.title, post.season_from, post.season_to))]

    def save(self, built: Built, actor: Actor) -> None:
        if not built.changed:
            return
        if built.created:
            built.instance = services.job_post_create(actor=actor, **built.values)
            return
        stored = JobPost.objects.get(pk=built.instance.pk)
        built.instance = services.job_post_update(actor=actor, post=stored, **built.values)


__all__ = ["JobPostImporter", "JobSeekerImporter", "parse_months"]
