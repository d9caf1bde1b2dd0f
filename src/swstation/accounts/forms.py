from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from swstation.accounts import services
from swstation.accounts.models import User
from swstation.core.forms import ScopedModelForm, StoredPhonesMixin
from swstation.regions.forms import RegionChoiceField


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Wrong user name or password. After five wrong attempts in a row the account is "
            "locked for a while."
        ),
        "inactive": _("This account has been deactivated."),
    }


class UserForm(StoredPhonesMixin, ScopedModelForm):
    class Meta:
        model = User
        fields = ["username", "full_name", "role", "jurisdiction", "phone", "email", "is_active"]
        field_classes = {"jurisdiction": RegionChoiceField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exclude_choices("jurisdiction", level="village")
        self.fields["role"].required = True
        self.fields["jurisdiction"].required = True
        self.protect_stored_phones()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.keep_stored_phones(cleaned)
        return cleaned


class UserCreateForm(UserForm):
    password1 = forms.CharField(label=_("password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("password again"), widget=forms.PasswordInput, strip=False)

    class Meta(UserForm.Meta):
        fields = ["username", "full_name", "role", "jurisdiction", "phone", "email"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                validate_password(first, User(username=cleaned.get("username", "")))
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """One's own password: the current one, then a new one that passes AUTH_PASSWORD_VALIDATORS
    and differs from the current one (a temporary password must really be replaced). After a
    reset, the current one is asked for as what it is: the temporary password."""

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        if getattr(user, "must_change_password", False):
            self.fields["old_password"].label = _("temporary password")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        old, new = cleaned.get("old_password"), cleaned.get("new_password1")
        if old and new and old == new:
            self.add_error(
                "new_password1", _("The new password may not be the same as the current one.")
            )
        return cleaned

    def save(self, commit: bool = True) -> Any:
        return services.user_password_change(
            user=self.user, password=self.cleaned_data["new_password1"]
        )


class PasswordResetForm(forms.Form):
    """The city bureau's reset of someone's password: typed here, or generated when empty."""

    password1 = forms.CharField(
        label=_("temporary password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Leave both fields empty to have one generated: it is shown once, on the next page."
        ),
    )
    password2 = forms.CharField(
        label=_("temporary password again"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if (first or second) and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                validate_password(first, self.user)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned
