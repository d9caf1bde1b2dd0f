"""Pages of groups and community work (issue 13): groups with their stages, members and
sessions; a session's attendance page, quick on a phone; community activities with their
participants and photos. Reads go through selectors.py, writes through services.py."""

from typing import Any, ClassVar
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from swstation.community import filtersets, forms, selectors, services, tables
from swstation.community.importers import SessionSignInImporter, session_sheet
from swstation.community.models import (
    NEXT_PROPOSAL_STAGE,
    NEXT_STAGE,
    ActivityParticipant,
    ActivityPhoto,
    ActivityVolunteer,
    CommunityActivity,
    GovernanceMeeting,
    Group,
    GroupMember,
    GroupSession,
    GroupStage,
    Pledge,
    Proposal,
    ProposalOutcome,
    ProposalStage,
    SessionAttendance,
)
from swstation.core import views as generic
from swstation.core.export import file_response
from swstation.core.permissions import Action, user_can
from swstation.core.views.generic import ModelPermissionMixin
from swstation.core.views.registry import model_pages

# --- groups ------------------------------------------------------------------------------------

group_pages = model_pages(
    Group,
    prefix="groups/",
    queryset=selectors.group_list,
    filterset=filtersets.GroupFilterSet,
    table=tables.GroupTable,
    form=forms.GroupForm,
    create=services.group_create,
    update=services.group_update,
)


@group_pages.register("detail")
class GroupDetailView(generic.ObjectDetailView):
    template_name = "community/group.html"

    def get_extra_context(self, obj: Group) -> dict[str, Any]:
        user = self.request.user
        roles = self.permissions_context()
        writable = selectors.writable_groups(actor=user).filter(pk=obj.pk).exists()
        next_stage = NEXT_STAGE.get(obj.stage)
        steps = []
        reached = list(GroupStage.values).index(obj.stage)
        for index, (value, label) in enumerate(GroupStage.choices):
            state = "done" if index < reached else "current" if index == reached else "todo"
            steps.append({"value": value, "label": label, "state": state})
        sessions = list(selectors.group_sessions(actor=user, group=obj))
        return {
            "steps": steps,
            "members": list(selectors.group_members(actor=user, group=obj)),
            "sessions": sessions,
            "stage_changes": selectors.group_stage_changes(group=obj),
            "next_stage": next_stage,
            "next_stage_label": GroupStage(next_stage).label if next_stage else "",
            "advance_form": forms.GroupAdvanceForm(initial={"to_stage": next_stage})
            if next_stage and writable and roles["can_change"]
            else None,
            "can_add_member": writable and user_can(user, "add", GroupMember),
            "can_add_session": writable and user_can(user, "add", GroupSession),
            "can_change": roles["can_change"] and writable,
            "can_delete": roles["can_delete"]
            and writable
            and obj.stage == GroupStage.PREPARING
            and not sessions,
        }


@group_pages.register("delete")
class GroupDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: Group) -> None:
        services.group_delete(actor=self.request.user, group=obj)


@group_pages.register("advance", route="<int:pk>/advance/")
class GroupAdvanceView(generic.TransitionView):
    """A POST moving the group to its next stage, back to the group's page with the outcome."""

    form_class = forms.GroupAdvanceForm

    def perform(self, obj: Group, data: dict[str, Any]) -> str:
        group = services.group_advance(
            actor=self.request.user,
            group=obj,
            to_stage=data["to_stage"],
            on=data.get("on"),
            goals_met=data.get("goals_met") or "",
            evaluation=data.get("evaluation") or "",
        )
        return _("Group “%(group)s”: %(stage)s.") % {
            "group": group,
            "stage": group.get_stage_display(),
        }


# --- members -----------------------------------------------------------------------------------

member_pages = model_pages(
    GroupMember,
    prefix="members/",
    queryset=selectors.member_list,
    filterset=filtersets.GroupMemberFilterSet,
    table=tables.GroupMemberTable,
    form=forms.GroupMemberForm,
    create=services.member_create,
    update=services.member_update,
)


@member_pages.register("delete")
class GroupMemberDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: GroupMember) -> None:
        services.member_delete(actor=self.request.user, member=obj)


# --- sessions and attendance -------------------------------------------------------------------

