"""Import of the recipients register (服务对象台账) from .xlsx, in the layout the stations keep
it. The machinery is :mod:`swstation.core.imports` (preview with every problem by row and
column, then all or nothing).

**Which person a row updates**: the person with the same document number (compared through
its keyed hash: the register's numbers are never compared in clear) among the records the
importer may see; without a number, the person of the same name, date of birth and village.
A row whose name, date of birth and village match a person recorded with another number is
refused (merge or correct the records first). A number recorded only outside the importer's
jurisdiction is imported as any new number: the services queue the match for the officer
above both records, and the importer is told nothing of it (issue 16: no existence oracle).

A row whose number (or name, date of birth and village) finds a person whose name, date of
birth or sex disagree is refused: it names someone else (the base's identity check).

Every rule is that of :func:`swstation.recipients.services.recipient_prepare` — the one the
pages and the API use: document checks, consent for a new person, phones, village, station.

The columns are declared once, in :attr:`RecipientImporter.columns`; a new column is a
``Column`` there and, if it sets a field of the same name, an entry in ``SIMPLE_FIELDS``.
"""

import re
from collections import defaultdict
from collections.abc import Hashable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from swstation.core.actors import Actor
from swstation.core.imports import Built, Column, Importer, ImportRow, RowInvalid, model_values
from swstation.core.imports.base import FieldChange
from swstation.recipients.crypto import lookup_hash
from swstation.recipients.identifiers import DocumentType, parse_18_character_number
from swstation.recipients.models import Category, Recipient, RecipientStatus
from swstation.recipients.selectors import recipient_list, recipient_possible_duplicates
from swstation.recipients.services import recipient_create, recipient_prepare, recipient_update
from swstation.regions.models import Region
from swstation.stations.importers import StationNames

DOCUMENT_TYPE_CHOICES = (
    ("居民身份证", "resident_id"),
    ("身份证", "resident_id"),
    ("港澳居民居住证", "hk_macao_permit"),
    ("台湾居民居住证", "taiwan_permit"),
    ("外国人永久居留身份证", "foreigner_permanent"),
    ("外国人永久居留证", "foreigner_permanent"),
    ("护照", "passport"),
    ("无", "none"),
    ("无证件", "none"),
)
SEX_CHOICES = (("男", "male"), ("女", "female"))
DISABILITY_TYPE_CHOICES = (
    ("视力残疾", "visual"),
    ("视力", "visual"),
    ("听力残疾", "hearing"),
    ("听力", "hearing"),
    ("言语残疾", "speech"),
    ("言语", "speech"),
    ("肢体残疾", "physical"),
    ("肢体", "physical"),
    ("智力残疾", "intellectual"),
    ("智力", "intellectual"),
    ("精神残疾", "mental"),
    ("精神", "mental"),
    ("多重残疾", "multiple"),
    ("多重", "multiple"),
)
GRADE_CHOICES = (
    ("一级", "1"),
    ("二级", "2"),
    ("三级", "3"),
    ("四级", "4"),
    ("1级", "1"),
    ("2级", "2"),
    ("3级", "3"),
    ("4级", "4"),
)
CATEGORY_SEPARATORS = re.compile(r"[、,，;；/\s]+")
# The numbers a person's record keeps encrypted: (column key, hash field, masked field).
ENCRYPTED_NUMBERS = (
    ("document_number", "id_number_hash", "id_number_masked"),
    ("phone", "phone_hash", "phone_masked"),
    ("guardian_phone", "guardian_phone_hash", "guardian_phone_masked"),
    ("emergency_contact_phone", "emergency_contact_phone_hash", "emergency_contact_phone_masked"),
)
CODE_RE = re.compile(r"^\d{12}$")
# The division list names committees (勤丰村委会, 太阳社区居委会); registers write the village
# (勤丰村, 太阳社区). Both are accepted.
COMMITTEE_SUFFIXES = (
    ("村民委员会", "村"),
    ("村委会", "村"),
    ("社区居民委员会", "社区"),
    ("社区居委会", "社区"),
    ("居民委员会", "社区"),
    ("居委会", "社区"),
)


def village_names(name: str) -> set[str]:
    """The names a village may be written under in a register."""
    names = {name}
    for suffix, short in COMMITTEE_SUFFIXES:
        if name.endswith(suffix):
            names.add(name[: -len(suffix)] + short)
            break
    return names


