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

import copy
import re
from collections import defaultdict
from collections.abc import Hashable, Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import router
from django.db.models import Q
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from swstation.core.actors import Actor, history_user
from swstation.core.history import record_author
from swstation.core.imports import Built, Column, Importer, ImportRow, RowInvalid, model_values
from swstation.core.imports.base import FieldChange
from swstation.recipients.crypto import lookup_hash
from swstation.recipients.identifiers import DocumentType, parse_18_character_number
from swstation.recipients.models import Category, CategoryPeriod, Recipient, RecipientStatus
from swstation.recipients.selectors import (
    Duplicates,
    recipient_list,
    recipient_possible_duplicates,
)
from swstation.recipients.services import (
    _queue_review,
    recipient_create,
    recipient_prepare,
    recipient_update,
)
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

    bulk = True

    def prepare(self, present: frozenset[str]) -> None:
        super().prepare(present)
        self.villages = VisibleVillages(self.actor)
        self.stations = StationNames(self.actor)
        self.matched_by = ""
        self.known = KnownRecords()
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
            by_number = self.known.by_number(digest)
            if by_number is None:
                by_number = list(visible.filter(id_number_hash=digest).order_by("pk")[:2])
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
        by_identity = self.known.by_person((name, birth_date, region.pk))
        if by_identity is None:
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
        # The record as read (kept for the comparison), and a copy the row changes.
        candidate = copy.copy(existing) if existing else None
        before = model_values(existing) if existing else {}
        # The rules are checked even when a look-up failed, so that the preview lists all of a
        # row's problems at once (a column that already failed is not reported twice).
        failed = {column for column, _message in errors}
        recipient = None
        try:
            recipient = recipient_prepare(
                recipient=candidate,
                stored=existing,
                # Read by VisibleVillages and StationNames for this import.
                read_relations=("region", "station"),
                **numbers,
                **values,
            )
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
            duplicates = self.known.duplicates(recipient)
            if duplicates is None:
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
            stored=existing,
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
        """One number, one row; and one name, date of birth and village, one row (the
        services refuse a second record of the same person, whatever its number: two such rows
        would otherwise pass the check, which reads the records as they were before the
        file)."""
        recipient = built.instance
        assert isinstance(recipient, Recipient)
        person = ("person", recipient.name, recipient.birth_date, recipient.region_id)
        if recipient.id_number_hash:
            keys: list[tuple[str, Hashable]] = [
                ("document_number", ("number", recipient.id_number_hash))
            ]
            if recipient.birth_date is not None:
                keys.append(("name", person))
            return keys
        return [("name", person)]

    # --- a chunk of rows at once --------------------------------------------------------------

    def prepare_chunk(self, rows: list[ImportRow]) -> None:
        """Read the records the chunk's rows may match or duplicate in one query: those with
        one of their numbers, or one of their names, dates of birth and villages."""
        digests: set[str] = set()
        people: set[tuple[str, date, int]] = set()
        for row in rows:
            digest = lookup_hash(str(row.get("document_number") or "").strip())
            if digest:
                digests.add(digest)
            name, birth_date = row.get("name"), self.birth_date_of(row)
            if not name or birth_date is None:
                continue
            try:
                region = self.villages.get_or_error(str(row.get("region")))
            except ValueError:
                continue
            people.add((name, birth_date, region.pk))
        self.known = KnownRecords.read(self.actor, digests, people)

    def save_chunk(self, built: list[Built], actor: Actor) -> None:
        """New people and plain changes in a few statements, with the same rules and history
        as the services' (recipient_create, recipient_update); a change of number, of name,
        date of birth or village, or of categories goes through recipient_update, row by
        row. The cockpit's figures of each village written are marked once."""
        created = [b for b in built if b.created]
        plain = [b for b in built if not b.created and b.changed and self.plain_change(b)]
        bulk = {id(b) for b in plain}
        for one in built:
            if not one.created and one.changed and id(one) not in bulk:
                self.save(one, actor)
        if created:
            self.create_all(created, actor)
        if plain:
            self.update_all(plain, actor)
        mark_written([b.instance for b in (*created, *plain)])  # type: ignore[misc]

    @staticmethod
    def plain_change(built: Built) -> bool:
        """An update recipient_update would save without its checks of duplicates and
        categories: the same number, name, date of birth, village and categories."""
        stored, recipient = built.stored, built.instance
        if not isinstance(stored, Recipient) or not isinstance(recipient, Recipient):
            return False
        categories = built.values.get("categories")
        return (
            recipient.id_number_hash == stored.id_number_hash
            and recipient.name == stored.name
            and recipient.birth_date == stored.birth_date
            and recipient.region_id == stored.region_id
            and (
                categories is None
                or {c.pk for c in categories} == {c.pk for c in stored.categories.all()}
            )
        )

    def create_all(self, created: list[Built], actor: Actor) -> None:
        """recipient_create for each row at once: its number recorded outside the actor's
        jurisdiction kept apart and queued for review, the person, the categories and their
        periods from the registration date, each with its history."""
        recipients: list[Recipient] = [b.instance for b in created]  # type: ignore[misc]
        periods: list[CategoryPeriod] = []
        for one, recipient in zip(created, recipients, strict=True):
            for category in one.values.get("categories") or ():
                period = CategoryPeriod(category=category, valid_from=recipient.registered_on)
                try:
                    # The person is new: no other period to overlap (recipient left out).
                    period.full_clean(exclude=["recipient", "category"])
                except ValidationError as exc:
                    raise ValidationError({"categories": exc.messages}) from exc
                period.recipient = recipient
                periods.append(period)
        elsewhere = matches_elsewhere(actor, {r.id_number_hash for r in recipients})
        author = history_user(actor)
        for recipient in recipients:
            recipient.id_number_shared = bool(elsewhere.get(recipient.id_number_hash))
            record_author(recipient, actor)
        bulk_create_with_history(recipients, Recipient, batch_size=500, default_user=author)
        through = Recipient.categories.through
        links = [
            through(recipient_id=recipient.pk, category_id=category.pk)
            for one, recipient in zip(created, recipients, strict=True)
            for category in one.values.get("categories") or ()
        ]
        through.objects.bulk_create(links, batch_size=1000)
        for period in periods:
            period.recipient = period.recipient  # its id, now that the person is saved
            record_author(period, actor)
        bulk_create_with_history(periods, CategoryPeriod, batch_size=500, default_user=author)
        for recipient in recipients:
            for match in elsewhere.get(recipient.id_number_hash, ()):
                _queue_review(actor, recipient, match)

    def update_all(self, plain: list[Built], actor: Actor) -> None:
        """recipient_update for each row at once: the fields the rows change, with history."""
        now = timezone.now()
        names: set[str] = set()
        for one in plain:
            assert one.stored is not None
            before, after = model_values(one.stored), model_values(one.instance)
            names |= {
                Recipient._meta.get_field(attname).name
                for attname, value in after.items()
                if value != before.get(attname)
            }
            one.instance.updated_at = now  # type: ignore[attr-defined]  # a Recipient
            record_author(one.instance, actor)
        bulk_update_with_history(
            [one.instance for one in plain],
            Recipient,
            sorted(names | {"updated_at"}),
            batch_size=500,
            default_user=history_user(actor),
        )

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


