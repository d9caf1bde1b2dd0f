from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from swstation.accounts.models import User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    list_display = ("username", "full_name", "role", "jurisdiction", "is_active")
    list_filter = ("role", "is_active", "is_superuser")
    search_fields = ("username", "full_name")
    raw_id_fields = ("jurisdiction",)
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("SWStation"), {"fields": ("full_name", "role", "jurisdiction", "phone")}),
        (_("Password"), {"fields": ("must_change_password", "password_changed_at")}),
    )
    readonly_fields = ("password_changed_at",)
