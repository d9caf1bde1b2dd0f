"""Import of a social-worker roster from .xlsx, in the layout the bureaus keep it (issue: "a
... social-worker roster can be imported from .xlsx"), with each person's certificate when the
certificate columns are filled. The machinery is :mod:`swstation.core.imports`.

**Which person a row updates**: the person of the same name (姓名) and mobile number (手机号)
among the people the importer may see; otherwise the row creates a person. The model has no
staff number, and a name alone is not unique, so the mobile number is required.

**Which certificate**: a certificate number (证书编号) already registered to this person is
updated; one registered to someone else is refused; otherwise the person's certificate of the
same level is corrected, or a new certificate is created.

Rules are those of the services ``social_worker_create``/``social_worker_update`` and
``certificate_create``/``certificate_update`` (and the models' ``clean()``), shared with the
pages and the API.
"""

import copy
from collections.abc import Hashable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from swstation.core.actors import Actor
from swstation.core.imports import Built, Column, Importer, ImportRow, RowInvalid, model_values
from swstation.stations.importers import StationNames, VisibleAgencies, VisibleRegions
from swstation.stations.models import Station
from swstation.workforce.models import Certificate, SocialWorker
from swstation.workforce.services.people import (
    certificate_create,
    certificate_update,
    social_worker_create,
    social_worker_update,
)

GENDER_CHOICES = (("男", "male"), ("女", "female"))
POST_CHOICES = (
    ("站长", "station_director"),
    ("社工", "social_worker"),
    ("社会工作者", "social_worker"),
    ("社工助理", "assistant"),
    ("助理", "assistant"),
    ("社区工作者", "community_worker"),
    ("其他", "other"),
)
EDUCATION_CHOICES = (
    ("高中及以下", "secondary"),
    ("高中", "secondary"),
    ("中专", "secondary"),
    ("初中", "secondary"),
    ("大专", "associate"),
    ("专科", "associate"),
    ("本科", "bachelor"),
    ("大学本科", "bachelor"),
    ("硕士", "master"),
    ("硕士研究生", "master"),
    ("研究生", "master"),
    ("博士", "doctorate"),
    ("博士研究生", "doctorate"),
)
LEVEL_CHOICES = (
    ("助理社会工作师", "assistant"),
    ("社会工作师", "intermediate"),
    ("中级社会工作师", "intermediate"),
    ("高级社会工作师", "senior"),
)
CERTIFICATE_KEYS = ("cert_level", "cert_number", "cert_obtained_on")


