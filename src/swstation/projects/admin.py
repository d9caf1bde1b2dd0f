from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from swstation.projects.models import Project, ProjectEnrolment


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ("name", "station", "category", "field", "status", "starts_on", "ends_on")
    list_filter = ("category", "field", "status", "funding_level")
    search_fields = ("name", "station__name")
    raw_id_fields = ("station", "lead", "team", "villages")
    date_hierarchy = "starts_on"


@admin.register(ProjectEnrolment)
class ProjectEnrolmentAdmin(SimpleHistoryAdmin):
    list_display = ("recipient", "project", "enrolled_on", "exited_on")
    search_fields = ("recipient__name", "project__name")
    raw_id_fields = ("project", "recipient")
    date_hierarchy = "enrolled_on"
