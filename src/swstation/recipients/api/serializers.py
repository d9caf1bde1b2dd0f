from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import SkipField, empty

from swstation.core.api.viewsets import ScopedSerializerMixin
from swstation.core.masking import age_band_code, mask_api_value, user_sees_personal_data
from swstation.recipients.models import (
    REVEALABLE_FIELDS,
    Category,
    CategoryPeriod,
    DuplicateReview,
    ExitReason,
    Household,
    IdentityField,
    IdentityView,
    Recipient,
)
from swstation.recipients.selectors import user_sees_sensitive_data
from swstation.regions.models import Region
from swstation.stations.models import Station


class MaskPersonalFieldsMixin:
    """Personal fields (``Meta.model.personal_fields``) masked for roles that read them masked;
    health notes left out for roles outside SENSITIVE_READERS."""

    context: dict[str, Any]

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)  # type: ignore[misc]
        request = self.context.get("request")
        if request is None:
            return data
        if not user_sees_personal_data(request.user):
            for name in getattr(type(instance), "personal_fields", ()):
                if name in data:
                    data[name] = mask_api_value(data[name])
            if "age" in data:
                data["age"] = None  # with the date of birth: only the age band is said
        if not user_sees_sensitive_data(request.user):
            data.pop("health_notes", None)
        return data


class HouseholdSerializer(
    MaskPersonalFieldsMixin, ScopedSerializerMixin, serializers.ModelSerializer
):
    url = serializers.HyperlinkedIdentityField(view_name="api:household-detail")
    region_code = serializers.SlugRelatedField(
        source="region", slug_field="code", queryset=Region.objects.all()
    )
    member_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Household
        fields = [
            "id",
            "url",
            "head_name",
            "region_code",
            "address",
            "size",
            "member_count",
            "note",
        ]


class MaskedNumberField(serializers.CharField):
    """Written in clear, read masked: the API never returns a full number in a record (the
    ``reveal-identity`` action does, logged). Sent back as shown (the masked form of the stored
    number, e.g. a PUT of the record as read), it is the stored number, left unchanged."""

    def __init__(self, *, masked_attribute: str, **kwargs: Any) -> None:
        self.masked_attribute = masked_attribute
        super().__init__(**kwargs)

    def get_attribute(self, instance: Any) -> Any:
        return getattr(instance, self.masked_attribute)

    def run_validation(self, data: Any = empty) -> Any:
        instance = getattr(self.parent, "instance", None)
        if (
            isinstance(instance, Recipient)
            and isinstance(data, str)
            and data
            and data == getattr(instance, self.masked_attribute)
        ):
            raise SkipField  # as if left out: the stored number is kept
        return super().run_validation(data)


class CategoryPeriodSerializer(serializers.ModelSerializer):
    """A time a person held a category (read-only: the recipients services keep them)."""

    url = serializers.HyperlinkedIdentityField(view_name="api:categoryperiod-detail")
    recipient_name = serializers.CharField(source="recipient.name", read_only=True)
    category: serializers.Field = serializers.SlugRelatedField(slug_field="code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)

    class Meta:
        model = CategoryPeriod
        fields = [
            "id",
            "url",
            "recipient",
            "recipient_name",
            "category",
            "category_name",
            "valid_from",
            "valid_to",
        ]
        read_only_fields = fields


class RecipientCategoryPeriodSerializer(CategoryPeriodSerializer):
    """A period as the person's record lists it (the person is the record)."""

    class Meta(CategoryPeriodSerializer.Meta):
        fields = ["category", "valid_from", "valid_to"]
        read_only_fields = fields


class RecipientSerializer(
    MaskPersonalFieldsMixin, ScopedSerializerMixin, serializers.ModelSerializer
):
    url = serializers.HyperlinkedIdentityField(view_name="api:recipient-detail")
    region_code = serializers.SlugRelatedField(
        source="region",
        slug_field="code",
        queryset=Region.objects.all(),
        help_text=_("The 12-digit code of the village or community."),
    )
    id_number = MaskedNumberField(
        masked_attribute="id_number_masked",
        required=False,
        allow_blank=True,
        max_length=40,
        help_text=_(
            "The document number: written in full, always read masked. On an update, leave it "
            "out to keep the stored number."
        ),
    )
    phone = MaskedNumberField(
        masked_attribute="phone_masked",
        required=False,
        allow_blank=True,
        max_length=20,
        help_text=_("Written in full, read masked; an empty string removes it."),
    )
    guardian_phone = MaskedNumberField(
        masked_attribute="guardian_phone_masked",
        required=False,
        allow_blank=True,
        max_length=20,
        help_text=_(
            "Written in full, read masked (every role); left out of an update it is kept, an "
            "empty string removes it."
        ),
    )
    emergency_contact_phone = MaskedNumberField(
        masked_attribute="emergency_contact_phone_masked",
        required=False,
        allow_blank=True,
        max_length=20,
        help_text=_(
            "Written in full, read masked (every role); left out of an update it is kept, an "
            "empty string removes it."
        ),
    )
    categories = serializers.SlugRelatedField(
        many=True,
        slug_field="code",
        queryset=Category.objects.all(),
        required=False,
        help_text=_("Category codes, e.g. elderly_living_alone."),
    )
    household = serializers.PrimaryKeyRelatedField(
        queryset=Household.objects.all(), required=False, allow_null=True
    )
    station = serializers.PrimaryKeyRelatedField(
        queryset=Station.objects.all(), required=False, allow_null=True
    )
    age = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text=_("Null for roles that read personal data masked (see age_band)."),
    )
    age_band = serializers.SerializerMethodField(
        help_text=_(
            'The five-year age band ("80-84", "100+"), for every role; roles that read '
            "personal data masked get it instead of the date of birth and the age (null)."
        )
    )
    is_minor = serializers.BooleanField(read_only=True)
    category_periods = RecipientCategoryPeriodSerializer(
        many=True,
        read_only=True,
        help_text=_(
            "Each time the person held a category, from valid_from to valid_to (both included; "
            "null: still). categories are the ones held today."
        ),
    )
    categories_since = serializers.DateField(
        write_only=True,
        required=False,
        allow_null=True,
        help_text=_(
            "With categories: the day the change took effect (a category removed ends the day "
            "before). Left out: today, or the registration date for a new person."
        ),
    )
    confirm_duplicates = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text=_(
            "Possible duplicates (same document number, or same name, date of birth and "
            "village) are refused with an error on this field; send true to save anyway."
        ),
    )

    class Meta:
        model = Recipient
        fields = [
            "id",
            "url",
            "name",
            "sex",
            "birth_date",
            "age",
            "age_band",
            "is_minor",
            "document_type",
            "id_number",
            "no_document_reason",
            "phone",
            "region_code",
            "address",
            "household",
            "relation_to_head",
            "station",
            "categories",
            "disability_type",
            "disability_grade",
            "health_notes",
            "guardian_name",
            "guardian_relation",
            "guardian_phone",
            "emergency_contact_name",
            "emergency_contact_phone",
            "consent_given",
            "consent_on",
            "registered_on",
            "exited_on",
            "exit_reason",
            "status",
            "category_periods",
            "categories_since",
            "merged_into",
            "note",
            "confirm_duplicates",
        ]
        read_only_fields = ["merged_into"]
        # Written here, read only through ``reveal-identity`` (field ``health_notes``): every
        # view of them is logged (issue 10, "Auditing").
        extra_kwargs = {"health_notes": {"write_only": True}}

    def get_age_band(self, instance: Recipient) -> str | None:
        return age_band_code(instance.birth_date)


class RevealIdentitySerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=REVEALABLE_FIELDS, default=IdentityField.ID_NUMBER)
    purpose = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        default="",
        help_text=_("Why the number is needed; required for a guardian's or contact's phone."),
    )


class ExitSerializer(serializers.Serializer):
    exited_on = serializers.DateField(help_text=_("The first day the person is no longer served."))
    reason = serializers.ChoiceField(choices=ExitReason.choices)
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        default="",
        help_text=_("Kept in the record's history with the reason."),
    )


class MergeSerializer(serializers.Serializer):
    merge = serializers.IntegerField(help_text=_("The id of the duplicate record to merge in."))


class DuplicateReviewSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """Read-only: reviews are opened by the services and settled through the actions."""

    url = serializers.HyperlinkedIdentityField(view_name="api:duplicatereview-detail")
    region_code = serializers.CharField(
        source="region.code",
        read_only=True,
        help_text=_("The jurisdiction that settles it: a district, or the city."),
    )
    recipient_name = serializers.CharField(source="recipient.name", read_only=True, default="")
    recipient_region_code = serializers.CharField(
        source="recipient.region.code", read_only=True, default=""
    )
    match_name = serializers.CharField(source="match.name", read_only=True, default="")
    match_region_code = serializers.CharField(
        source="match.region.code", read_only=True, default=""
    )
    id_number = serializers.CharField(
        source="match.id_number_masked",
        read_only=True,
        default="",
        help_text=_("The shared document number, masked."),
    )
    reported_by: serializers.Field = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    decided_by: serializers.Field = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = DuplicateReview
        fields = [
            "id",
            "url",
            "region_code",
            "recipient",
            "recipient_name",
            "recipient_region_code",
            "match",
            "match_name",
            "match_region_code",
            "id_number",
            "reported_by",
            "created_at",
            "status",
            "kept",
            "decided_by",
            "decided_at",
            "note",
        ]
        read_only_fields = fields


class DuplicateReviewMergeSerializer(serializers.Serializer):
    keep = serializers.ChoiceField(
        choices=[("recipient", _("the record entered")), ("match", _("the record already kept"))],
        help_text=_("The record to keep; the other one's related records move to it."),
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DuplicateReviewNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class IdentityViewSerializer(serializers.ModelSerializer):
    """A line of the personal-data access log (read-only): ``user`` (ID) with ``username`` and
    ``user_role``; ``recipient`` (ID) with ``recipient_name``, or ``subject`` for a line about
    several people (``count``); ``field`` (what data: ``id_number``, ``phone``,
    ``guardian_phone``, ``emergency_contact_phone``, ``diagnosis``, ``payment_details``),
    ``kind`` (``view`` or ``export``), ``purpose``, ``region_code``. A line about a minor
    gives ``recipient`` and ``recipient_name`` null to a role that may not see minors'
    records, with ``recipient_is_minor`` true."""

    url = serializers.HyperlinkedIdentityField(view_name="api:identityview-detail")
    username = serializers.CharField(source="user.username", read_only=True)
    user_role = serializers.CharField(source="user.role", read_only=True)
    recipient_name = serializers.CharField(
        source="recipient.name", read_only=True, allow_null=True, default=None
    )
    recipient_is_minor = serializers.BooleanField(read_only=True, default=False)
    region_code = serializers.CharField(
        source="region.code", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = IdentityView
        fields = [
            "id",
            "url",
            "viewed_at",
            "user",
            "username",
            "user_role",
            "recipient",
            "recipient_name",
            "recipient_is_minor",
            "subject",
            "count",
            "region_code",
            "field",
            "kind",
            "purpose",
        ]
        read_only_fields = fields

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if data.get("recipient_is_minor") and (user is None or not user_sees_sensitive_data(user)):
            data["recipient"] = None
            data["recipient_name"] = None
        return data