class KnownRecords:
    """The records a chunk of rows may match or duplicate, read at once
    (:meth:`RecipientImporter.prepare_chunk`): the records the actor may see, not merged,
    with one of the chunk's numbers (by hash) or one of its names, dates of birth and villages.
    A look-up outside what was read answers None: the importer then asks the database."""

    def __init__(self) -> None:
        self.numbers: dict[str, list[Recipient]] = {}
        self.people: dict[tuple[str, date, int], list[Recipient]] = {}

    @classmethod
    def read(
        cls, actor: Actor, digests: set[str], people: set[tuple[str, date, int]]
    ) -> "KnownRecords":
        known = cls()
        known.numbers = {digest: [] for digest in digests}
        known.people = {person: [] for person in people}
        query = Q(id_number_hash__in=digests) if digests else Q()
        if people:
            query |= Q(
                name__in={p[0] for p in people},
                birth_date__in={p[1] for p in people},
                region_id__in={p[2] for p in people},
            )
        if not query:
            return known
        records = (
            recipient_list(actor=actor)
            .exclude(status=RecipientStatus.MERGED)
            .filter(query)
            .prefetch_related(None)
            .prefetch_related("categories")
            .order_by("pk")
        )
        for record in records:
            if record.id_number_hash in known.numbers:
                known.numbers[record.id_number_hash].append(record)
            person = (record.name, record.birth_date, record.region_id)
            if person in known.people:
                known.people[person].append(record)
        return known

    def by_number(self, digest: str) -> list[Recipient] | None:
        found = self.numbers.get(digest)
        return None if found is None else found[:2]

    def by_person(self, person: tuple[str, date, int]) -> list[Recipient] | None:
        found = self.people.get(person)
        return None if found is None else found[:2]

    def duplicates(self, recipient: Recipient) -> Duplicates | None:
        """What recipient_possible_duplicates answers for a new record, if it was read."""
        digest = recipient.id_number_hash
        person = (recipient.name, recipient.birth_date, recipient.region_id)
        complete = bool(recipient.name and recipient.birth_date and recipient.region_id)
        if (digest and digest not in self.numbers) or (complete and person not in self.people):
            return None
        found = {r.pk: r for r in self.numbers.get(digest, []) if digest}
        if complete:
            found.update({r.pk: r for r in self.people.get(person, [])})  # type: ignore[arg-type]
        visible = [found[pk] for pk in sorted(found)]
        same = [r for r in visible if digest and r.id_number_hash == digest]
        return Duplicates(visible=visible, same_number=same)


def matches_elsewhere(actor: Actor, digests: Iterable[str]) -> dict[str, list[Recipient]]:
    """recipient_matches_elsewhere for several numbers at once: by hash, the records (not
    merged) the actor may not see."""
    wanted = {digest for digest in digests if digest}
    found: dict[str, list[Recipient]] = defaultdict(list)
    if not wanted:
        return found
    records = (
        Recipient.objects.filter(id_number_hash__in=wanted)
        .exclude(status=RecipientStatus.MERGED)
        .exclude(pk__in=recipient_list(actor=actor).values("pk"))
        .select_related("region")
        .order_by("pk")
    )
    for record in records:
        found[record.id_number_hash].append(record)
    return found


def mark_written(recipients: Iterable[Recipient]) -> None:
    """Tell whoever follows the saves of recipients (the cockpit's tallies, which mark the
    figures of the record's village) that the recipients of these villages changed: one
    ``post_save`` per village rather than per person, as bulk writes send none. The record
    named is one of those saved, with its history already written (simple-history skips it)."""
    one_per_region: dict[Any, Recipient] = {}
    for recipient in recipients:
        one_per_region.setdefault(recipient.region_id, recipient)
    for recipient in one_per_region.values():
        recipient.skip_history_when_saving = True  # type: ignore[attr-defined]
        try:
            post_save.send(
                sender=Recipient,
                instance=recipient,
                created=False,
                update_fields=None,
                raw=False,
                using=router.db_for_write(Recipient),
            )
        finally:
            del recipient.skip_history_when_saving  # type: ignore[attr-defined]
