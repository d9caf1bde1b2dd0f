from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from swstation.accounts import filtersets, forms, selectors, services, tables
from swstation.accounts.models import User
from swstation.core import views as generic


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


class UserMixin:
    model = User
    request: Any

    def scoped_queryset(self) -> QuerySet[User]:
        return selectors.user_list(actor=self.request.user)


class UserListView(UserMixin, generic.ObjectListView):
    filterset_class = filtersets.UserFilterSet
    table_class = tables.UserTable


class UserDetailView(UserMixin, generic.ObjectDetailView):
    template_name = "accounts/user.html"


class UserEditView(UserMixin, generic.ObjectEditView):
    def get_form(self, obj: Any, data: Any = None, files: Any = None) -> Any:
        form_class = forms.UserForm if obj is not None else forms.UserCreateForm
        return form_class(data=data, files=files, instance=obj, user=self.request.user)

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


class UserDeleteView(UserMixin, generic.ObjectDeleteView):
    def delete_object(self, obj: User) -> None:
        services.user_delete(actor=self.request.user, user=obj)


class UserHistoryView(UserMixin, generic.ObjectHistoryView):
    pass
