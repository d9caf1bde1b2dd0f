from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views import View

from swstation.accounts import filtersets, forms, selectors, services, tables
from swstation.accounts.models import User
from swstation.core import views as generic
from swstation.core.views.generic import ModelPermissionMixin
from swstation.core.views.registry import model_pages


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = forms.LoginForm
    redirect_authenticated_user = True


class ProfileView(LoginRequiredMixin, View):
    """The user's own account: role, jurisdiction and API token."""

    def get(self, request: HttpRequest) -> HttpResponse:
        assert isinstance(request.user, User)
        token = selectors.user_api_token(user=request.user)
        return render(request, "accounts/profile.html", {"token": token})

    def post(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        assert isinstance(user, User)
        services.user_token_regenerate(actor=user, user=user)
        messages.success(request, _("A new API token was created; the old one no longer works."))
        return HttpResponseRedirect(reverse("accounts:profile"))


user_pages = model_pages(
    User,
    prefix="users/",
    queryset=selectors.user_list,
    filterset=filtersets.UserFilterSet,
    table=tables.UserTable,
    template="accounts/user.html",
)


@user_pages.register("edit")
class UserEditView(generic.ObjectEditView):
    def get_form(self, obj: Any, data: Any = None, files: Any = None, initial: Any = None) -> Any:
        form_class = forms.UserForm if obj is not None else forms.UserCreateForm
        return form_class(
            data=data, files=files, initial=initial, instance=obj, user=self.request.user
        )

    def save_form(self, form: Any) -> User:
        data = form.cleaned_data
        fields = ("full_name", "role", "jurisdiction", "phone", "email")
        if form.instance.pk:
            changes = {name: data[name] for name in (*fields, "username", "is_active")}
            return services.user_update(actor=self.request.user, user=form.instance, **changes)
        return services.user_create(
            actor=self.request.user,
            username=data["username"],
            password=data["password1"],
            **{name: data[name] for name in fields},
        )


@user_pages.register("delete")
class UserDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: User) -> None:
        services.user_delete(actor=self.request.user, user=obj)


class PasswordChangeView(auth_views.PasswordChangeView):
    """The user's own password (linked from “My account”); the only page, with logging out,
    that a user who must change their password can open (accounts.middleware)."""

    template_name = "accounts/password_change.html"
    form_class = forms.PasswordChangeForm
    success_url = reverse_lazy("accounts:profile")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        user = self.request.user
        context["must_change"] = getattr(user, "must_change_password", False)
        context["expired"] = user.is_authenticated and selectors.user_password_expired(user=user)
        context["max_age_days"] = settings.PASSWORD_MAX_AGE_DAYS
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        response: HttpResponse = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


@user_pages.register("password_reset", route="<int:pk>/password-reset/")
class UserPasswordResetView(ModelPermissionMixin, View):
    """The city bureau resets someone's password (in its jurisdiction): a temporary password,
    typed or generated, shown once on the answer to the POST and never stored in clear."""

    action = "change"
    template_name = "accounts/user_password_reset.html"

    def render_page(self, obj: User, form: Any, password: str | None = None) -> HttpResponse:
        context = {**self.model_context(), "object": obj, "form": form, "password": password}
        response = render(self.request, self.template_name, context)
        add_never_cache_headers(response)
        return response

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        obj = self.get_object(**kwargs)
        return self.render_page(obj, forms.PasswordResetForm(user=obj))

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        obj = self.get_object(**kwargs)
        form = forms.PasswordResetForm(data=request.POST, user=obj)
        if not form.is_valid():
            return self.render_page(obj, form)
        typed = form.cleaned_data["password1"] or None
        try:
            password = services.user_password_reset(actor=request.user, user=obj, password=typed)
        except ValidationError as exc:
            for messages_ in exc.message_dict.values():
                form.add_error(None, messages_)
            return self.render_page(obj, form)
        messages.success(
            request,
            _("The password of %(user)s has been reset: they must change it at their next login.")
            % {"user": obj},
        )
        return self.render_page(obj, None, password=None if typed else password)