class VisibleVillages:
    """The villages and communities an actor may see, by 12-digit code or by name."""

    def __init__(self, actor: Actor) -> None:
        self.by_code: dict[str, Region] = {}
        self.by_name: dict[str, list[Region]] = defaultdict(list)
        for region in (
            Region.objects.visible_to(actor)
            .filter(level="village")
            .only("id", "code", "name", "level")
        ):
            self.by_code[region.code] = region
            for name in village_names(region.name):
                self.by_name[name].append(region)

    def get_or_error(self, value: str) -> Region:
        if CODE_RE.match(value):
            region = self.by_code.get(value)
            if region is not None:
                return region
            found = Region.objects.filter(code=value).first()
            if found is None:
                raise ValueError(_("No region has the division code %(code)s.") % {"code": value})
            if found.level != "village":
                raise ValueError(_("%(code)s is not a village or community.") % {"code": value})
            raise ValueError(
                _("The village %(code)s is outside your jurisdiction.") % {"code": value}
            )
        candidates = self.by_name.get(value, [])
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            raise ValueError(
                _(
                    "Several villages in your jurisdiction are named “%(name)s”: "
                    "give the 12-digit code."
                )
                % {"name": value}
            )
        raise ValueError(
            _("No village or community “%(name)s” in your jurisdiction.") % {"name": value}
        )


class RecipientImporter(Importer):
    model = Recipient
    title = gettext_lazy("Recipients register")
    columns = (
        Column("姓名", "name", required=True),
        Column(
            "证件类型",
            "document_type",
            "choice",
            choices=DOCUMENT_TYPE_CHOICES,
            help=gettext_lazy("Empty: an identity card when a number is given."),
            vocabulary="document_type",
            clearable=False,
        ),
        Column(
            "证件号码",
            "document_number",
            "identifier",
            aliases=("身份证号码", "身份证号", "公民身份号码"),
            help=gettext_lazy(
                "Identifies the person on a later import. An identity card number fills in "
                "the sex and date of birth."
            ),
            clearable=False,
        ),
        Column("无证件原因", "no_document_reason"),
        Column("性别", "sex", "choice", choices=SEX_CHOICES, vocabulary="sex"),
        Column("出生日期", "birth_date", "date", aliases=("出生年月日",)),
        Column("手机号", "phone", "phone", aliases=("联系电话", "手机号码", "电话")),
        Column(
            "所在村(社区)",
            "region",
            required=True,
            aliases=("所在村社区", "村(社区)", "所在社区", "所在村"),
            help=gettext_lazy("The village's or community's name, or its 12-digit code."),
        ),
        Column("住址", "address", aliases=("家庭住址", "现住址")),
        Column(
            "类别",
            "categories",
            aliases=("人员类别", "对象类别"),
            help=gettext_lazy(
                "One or more categories separated by 、 or a comma, e.g. 低保、独居老人."
            ),
            vocabulary="category",
            separator=CATEGORY_SEPARATORS.pattern,
        ),
        Column(
            "残疾类别",
            "disability_type",
            "choice",
            choices=DISABILITY_TYPE_CHOICES,
            vocabulary="disability_type",
        ),
        Column(
            "残疾等级",
            "disability_grade",
            "choice",
            choices=GRADE_CHOICES,
            vocabulary="disability_grade",
        ),
        Column("监护人", "guardian_name"),
        Column("监护人电话", "guardian_phone", "phone"),
        Column("紧急联系人", "emergency_contact_name"),
        Column("紧急联系人电话", "emergency_contact_phone", "phone"),
        Column(
            "服务社工站",
            "station",
            aliases=("所属社工站", "社工站"),
            help=gettext_lazy(
                "The station's name, as in the station list, or a short name that is unique "
                "in your jurisdiction (慈城镇社工站)."
            ),
        ),
        Column(
            "是否同意",
            "consent_given",
            "bool",
            aliases=("是否同意信息采集", "知情同意"),
            help=gettext_lazy("Required for a new person: 是, with the date."),
        ),
        Column("同意日期", "consent_on", "date"),
        Column(
            "登记日期",
            "registered_on",
            "date",
            aliases=("登记时间", "纳入日期"),
            help=gettext_lazy(
                "The day the person was registered for the stations' services; empty: today "
                "for a new person, unchanged for a person already recorded."
            ),
        ),
    )
    key_columns = ("document_number", "name", "birth_date", "region")
    key_help = gettext_lazy(
        "A row updates the person with the same document number; without a number, the person "
        "with the same name, date of birth and village. Otherwise it creates a person."
    )
    # The person a row matched has this name, date of birth and sex, or the row names another.
    identity_columns = ("name", "birth_date", "sex")
    SIMPLE_FIELDS = (
        "sex",
        "birth_date",
        "no_document_reason",
        "address",
        "disability_type",
        "guardian_name",
        "guardian_phone",
        "emergency_contact_name",
        "emergency_contact_phone",
        "consent_given",
        "consent_on",
        "registered_on",
    )

    def prepare(self, present: frozenset[str]) -> None:
        super().prepare(present)
        self.villages = VisibleVillages(self.actor)
        self.stations = StationNames(self.actor)
        self.matched_by = ""
        self.categories: dict[str, Category] = {}
        self.category_names: list[str] = []
        for category in Category.objects.all():
            self.categories[category.name] = category
            self.categories[category.code] = category
            self.category_names.append(category.name)

    @classmethod
    def accepted_values(cls, column: Column) -> list[str]:
        if column.key == "categories":
            return list(Category.objects.order_by("order", "code").values_list("name", flat=True))
        return super().accepted_values(column)

    def column_for_field(self, field_name: str) -> str:
        if field_name in ("document_type", "no_document_reason") and field_name not in self.present:
            return "document_number"
        return super().column_for_field(field_name)

    # --- parsing helpers -------------------------------------------------------------------

    def parse_categories(self, text: str, errors: list[tuple[str, str]]) -> list[Category]:
        found: list[Category] = []
        unknown: list[str] = []
        for part in CATEGORY_SEPARATORS.split(text):
            if not part:
                continue
            category = self.categories.get(part)
            if category is None:
                unknown.append(part)
            elif category not in found:
                found.append(category)
        if unknown:
            errors.append(
                (
                    "categories",
                    _("Unknown categories: %(unknown)s. Known: %(known)s.")
                    % {
                        "unknown": "、".join(unknown),
                        "known": "、".join(self.category_names),
                    },
                )
            )
        return found

    @staticmethod
    def birth_date_of(row: ImportRow) -> date | None:
        """The typed date of birth, else the one a valid 18-character number holds."""
        typed: date | None = row.get("birth_date")
        if typed is not None:
            return typed
        number = row.get("document_number")
        if number and len(str(number).strip()) == 18:
            try:
                return parse_18_character_number(str(number)).birth_date
            except ValidationError:
                return None
        return None

    # --- the row ---------------------------------------------------------------------------

    def find_existing(
        self, row: ImportRow, region: Region | None, digest: str, actor: Actor
    ) -> Recipient | None:
        visible = recipient_list(actor=actor).exclude(status=RecipientStatus.MERGED)
        name: str = row.get("name")
        self.matched_by = ""
        if digest:
            by_number = list(visible.filter(id_number_hash=digest)[:2])
            if len(by_number) > 1:
                raise RowInvalid(
                    [
                        (
                            "document_number",
                            _(
                                "Several records have this document number (#%(first)s, "
                                "#%(second)s): merge them first."
                            )
                            % {"first": by_number[0].pk, "second": by_number[1].pk},
                        )
                    ]
                )
            if by_number:
                self.matched_by = "document_number"
                return by_number[0]
        birth_date = self.birth_date_of(row)
        if region is None or birth_date is None:
            return None
        by_identity = list(
            visible.filter(name=name, birth_date=birth_date, region=region).order_by("pk")[:2]
        )
        if not by_identity:
            return None
        if len(by_identity) > 1:
            raise RowInvalid(
                [
                    (
                        "name",
                        _(
                            "Several records have this name, date of birth and village "
                            "(#%(first)s, #%(second)s): merge them or give the document number."
                        )
                        % {"first": by_identity[0].pk, "second": by_identity[1].pk},
                    )
                ]
            )
        found = by_identity[0]
        self.matched_by = "name"
        if digest and found.id_number_hash and found.id_number_hash != digest:
            raise RowInvalid(
                [
                    (
                        "document_number",
                        _(
                            "#%(pk)s has the same name, date of birth and village but another "
                            "document number (%(masked)s): check the number."
                        )
                        % {"pk": found.pk, "masked": found.id_number_masked},
                    )
                ]
            )
        return found

    def build(self, row: ImportRow, actor: Actor) -> Built:
        errors: list[tuple[str, str]] = []
        name: str = row.get("name")
        region: Region | None = None
        try:
            region = self.villages.get_or_error(str(row.get("region")))
        except ValueError as exc:
            errors.append(("region", str(exc)))
        number = str(row.get("document_number") or "").strip()
        digest = lookup_hash(number)
        existing = self.find_existing(row, region, digest, actor)

        values: dict[str, Any] = {} if existing else {"name": name}
        if region is not None:
            values["region"] = region
        for key in self.SIMPLE_FIELDS:
            if row.has(key):
                values[key] = row.get(key)
        if row.is_cleared("disability_grade"):
            values["disability_grade"] = None
        elif row.has("disability_grade"):
            values["disability_grade"] = int(row.get("disability_grade"))
        if row.has("document_type"):
            values["document_type"] = row.get("document_type")
        elif not existing:
            values["document_type"] = DocumentType.RESIDENT_ID if number else DocumentType.NONE
        if row.is_cleared("station"):
            values["station"] = None
        elif row.has("station"):
            try:
                values["station"] = self.stations.get_or_error(row.get("station"), row, "station")
            except ValueError as exc:
                errors.append(("station", str(exc)))
        categories: list[Category] | None = None
        if row.is_cleared("categories"):
            categories = []
        elif row.has("categories"):
            categories = self.parse_categories(str(row.get("categories")), errors)

        numbers: dict[str, Any] = {
            "document_number": number if number or not existing else None,
            "phone": row.get("phone") if row.has("phone") else (None if existing else ""),
        }
        candidate = Recipient.objects.get(pk=existing.pk) if existing else None
        before = model_values(existing) if existing else {}
        # The rules are checked even when a look-up failed, so that the preview lists all of a
        # row's problems at once (a column that already failed is not reported twice).
        failed = {column for column, _message in errors}
        recipient = None
        try:
            recipient = recipient_prepare(recipient=candidate, **numbers, **values)
        except ValidationError as exc:
            errors.extend(e for e in self.validation_errors(exc) if e[0] not in failed)
        if errors or recipient is None:
            raise RowInvalid(errors)
        categories_before = {c.pk for c in existing.categories.all()} if existing else set()
        changed = (
            existing is None
            or model_values(recipient) != before
            or (categories is not None and {c.pk for c in categories} != categories_before)
        )
        if existing is None:
            duplicates = recipient_possible_duplicates(
                actor=actor,
                name=recipient.name,
                birth_date=recipient.birth_date,
                region_id=recipient.region_id,
                id_number_hash=recipient.id_number_hash,
            )
            if duplicates:
                records = ", ".join(f"#{r.pk}" for r in duplicates.visible)
                column = "document_number" if duplicates.same_number else "name"
                raise RowInvalid(
                    [
                        (
                            column,
                            _("This person may already be recorded (%(records)s).")
                            % {"records": records},
                        )
                    ]
                )
        return Built(
            instance=recipient,
            created=existing is None,
            changed=changed,
            values={**values, **numbers, "categories": categories},
            matched_by=self.matched_by,
        )

    def extra_changes(self, stored: Any, built: Built) -> list[FieldChange]:
        """The encrypted numbers (shown masked) and the categories."""
        found: list[FieldChange] = []
        recipient = built.instance
        for key, digest, masked in ENCRYPTED_NUMBERS:
            if getattr(stored, digest) != getattr(recipient, digest):
                found.append(
                    FieldChange(
                        self.header_of(key),
                        getattr(stored, masked) or "—",
                        getattr(recipient, masked) or "—",
                    )
                )
        categories = built.values.get("categories")
        if categories is not None:
            before = sorted(stored.categories.all(), key=lambda c: (c.order, c.code))
            after = sorted(categories, key=lambda c: (c.order, c.code))
            if [c.pk for c in before] != [c.pk for c in after]:
                found.append(
                    FieldChange(
                        self.header_of("categories"),
                        "、".join(c.name for c in before) or "—",
                        "、".join(c.name for c in after) or "—",
                    )
                )
        return found

    def file_keys(self, built: Built) -> list[tuple[str, Hashable]]:
        recipient = built.instance
        assert isinstance(recipient, Recipient)
        if recipient.id_number_hash:
            return [("document_number", ("number", recipient.id_number_hash))]
        return [("name", ("person", recipient.name, recipient.birth_date, recipient.region_id))]

    def save(self, built: Built, actor: Actor) -> None:
        values = dict(built.values)
        categories = values.pop("categories")
        if built.created:
            values["document_number"] = values["document_number"] or ""
            values["phone"] = values["phone"] or ""
            built.instance = recipient_create(actor=actor, categories=categories or (), **values)
        elif built.changed:
            stored = Recipient.objects.get(pk=built.instance.pk)
            built.instance = recipient_update(
                actor=actor, recipient=stored, categories=categories, **values
            )