session_pages = model_pages(
    GroupSession,
    prefix="sessions/",
    queryset=selectors.session_list,
    filterset=filtersets.GroupSessionFilterSet,
    table=tables.GroupSessionTable,
    form=forms.GroupSessionForm,
    create=services.session_create,
    update=services.session_update,
)


@session_pages.register("detail")
class GroupSessionDetailView(generic.ObjectDetailView):
    template_name = "community/groupsession.html"

    def get_extra_context(self, obj: GroupSession) -> dict[str, Any]:
        user = self.request.user
        writable = selectors.writable_groups(actor=user).filter(pk=obj.group_id).exists()
        roles = self.permissions_context()
        return {
            "counts": selectors.session_counts(obj),
            "volunteers": list(selectors.occasion_volunteers(actor=user, session=obj)),
            "can_add_volunteer": writable and user_can(user, "add", ActivityVolunteer),
            "attendance": list(obj.attendance.select_related("member__recipient")),
            "can_record": writable and roles["can_change"],
            "can_change": writable and roles["can_change"],
            "can_delete": writable and roles["can_delete"],
        }


@session_pages.register("delete")
class GroupSessionDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: GroupSession) -> None:
        services.session_delete(actor=self.request.user, session=obj)


@session_pages.register("attendance", route="<int:pk>/attendance/")
class GroupSessionAttendanceView(ModelPermissionMixin, View):
    """Attendance of a session on a phone: tick the members present, add walk-ins by name or
    by count. With htmx every tick is saved at once and the counts answer in place; without
    it, the button saves the whole form."""

    action: ClassVar[Action] = "change"
    template_name = "community/attendance.html"

    def _render(
        self, request: HttpRequest, session: GroupSession, form: Any, **extra: Any
    ) -> HttpResponse:
        template = (
            "community/inc/attendance_form.html"
            if getattr(request, "htmx", False)
            else self.template_name
        )
        context = {
            "object": session,
            "form": form,
            "counts": selectors.session_counts(session),
            **extra,
        }
        return render(request, template, context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        session = self.get_object(pk=pk)
        if session.group.stage == GroupStage.ENDED:
            messages.info(
                request,
                _("Group “%(group)s” has ended: it no longer changes.") % {"group": session.group},
            )
            return HttpResponseRedirect(session.get_absolute_url())
        form = forms.SessionAttendanceForm(
            session=session, initial=forms.SessionAttendanceForm.initial_for(session)
        )
        return self._render(request, session, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        session = self.get_object(pk=pk)
        form = forms.SessionAttendanceForm(request.POST, session=session)
        if not form.is_valid():
            return self._render(request, session, form)
        data = form.cleaned_data
        try:
            services.session_attendance_record(
                actor=request.user,
                session=session,
                present=data["present"],
                walk_in_names=(data.get("walk_in_names") or "").splitlines(),
                walk_in_count=data["walk_in_count"] or 0,
            )
        except ValidationError as exc:
            for name, errors in getattr(exc, "error_dict", {"__all__": exc.error_list}).items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
            return self._render(request, session, form)
        if getattr(request, "htmx", False):
            return self._render(request, session, form, saved=True)
        messages.success(request, _("Attendance saved."))
        return HttpResponseRedirect(session.get_absolute_url())


attendance_pages = model_pages(
    SessionAttendance,
    prefix="attendance/",
    queryset=selectors.attendance_list,
    filterset=filtersets.SessionAttendanceFilterSet,
    table=tables.SessionAttendanceTable,
    actions=("list", "detail", "history"),
)


# --- community activities ----------------------------------------------------------------------

activity_pages = model_pages(
    CommunityActivity,
    prefix="activities/",
    queryset=selectors.activity_list,
    filterset=filtersets.CommunityActivityFilterSet,
    table=tables.CommunityActivityTable,
    form=forms.CommunityActivityForm,
    create=services.activity_create,
    update=services.activity_update,
)


@activity_pages.register("detail")
class CommunityActivityDetailView(generic.ObjectDetailView):
    template_name = "community/communityactivity.html"

    def get_extra_context(self, obj: CommunityActivity) -> dict[str, Any]:
        user = self.request.user
        writable = selectors.writable_activities(actor=user).filter(pk=obj.pk).exists()
        roles = self.permissions_context()
        return {
            "participants": list(selectors.activity_participants(actor=user, activity=obj)),
            "photos": list(selectors.activity_photos(actor=user, activity=obj)),
            "volunteers": list(selectors.occasion_volunteers(actor=user, activity=obj)),
            "can_add_volunteer": writable and user_can(user, "add", ActivityVolunteer),
            "can_add_participant": writable and user_can(user, "add", ActivityParticipant),
            "can_add_photo": writable and user_can(user, "add", ActivityPhoto),
            "can_change": writable and roles["can_change"],
            "can_delete": writable and roles["can_delete"],
        }


@activity_pages.register("delete")
class CommunityActivityDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: CommunityActivity) -> None:
        services.activity_delete(actor=self.request.user, activity=obj)


participant_pages = model_pages(
    ActivityParticipant,
    prefix="participants/",
    queryset=selectors.participant_list,
    filterset=filtersets.ActivityParticipantFilterSet,
    table=tables.ActivityParticipantTable,
    form=forms.ActivityParticipantForm,
    create=services.participant_create,
    update=services.participant_update,
)


@participant_pages.register("delete")
class ActivityParticipantDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: ActivityParticipant) -> None:
        services.participant_delete(actor=self.request.user, participant=obj)


