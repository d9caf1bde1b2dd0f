from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from swstation.accounts.models import User
from swstation.core.api.fields import MaskedPhoneField
from swstation.core.api.viewsets import ScopedSerializerMixin
from swstation.core.masking import mask_value, user_sees_personal_data
from swstation.regions.models import Region


class UserSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    # Masked for every role (User.protected_fields); sent back as read, it is kept.
    phone = MaskedPhoneField(
        label=_("mobile phone"),
        required=False,
        allow_blank=True,
        max_length=11,
        help_text=_("Masked when read, for every role."),
    )
    url = serializers.HyperlinkedIdentityField(view_name="api:user-detail")
    jurisdiction_code = serializers.SlugRelatedField(
        source="jurisdiction", slug_field="code", queryset=Region.objects.all()
    )
    password = serializers.CharField(
        write_only=True,
        required=False,
        style={"input_type": "password"},
        help_text=_("Only when creating a user."),
    )

    class Meta:
        model = User
        fields = [
            "id",
            "url",
            "username",
            "full_name",
            "role",
            "jurisdiction_code",
            "phone",
            "email",
            "is_active",
            "last_login",
            "must_change_password",
            "password_changed_at",
            "password",
        ]
        read_only_fields = ["last_login", "must_change_password", "password_changed_at"]
        extra_kwargs = {"role": {"required": True, "allow_blank": False}}

    def to_representation(self, instance: User) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and not user_sees_personal_data(request.user):
            for name in User.personal_fields:
                if name not in User.protected_fields:  # masked already
                    data[name] = mask_value(data.get(name))
        return data


class PasswordResetSerializer(serializers.Serializer):
    password = serializers.CharField(
        required=False,
        allow_blank=True,
        write_only=True,
        style={"input_type": "password"},
        help_text=_("The temporary password; leave it out to have one generated (answered once)."),
    )


class PasswordResetAnswerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    must_change_password = serializers.BooleanField()
    password = serializers.CharField(
        allow_null=True,
        help_text=_("The generated temporary password, or null when it was sent in the request."),
    )
