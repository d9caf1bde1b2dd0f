"""Forms of the groups and community work pages. Choices are limited to the user's
jurisdiction (ScopedModelForm) and narrowed by the selectors; the rules live in services.py."""

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from swstation.community import selectors
from swstation.community.models import (
    ActivityParticipant,
    ActivityPhoto,
    ActivityVolunteer,
    CommunityActivity,
    GoalsMet,
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
from swstation.community.services import (
    ACTIVITY_FIELDS,
    GROUP_FIELDS,
    MEETING_FIELDS,
    MEMBER_FIELDS,
    PARTICIPANT_FIELDS,
    PHOTO_FIELDS,
    PLEDGE_FIELDS,
    PROPOSAL_FIELDS,
    SESSION_FIELDS,
    VOLUNTEER_FIELDS,
    WALK_IN_LIMIT,
)
from swstation.core.forms import ScopedModelForm, date_input
from swstation.projects.forms import StoredFileInput
from swstation.regions.forms import RegionChoiceField

TEXT = forms.Textarea(attrs={"rows": 3})


class GroupForm(ScopedModelForm):
    class Meta:
        model = Group
        fields = list(GROUP_FIELDS)
        field_classes = {"village": RegionChoiceField}
        widgets = {"starts_on": date_input(), "purpose": TEXT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user, fields = self.user, self.fields
        fields["station"].queryset = selectors.station_choices(actor=user)  # type: ignore[attr-defined]
        fields["facilitators"].queryset = selectors.facilitator_choices(actor=user)  # type: ignore[attr-defined]
        fields["project"].queryset = selectors.project_choices(actor=user)  # type: ignore[attr-defined]
        fields["village"].queryset = selectors.village_choices(actor=user)  # type: ignore[attr-defined]
        if self.instance.pk:
            fields["station"].disabled = True


class GroupAdvanceForm(forms.Form):
    to_stage = forms.ChoiceField(
        label=_("next stage"), choices=GroupStage.choices, widget=forms.HiddenInput
    )
    on = forms.DateField(label=_("ended on"), required=False, widget=date_input())
    goals_met = forms.ChoiceField(
        label=_("goals met"), choices=[("", "---------"), *GoalsMet.choices], required=False
    )
    evaluation = forms.CharField(
        label=_("closing evaluation"), required=False, widget=TEXT, max_length=10_000
    )


class GroupMemberForm(ScopedModelForm):
    class Meta:
        model = GroupMember
        fields = list(MEMBER_FIELDS)
        widgets = {"joined_on": date_input(), "left_on": date_input()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user, fields = self.user, self.fields
        fields["group"].queryset = selectors.writable_groups(actor=user)  # type: ignore[attr-defined]
        fields["recipient"].queryset = selectors.recipient_choices(actor=user)  # type: ignore[attr-defined]
        if self.instance.pk:
            fields["group"].disabled = True


class GroupSessionForm(ScopedModelForm):
    class Meta:
        model = GroupSession
        fields = list(SESSION_FIELDS)
        widgets = {"held_on": date_input(), "content": TEXT, "facilitator_notes": TEXT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["group"].queryset = selectors.writable_groups(actor=self.user)  # type: ignore[attr-defined]
        fields["number"].required = False
        fields["number"].help_text = _("Left empty: the group's next number.")
        if self.instance.pk:
            fields["group"].disabled = True
            fields["number"].required = True


class SessionAttendanceForm(forms.Form):
    """The attendance page of a session: members ticked present, walk-ins by name (one a line)
    and counted."""

    present = forms.ModelMultipleChoiceField(
        label=_("members present"),
        queryset=GroupMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    walk_in_names = forms.CharField(
        label=_("walk-ins by name"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One name a line."),
    )
    walk_in_count = forms.IntegerField(
        label=_("walk-ins counted without a name"),
        min_value=0,
        max_value=WALK_IN_LIMIT,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, session: GroupSession, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = selectors.members_on(session)
        field = self.fields["present"]
        field.queryset = members  # type: ignore[attr-defined]
        field.label_from_instance = lambda member: member.display_name  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(session: GroupSession) -> dict[str, Any]:
        rows = list(session.attendance.all())
        return {
            "present": [row.member_id for row in rows if row.member_id],
            "walk_in_names": "\n".join(row.name for row in rows if not row.member_id),
            "walk_in_count": session.walk_in_count,
        }


class SessionAttendanceRowForm(ScopedModelForm):
    """Not offered as a page (attendance is written through the session's attendance page);
    declared for the model's layers."""

    class Meta:
        model = SessionAttendance
        fields = ["session", "member", "name"]


class CommunityActivityForm(ScopedModelForm):
    class Meta:
        model = CommunityActivity
        fields = list(ACTIVITY_FIELDS)
        field_classes = {"region": RegionChoiceField}
        widgets = {"held_on": date_input(), "description": TEXT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user, fields = self.user, self.fields
        fields["station"].queryset = selectors.station_choices(actor=user)  # type: ignore[attr-defined]
        fields["project"].queryset = selectors.project_choices(actor=user)  # type: ignore[attr-defined]
        fields["region"].queryset = selectors.village_choices(  # type: ignore[attr-defined]
            actor=user, levels=("village", "township")
        )
        fields["partners"].queryset = selectors.partner_choices(actor=user)  # type: ignore[attr-defined]
        for name in ("elders_count", "children_count", "others_count"):
            fields[name].widget.attrs["inputmode"] = "numeric"
        if self.instance.pk:
            fields["station"].disabled = True


class ActivityParticipantForm(ScopedModelForm):
    class Meta:
        model = ActivityParticipant
        fields = list(PARTICIPANT_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user, fields = self.user, self.fields
        fields["activity"].queryset = selectors.writable_activities(actor=user)  # type: ignore[attr-defined]
        fields["recipient"].queryset = selectors.recipient_choices(actor=user)  # type: ignore[attr-defined]
        if self.instance.pk:
            fields["activity"].disabled = True


class ActivityPhotoForm(ScopedModelForm):
    class Meta:
        model = ActivityPhoto
        fields = list(PHOTO_FIELDS)
        widgets = {"file": StoredFileInput(attrs={"accept": "image/jpeg,image/png"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["activity"].queryset = selectors.writable_activities(actor=self.user)  # type: ignore[attr-defined]
        if self.instance.pk:
            fields["activity"].disabled = True
            # The current photo by its title, sent by the guarded page (not the storage's path).
            widget = fields["file"].widget
            widget.label = self.instance.title
            widget.file_url = reverse("community:activityphoto_file", args=[self.instance.pk])


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} · {obj.held_on:%Y-%m-%d}"


class ActivityVolunteerForm(ScopedModelForm):
    class Meta:
        model = ActivityVolunteer
        fields = list(VOLUNTEER_FIELDS)
        field_classes = {"session": SessionChoiceField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user, fields = self.user, self.fields
        fields["activity"].queryset = selectors.writable_activities(actor=user)  # type: ignore[attr-defined]
        fields["session"].queryset = selectors.writable_sessions(actor=user)  # type: ignore[attr-defined]
        fields["volunteer"].queryset = selectors.volunteer_choices(actor=user)  # type: ignore[attr-defined]
        fields["hours"].widget.attrs.update({"inputmode": "decimal", "step": "0.5"})
        fields["activity"].help_text = _("The activity or the group session, one of the two.")
        if self.instance.pk:
            fields["activity"].disabled = True
            fields["session"].disabled = True


# --- residents' micro-governance (众筹微治, 邻舍家) ----------------------------------------------


class ProposalForm(ScopedModelForm):
    class Meta:
        model = Proposal
        fields = list(PROPOSAL_FIELDS)
        field_classes = {"region": RegionChoiceField}
        widgets = {"raised_on": date_input(), "problem": TEXT, "solution": TEXT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user, fields = self.user, self.fields
        fields["station"].queryset = selectors.station_choices(actor=user)  # type: ignore[attr-defined]
        fields["lead_worker"].queryset = selectors.facilitator_choices(actor=user)  # type: ignore[attr-defined]
        fields["project"].queryset = selectors.project_choices(actor=user)  # type: ignore[attr-defined]
        fields["region"].queryset = selectors.village_choices(  # type: ignore[attr-defined]
            actor=user, levels=("village", "township")
        )
        fields["partners"].queryset = selectors.partner_choices(actor=user)  # type: ignore[attr-defined]
        fields["budget"].widget.attrs["inputmode"] = "decimal"
        if self.instance.pk:
            fields["station"].disabled = True


class ProposalAdvanceForm(forms.Form):
    to_stage = forms.ChoiceField(
        label=_("next stage"), choices=ProposalStage.choices, widget=forms.HiddenInput
    )
    on = forms.DateField(label=_("proposal closed on"), required=False, widget=date_input())
    outcome = forms.ChoiceField(
        label=_("outcome"), choices=[("", "---------"), *ProposalOutcome.choices], required=False
    )
    result = forms.CharField(
        label=_("what came of it"), required=False, widget=TEXT, max_length=10_000
    )


class PledgeForm(ScopedModelForm):
    class Meta:
        model = Pledge
        fields = list(PLEDGE_FIELDS)
        widgets = {"pledged_on": date_input()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user, fields = self.user, self.fields
        fields["proposal"].queryset = selectors.writable_proposals(actor=user)  # type: ignore[attr-defined]
        fields["partner"].queryset = selectors.partner_choices(actor=user)  # type: ignore[attr-defined]
        fields["volunteer"].queryset = selectors.volunteer_choices(actor=user)  # type: ignore[attr-defined]
        for name in ("amount_pledged", "amount_received"):
            fields[name].widget.attrs["inputmode"] = "decimal"
        fields["people_count"].widget.attrs["inputmode"] = "numeric"
        if self.instance.pk:
            fields["proposal"].disabled = True


class GovernanceMeetingForm(ScopedModelForm):
    class Meta:
        model = GovernanceMeeting
        fields = list(MEETING_FIELDS)
        widgets = {
            "held_on": date_input(),
            "attendee_names": forms.Textarea(attrs={"rows": 2}),
            "topics": TEXT,
            "decisions": TEXT,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user, fields = self.user, self.fields
        fields["proposal"].queryset = selectors.writable_proposals(actor=user)  # type: ignore[attr-defined]
        fields["council"].queryset = selectors.council_choices(actor=user)  # type: ignore[attr-defined]
        fields["proposal"].help_text = _(
            "The proposal or the residents' self-governance station, one of the two."
        )
        fields["attendee_count"].widget.attrs["inputmode"] = "numeric"
        if self.instance.pk:
            fields["proposal"].disabled = True
            fields["council"].disabled = True