photo_pages = model_pages(
    ActivityPhoto,
    prefix="photos/",
    queryset=selectors.photo_list,
    filterset=filtersets.ActivityPhotoFilterSet,
    table=tables.ActivityPhotoTable,
    form=forms.ActivityPhotoForm,
    create=services.photo_create,
    update=services.photo_update,
)


@photo_pages.register("detail")
class ActivityPhotoDetailView(generic.ObjectDetailView):
    template_name = "community/activityphoto.html"


@photo_pages.register("delete")
class ActivityPhotoDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: ActivityPhoto) -> None:
        services.photo_delete(actor=self.request.user, photo=obj)


CONTENT_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}


@photo_pages.register("file", route="<int:pk>/file/")
class ActivityPhotoFileView(ModelPermissionMixin, View):
    """The stored photo, to those who may see the activity (never a public media URL)."""

    action: ClassVar[Action] = "view"

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        photo = self.get_object(pk=pk)
        stored = photo.file
        if not stored or not stored.name or not stored.storage.exists(stored.name):
            raise Http404(_("No such file."))
        extension = stored.name.rsplit(".", 1)[-1].lower()
        response = FileResponse(
            stored.storage.open(stored.name, "rb"),
            content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
        )
        filename = quote(f"{photo.title}.{extension}", safe="")
        response["Content-Disposition"] = f"inline; filename*=UTF-8''{filename}"
        response["X-Content-Type-Options"] = "nosniff"
        return response


# --- volunteer hours ---------------------------------------------------------------------------

volunteer_hours_pages = model_pages(
    ActivityVolunteer,
    prefix="volunteer-hours/",
    queryset=selectors.volunteer_hours_list,
    filterset=filtersets.ActivityVolunteerFilterSet,
    table=tables.ActivityVolunteerTable,
    form=forms.ActivityVolunteerForm,
    create=services.volunteer_hours_create,
    update=services.volunteer_hours_update,
)


@volunteer_hours_pages.register("delete")
class ActivityVolunteerDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: ActivityVolunteer) -> None:
        services.volunteer_hours_delete(actor=self.request.user, row=obj)


# --- sign-in sheets (importers.py; the import pages are mounted in urls.py) --------------------


@session_pages.register("signin_sheet", route="<int:pk>/sign-in-sheet.xlsx")
class GroupSessionSignInSheetView(ModelPermissionMixin, View):
    """The session's sign-in sheet to print or fill in: the import's template with a row per
    member of the group on the day, for those who may import it."""

    action: ClassVar[Action] = "change"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        session = self.get_object(pk=pk)
        if not SessionSignInImporter.actor_may_import(request.user):
            raise PermissionDenied(_("Your role may not import these records."))
        return file_response(session_sheet(session), f"sign-in-sheet-{session.pk}.xlsx")


# --- residents' micro-governance (众筹微治, 邻舍家) ----------------------------------------------