class RosterImporter(Importer):
    model = SocialWorker
    title = gettext_lazy("Social worker roster")
    columns = (
        Column("姓名", "name", required=True),
        Column("性别", "gender", "choice", choices=GENDER_CHOICES, vocabulary="sex"),
        Column("出生日期", "birth_date", "date", aliases=("出生年月日",)),
        Column(
            "手机号",
            "phone",
            "phone",
            required=True,
            aliases=("手机号码", "手机", "联系电话"),
            help=gettext_lazy("With the name, identifies the person on a later import."),
        ),
        Column(
            "所在社工站",
            "station",
            aliases=("所属社工站", "社工站"),
            help=gettext_lazy(
                "The station's name, as in the station list, or a short name that is unique "
                "in your jurisdiction (慈城镇社工站)."
            ),
        ),
        Column(
            "所在区划代码",
            "region_code",
            aliases=("所属区划代码", "区划代码"),
            help=gettext_lazy(
                "For people without a station: the 12-digit code of the region they work in. "
                "With a station, it tells stations of the same name apart."
            ),
            clearable=False,
        ),
        Column(
            "所在机构",
            "agency",
            aliases=("所属机构", "服务机构"),
            help=gettext_lazy("The agency's name or unified social credit code."),
        ),
        Column("岗位", "post", "choice", choices=POST_CHOICES, vocabulary="post"),
        Column("是否专职", "is_fulltime", "bool", vocabulary="fulltime"),
        Column("是否专职社区工作者", "is_community_worker", "bool"),
        Column("入职日期", "hired_on", "date"),
        Column("离职日期", "left_on", "date"),
        Column("学历", "education", "choice", choices=EDUCATION_CHOICES, vocabulary="education"),
        Column(
            "证书等级",
            "cert_level",
            "choice",
            choices=LEVEL_CHOICES,
            aliases=("职业资格等级", "资格等级"),
            help=gettext_lazy("With 证书编号 and 取得日期, records the certificate too."),
            vocabulary="cert_level",
            clearable=False,
        ),
        Column(
            "证书编号", "cert_number", "identifier", aliases=("证书号", "管理号"), clearable=False
        ),
        Column(
            "取得日期",
            "cert_obtained_on",
            "date",
            aliases=("取证日期", "证书取得日期"),
            clearable=False,
        ),
        Column("备注", "note"),
    )
    key_columns = ("name", "phone")
    key_help = gettext_lazy(
        "A row updates the person of the same name and mobile number; otherwise it creates one. "
        "A certificate is matched by its number, then by the person and level."
    )
    SIMPLE_FIELDS = (
        "gender",
        "birth_date",
        "post",
        "is_fulltime",
        "is_community_worker",
        "hired_on",
        "left_on",
        "education",
        "note",
    )
    # The person a row matched has this date of birth and sex, or the row names another one.
    identity_columns = ("birth_date", "gender")
    CERTIFICATE_FIELD_COLUMNS = {
        "level": "cert_level",
        "number": "cert_number",
        "obtained_on": "cert_obtained_on",
    }

    def prepare(self, present: frozenset[str]) -> None:
        super().prepare(present)
        self.regions = VisibleRegions(self.actor)
        self.agencies = VisibleAgencies(self.actor)
        self.stations = StationNames(self.actor)
        self.people: dict[tuple[str, str], list[SocialWorker]] = {}

    def prepare_chunk(self, rows: list[ImportRow]) -> None:
        """The people the chunk's rows may update, by name and mobile number, in one query."""
        keys = {(row.get("name"), row.get("phone")) for row in rows}
        keys = {key for key in keys if key[0] and key[1]}
        self.people = {key: [] for key in keys}
        if not keys:
            return
        found = (
            SocialWorker.objects.visible_to(self.actor)
            .filter(name__in={k[0] for k in keys}, phone__in={k[1] for k in keys})
            .select_related("station__region", "region")
            .order_by("pk")
        )
        for person in found:
            if (person.name, person.phone) in self.people:
                self.people[(person.name, person.phone)].append(person)

    def existing_people(self, name: str, phone: str) -> list[SocialWorker]:
        """At most two people the importer may see with this name and mobile number (read with
        the chunk when it was)."""
        known = self.people.get((name, phone))
        if known is not None:
            return [copy.copy(person) for person in known[:2]]  # build changes its record
        return list(
            SocialWorker.objects.visible_to(self.actor)
            .filter(name=name, phone=phone)
            .select_related("station__region", "region")
            .order_by("pk")[:2]
        )

    def column_for_field(self, field_name: str) -> str:
        if field_name == "region":
            return "station" if "station" in self.present else "region_code"
        return super().column_for_field(field_name)

    def resolve_station(self, row: ImportRow, errors: list[tuple[str, str]]) -> Station | None:
        name: str = row.get("station")
        code = row.get("region_code")
        found = self.stations.find(name, row, "station")
        if code:
            found = [s for s in found if s.region.code == code]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            message = _(
                "Several stations are named “%(name)s”; add the %(column)s to tell them apart."
            ) % {"name": name, "column": self.header_of("region_code")}
        elif Station.objects.filter(name=name).exists() and not code:
            message = _("The station “%(name)s” is outside your jurisdiction.") % {"name": name}
        else:
            message = _("No station “%(name)s” in your jurisdiction.") % {"name": name}
        errors.append(("station", message))
        return None

    def build(self, row: ImportRow, actor: Actor) -> Built:
        errors: list[tuple[str, str]] = []
        name: str = row.get("name")
        phone: str = row.get("phone")
        existing = self.existing_people(name, phone)
        if len(existing) > 1:
            raise RowInvalid(
                [
                    (
                        "phone",
                        _("Several people are named %(name)s with this mobile number.")
                        % {"name": name},
                    )
                ]
            )
        person = existing[0] if existing else SocialWorker(name=name, phone=phone)
        before = model_values(person) if existing else {}
        values: dict[str, Any] = {} if existing else {"name": name, "phone": phone}
        for key in self.SIMPLE_FIELDS:
            if row.has(key):
                values[key] = row.get(key)

        if row.is_cleared("station"):
            values["station"] = None
        elif row.has("station"):
            station = self.resolve_station(row, errors)
            if station is not None:
                # The service places a station's staff in the station's region; so do we.
                values["station"] = station
                values["region"] = station.region
        elif row.has("region_code"):
            try:
                values["region"] = self.regions.by_code_or_error(row.get("region_code"))
            except ValueError as exc:
                errors.append(("region_code", str(exc)))
        elif not existing:
            errors.append(
                (
                    "station",
                    _("Give the %(station)s, or the %(region)s for someone without a station.")
                    % {
                        "station": self.header_of("station"),
                        "region": self.header_of("region_code"),
                    },
                )
            )
        if row.is_cleared("agency"):
            values["agency"] = None
        elif row.has("agency"):
            try:
                values["agency"] = self.agencies.get_or_error(row.get("agency"))
            except ValueError as exc:
                errors.append(("agency", str(exc)))
        for key, value in values.items():
            setattr(person, key, value)
        if errors:
            raise RowInvalid(errors)
        self.clean(person, errors)
        changed = not existing or model_values(person) != before

        related: list[Built] = []
        if any(row.has(key) for key in CERTIFICATE_KEYS):
            certificate = self.build_certificate(
                row, person, existing=bool(existing), errors=errors
            )
            if certificate is not None:
                related.append(certificate)
        if errors:
            raise RowInvalid(errors)
        return Built(
            instance=person,
            created=not existing,
            changed=changed,
            related=related,
            values=values,
            matched_by="phone",
        )

    def build_certificate(
        self,
        row: ImportRow,
        person: SocialWorker,
        *,
        existing: bool,
        errors: list[tuple[str, str]],
    ) -> Built | None:
        missing = [key for key in CERTIFICATE_KEYS if not row.has(key)]
        if missing:
            errors.extend(
                (key, _("A certificate needs its level, number and date obtained."))
                for key in missing
            )
            return None
        level, number, obtained_on = (row.get(key) for key in CERTIFICATE_KEYS)
        registered = Certificate.objects.filter(number=number).first()
        certificate: Certificate | None = None
        if registered is not None:
            if not existing or registered.social_worker_id != person.pk:
                errors.append(
                    (
                        "cert_number",
                        _("Certificate number %(number)s is registered to another person.")
                        % {"number": number},
                    )
                )
                return None
            certificate = registered
        elif existing:
            certificate = Certificate.objects.filter(social_worker=person, level=level).first()
        created = certificate is None
        if certificate is None:
            certificate = Certificate(social_worker=person if existing else None)
        before = model_values(certificate) if not created else {}
        values = {"level": level, "number": number, "obtained_on": obtained_on}
        for key, value in values.items():
            setattr(certificate, key, value)
        problems: list[tuple[str, str]] = []
        self.clean(certificate, problems, exclude=[] if existing else ["social_worker"])
        errors.extend(problems)
        changed = created or model_values(certificate) != before
        return Built(instance=certificate, created=created, changed=changed, values=values)

    def validation_errors(self, exc: Any, model: Any = None) -> list[tuple[str, str]]:
        if model is Certificate and hasattr(exc, "error_dict"):
            errors: list[tuple[str, str]] = []
            for field_name, field_errors in exc.error_dict.items():
                column = self.CERTIFICATE_FIELD_COLUMNS.get(field_name, "cert_number")
                errors.extend((column, m) for e in field_errors for m in e.messages)
            return errors
        return super().validation_errors(exc, model)

    def file_keys(self, built: Built) -> list[tuple[str, Hashable]]:
        person = built.instance
        assert isinstance(person, SocialWorker)
        keys: list[tuple[str, Hashable]] = [("name", ("person", person.name, person.phone))]
        for related in built.related:
            assert isinstance(related.instance, Certificate)
            keys.append(("cert_number", ("certificate", related.instance.number)))
        return keys

    def save(self, built: Built, actor: Actor) -> None:
        person = built.instance
        assert isinstance(person, SocialWorker)
        if built.created:
            person = social_worker_create(actor=actor, **built.values)
        elif built.changed:
            person = social_worker_update(actor=actor, social_worker=person, **built.values)
        built.instance = person
        for related in built.related:
            if not related.changed:
                continue
            certificate = related.instance
            assert isinstance(certificate, Certificate)
            if related.created:
                related.instance = certificate_create(
                    actor=actor, social_worker=person, **related.values
                )
            else:
                related.instance = certificate_update(
                    actor=actor, certificate=certificate, **related.values
                )