proposal_pages = model_pages(
    Proposal,
    prefix="proposals/",
    queryset=selectors.proposal_list,
    filterset=filtersets.ProposalFilterSet,
    table=tables.ProposalTable,
    form=forms.ProposalForm,
    create=services.proposal_create,
    update=services.proposal_update,
)


@proposal_pages.register("detail")
class ProposalDetailView(generic.ObjectDetailView):
    template_name = "community/proposal.html"

    def get_extra_context(self, obj: Proposal) -> dict[str, Any]:
        user = self.request.user
        roles = self.permissions_context()
        writable = selectors.writable_proposals(actor=user).filter(pk=obj.pk).exists()
        next_stage = NEXT_PROPOSAL_STAGE.get(obj.stage)
        reached = list(ProposalStage.values).index(obj.stage)
        steps = [
            {
                "value": value,
                "label": label,
                "state": "done" if i < reached else "current" if i == reached else "todo",
            }
            for i, (value, label) in enumerate(ProposalStage.choices)
        ]
        can_change = roles["can_change"] and writable
        pledges = list(selectors.proposal_pledges(actor=user, proposal=obj))
        meetings = list(selectors.proposal_meetings(actor=user, proposal=obj))
        return {
            "steps": steps,
            "pledges": pledges,
            "totals": selectors.pledge_totals(actor=user, proposal=obj),
            "meetings": meetings,
            "stage_changes": selectors.proposal_stage_changes(proposal=obj),
            "next_stage": next_stage,
            "next_stage_label": ProposalStage(next_stage).label if next_stage else "",
            "advance_form": forms.ProposalAdvanceForm(initial={"to_stage": next_stage})
            if next_stage and can_change
            else None,
            "close_form": forms.ProposalAdvanceForm(
                initial={"to_stage": ProposalStage.CLOSED, "outcome": ProposalOutcome.DROPPED}
            )
            if next_stage and next_stage != ProposalStage.CLOSED and can_change
            else None,
            "can_add_pledge": writable and user_can(user, "add", Pledge),
            "can_add_meeting": writable and user_can(user, "add", GovernanceMeeting),
            "can_change": can_change,
            "can_delete": roles["can_delete"] and writable and not pledges and not meetings,
        }


@proposal_pages.register("delete")
class ProposalDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: Proposal) -> None:
        services.proposal_delete(actor=self.request.user, proposal=obj)


@proposal_pages.register("advance", route="<int:pk>/advance/")
class ProposalAdvanceView(generic.TransitionView):
    """A POST moving the proposal to its next stage (or closing it early), back to its page
    with the outcome."""

    form_class = forms.ProposalAdvanceForm

    def perform(self, obj: Proposal, data: dict[str, Any]) -> str:
        proposal = services.proposal_advance(
            actor=self.request.user,
            proposal=obj,
            to_stage=data["to_stage"],
            on=data.get("on"),
            outcome=data.get("outcome") or "",
            result=data.get("result") or "",
        )
        return _("Proposal “%(proposal)s”: %(stage)s.") % {
            "proposal": proposal,
            "stage": proposal.get_stage_display(),
        }


pledge_pages = model_pages(
    Pledge,
    prefix="pledges/",
    queryset=selectors.pledge_list,
    filterset=filtersets.PledgeFilterSet,
    table=tables.PledgeTable,
    form=forms.PledgeForm,
    create=services.pledge_create,
    update=services.pledge_update,
)


@pledge_pages.register("delete")
class PledgeDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: Pledge) -> None:
        services.pledge_delete(actor=self.request.user, pledge=obj)


meeting_pages = model_pages(
    GovernanceMeeting,
    prefix="governance-meetings/",
    queryset=selectors.meeting_list,
    filterset=filtersets.GovernanceMeetingFilterSet,
    table=tables.GovernanceMeetingTable,
    form=forms.GovernanceMeetingForm,
    create=services.meeting_create,
    update=services.meeting_update,
)


@meeting_pages.register("detail")
class GovernanceMeetingDetailView(generic.ObjectDetailView):
    template_name = "community/governancemeeting.html"


@meeting_pages.register("delete")
class GovernanceMeetingDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: GovernanceMeeting) -> None:
        services.meeting_delete(actor=self.request.user, meeting=obj)
