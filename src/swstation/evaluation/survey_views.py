"""The survey's entry pages (issue 15, "Satisfaction and awareness surveys"; spec/station-
evaluation.md §4 "Evaluator rules", §5), phone first: the work of the station's assigned
evaluator and of the district's civil-affairs officers during the follow-ups (回访).

- ``evaluations/<pk>/survey/``: a station evaluation's survey — draw the sample (once, while
  the survey is open), the progress, the respondents to follow up in the random order with
  their name and phone masked, the stakeholders' forms (H3) and the complaints (H5) of the
  station.
- ``respondents/<pk>/follow-up/``: one respondent's follow-up on one form — the day, how,
  the outcome (not reached, to call back, refused, cannot be surveyed, or reached and
  answered) and, when answered, V0, S1–S6 and W1–W5 as the sample's questionnaire words
  them; a reserve of the stratum comes in as the service decides (3 attempts on 2 days, a
  refusal…: the round's parameters). ``respondents/<pk>/reveal/`` shows the phone (or the
  address) of that one respondent, each time a line of the personal-data access log.
- ``evaluations/<pk>/stakeholders/``: the district enters the township government's or a
  drawn village committee's form (R1–R5).
- ``complaints/new/`` and a complaint's page with its decision: the bureaus register and
  decide the complaints about a station (H5).

"A station cannot survey itself" (spec §5): these pages are refused (403) to the station's
staff, its supervisors and the auditors whatever the services would say; an evaluator reaches
only their assigned stations (404 for another's). Bad input is answered on its field in the
user's language, and nothing is saved partly: each write is one service call in the request's
transaction. Reads go through selectors, writes through services (architecture.md)."""

from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from swstation.core import views as generic
from swstation.core.permissions import Action, acting_role, user_can
from swstation.core.roles import Role
from swstation.core.views.generic import ModelPermissionMixin, add_validation_error
from swstation.evaluation import forms, inputs, sampling, selectors, services, tables
from swstation.evaluation.inputs import SURVEY_STATES
from swstation.evaluation.models import (
    SURVEYORS,
    AttemptOutcome,
    Complaint,
    FollowUpMode,
    RaterKind,
    RespondentStatus,
    StakeholderRating,
    StationEvaluation,
    SurveyRespondent,
)
from swstation.evaluation.models.surveys import stratum_label
from swstation.evaluation.services.surveys import STAKEHOLDER_FIELDS
from swstation.evaluation.views import (
    complaint_pages,
    evaluation_pages,
    survey_respondent_pages,
)
from swstation.stations.selectors import station_list


def _refuse_unless_survey_reader(user: Any) -> None:
    """spec §5: the station's staff, its supervisors and the auditors never see a respondent."""
    if not user_can(user, "view", SurveyRespondent):
        raise PermissionDenied(
            _(
                "Only the station's evaluator and the civil-affairs bureaus work on the survey: "
                "a station cannot survey itself."
            )
        )


def _survey_url(evaluation_id: Any, anchor: str = "") -> str:
    url = reverse("evaluation:stationevaluation_survey", args=[evaluation_id])
    return f"{url}#{anchor}" if anchor else url


def _period(evaluation: StationEvaluation) -> str:
    round_ = evaluation.round
    return _("%(start)s to %(end)s") % {
        "start": round_.period_start.isoformat(),
        "end": round_.snapshot_date.isoformat(),
    }


def _show_errors(form: BaseForm, error: ValidationError, renamed: dict[str, str]) -> None:
    """A service's refusal on the form's fields (``renamed``: the service's name for a field
    → the form's), the rest above the form with its label."""
    if hasattr(error, "error_dict"):
        error = ValidationError(
            {renamed.get(name, name): errors for name, errors in error.error_dict.items()}
        )
    add_validation_error(form, error)


# --- a station evaluation's survey -------------------------------------------------------------


@evaluation_pages.register("survey", route="<int:pk>/survey/")
class SurveyEntryView(ModelPermissionMixin, View):
    """The survey of one station evaluation, for its evaluator and the bureaus."""

    template_name = "evaluation/survey_entry.html"

    def check_object(self, obj: StationEvaluation) -> None:
        _refuse_unless_survey_reader(self.request.user)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        evaluation = self.get_object(pk=pk)
        return render(request, self.template_name, survey_context(request, evaluation))


def survey_context(request: HttpRequest, evaluation: StationEvaluation) -> dict[str, Any]:
    user = request.user
    role = acting_role(user)
    is_open = evaluation.status in SURVEY_STATES
    sample = selectors.survey_sample_for(actor=user, evaluation=evaluation)
    params = sampling.SurveyParameters.of(evaluation.round)
    showing = request.GET.get("show", "pending")
    respondents: list[SurveyRespondent] = []
    if sample is not None:
        rows = selectors.survey_respondent_list(actor=user, evaluation=evaluation).filter(
            active=True
        )
        if showing == "pending":
            rows = rows.filter(status=RespondentStatus.PENDING)
        respondents = list(rows.order_by("order"))
        for respondent in respondents:
            respondent.person = tables.respondent_name(user, respondent)  # type: ignore[attr-defined]
            respondent.phone_shown = respondent.recipient.phone_masked or "—"  # type: ignore[attr-defined]
            respondent.stratum_name = stratum_label(respondent.stratum)  # type: ignore[attr-defined]
    ratings = list(selectors.stakeholder_rating_list(actor=user, evaluation=evaluation))
    villages = inputs.drawn_villages(sample.stakeholder_villages if sample else [])
    rated = {rating.village.code for rating in ratings if rating.village_id and rating.village}
    surveyor = role in SURVEYORS
    return {
        "object": evaluation,
        "evaluation": evaluation,
        "sample": sample,
        "params": params,
        "needed": params.minimum_completed(sample.population) if sample else None,
        "progress": selectors.survey_progress(actor=user, evaluation=evaluation),
        "results": selectors.survey_results(actor=user, evaluation=evaluation),
        "respondents": respondents,
        "showing": showing,
        "is_open": is_open,
        "can_draw": sample is None
        and is_open
        and role in (Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.EVALUATOR),
        "can_follow_up": surveyor and is_open,
        "ratings": ratings,
        "township_rated": any(r.rater == RaterKind.TOWNSHIP for r in ratings),
        "villages": [(village, village.code in rated) for village in villages],
        "can_rate": user_can(user, "add", StakeholderRating) and is_open,
        "can_complain": user_can(user, "add", Complaint),
        "complaints_url": reverse("evaluation:complaint_list")
        + f"?station={evaluation.station_id}",
    }


@evaluation_pages.register("survey_draw", route="<int:pk>/survey/draw/")
class SurveyDrawView(ModelPermissionMixin, View):
    """POST: draw the sample (the city, the district or the assigned evaluator; once)."""

    action: ClassVar[Action] = "change"
    http_method_names = ["post"]

    def check_object(self, obj: StationEvaluation) -> None:
        _refuse_unless_survey_reader(self.request.user)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        evaluation = self.get_object(pk=pk)
        try:
            sample = services.survey_draw(actor=request.user, evaluation=evaluation)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(_messages(exc)))
        else:
            messages.success(
                request,
                _(
                    "Sample drawn: %(n)s of %(N)s recipients served, %(home)s of them visited "
                    "at home."
                )
                % {"n": sample.sample_size, "N": sample.population, "home": sample.home_visits},
            )
        return HttpResponseRedirect(_survey_url(evaluation.pk))


def _messages(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    return [str(exc)]


# --- one respondent's follow-up ----------------------------------------------------------------


@survey_respondent_pages.register("follow_up", route="<int:pk>/follow-up/")
class FollowUpView(ModelPermissionMixin, View):
    """A respondent's follow-up (the surveyors only: the assigned evaluator, the district)."""

    action: ClassVar[Action] = "change"
    template_name = "evaluation/survey_followup.html"

    def check_object(self, obj: SurveyRespondent) -> None:
        _refuse_unless_survey_reader(self.request.user)

    def form_for(self, respondent: SurveyRespondent, data: Any = None) -> forms.FollowUpForm:
        return followup_form(respondent, data)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        respondent = self.get_object(pk=pk)
        return self.render_page(respondent, self.form_for(respondent))

    def render_page(
        self, respondent: SurveyRespondent, form: forms.FollowUpForm, **extra: Any
    ) -> HttpResponse:
        context = {**followup_context(self.request, respondent), "form": form, **extra}
        return render(self.request, self.template_name, context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        respondent = self.get_object(pk=pk)
        form = self.form_for(respondent, request.POST)
        if not form.is_valid():
            return self.render_page(respondent, form)
        data = form.cleaned_data
        try:
            with transaction.atomic():
                if data["outcome"] == AttemptOutcome.COMPLETED:
                    services.survey_answer_enter(
                        actor=request.user, respondent=respondent, **form.answers()
                    )
                else:
                    services.survey_attempt_record(
                        actor=request.user,
                        respondent=respondent,
                        attempted_on=data["day"],
                        outcome=data["outcome"],
                        note=data.get("note") or "",
                        mode=data["mode"],
                    )
        except ValidationError as exc:  # StateConflict included
            _show_errors(
                form,
                exc,
                {"attempted_on": "day", "answered_on": "day", "status": "__all__"},
            )
            return self.render_page(respondent, form)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return self.render_page(respondent, form)
        respondent.refresh_from_db()
        messages.success(request, _followup_message(respondent, data["outcome"]))
        return HttpResponseRedirect(_survey_url(respondent.sample.evaluation_id))


def followup_form(respondent: SurveyRespondent, data: Any = None) -> forms.FollowUpForm:
    """The follow-up form: a new attempt, or the answers of a completed one to correct."""
    evaluation = respondent.sample.evaluation
    answer = getattr(respondent, "answer", None)
    correcting = answer is not None and respondent.status == RespondentStatus.COMPLETED
    initial = (
        forms.FollowUpForm.initial_from(answer)
        if correcting and answer is not None
        else {"day": timezone.localdate(), "mode": respondent.mode}
    )
    return forms.FollowUpForm(
        data,
        initial=initial,
        questionnaire=respondent.sample.questionnaire,
        period=_period(evaluation),
        correcting=correcting,
        auto_id="follow-up-%s",
    )


def _followup_message(respondent: SurveyRespondent, outcome: str) -> str:
    if outcome == AttemptOutcome.COMPLETED:
        message = _("The answers of respondent no. %(order)s are saved.")
    else:
        message = _("The attempt to reach respondent no. %(order)s is recorded.")
    message %= {"order": respondent.order}
    if respondent.status != RespondentStatus.PENDING and respondent.status != (
        RespondentStatus.COMPLETED
    ):
        if respondent.replaced_by_id:
            message += " " + _(
                "Their follow-up is over (%(status)s): reserve no. %(reserve)s takes their place."
            ) % {
                "status": respondent.get_status_display(),
                "reserve": respondent.replaced_by.order if respondent.replaced_by else "",
            }
        else:
            message += " " + _(
                "Their follow-up is over (%(status)s); the stratum has no reserve left."
            ) % {"status": respondent.get_status_display()}
    return message


def followup_context(request: HttpRequest, respondent: SurveyRespondent) -> dict[str, Any]:
    user = request.user
    evaluation = respondent.sample.evaluation
    person = respondent.recipient
    params = sampling.SurveyParameters.of(evaluation.round)
    attempts = list(selectors.survey_attempt_list(actor=user, respondent=respondent))
    failed = [a for a in attempts if a.outcome in (AttemptOutcome.NO_ANSWER, "call_back")]
    return {
        "object": respondent,
        "respondent": respondent,
        "evaluation": evaluation,
        "person": tables.respondent_name(user, respondent),
        "phone_masked": person.phone_masked,
        "village": person.region.name if person.region_id and person.region else "",
        "stratum": stratum_label(respondent.stratum),
        "attempts": attempts,
        "failed_attempts": len(failed),
        "failed_days": len({a.attempted_on for a in failed}),
        "params": params,
        "is_open": evaluation.status in SURVEY_STATES,
        "is_pending": respondent.active and respondent.status == RespondentStatus.PENDING,
        "home_visit": respondent.mode == FollowUpMode.HOME,
        "survey_url": _survey_url(evaluation.pk),
    }


@survey_respondent_pages.register("reveal", route="<int:pk>/reveal/")
class RevealContactView(ModelPermissionMixin, View):
    """POST: the phone (or the address) of one respondent still to be followed up, for the
    surveyor, logged (spec §4). An htmx request gets the value in place of the masked one;
    otherwise the follow-up page with it."""

    action: ClassVar[Action] = "change"
    http_method_names = ["post"]

    def check_object(self, obj: SurveyRespondent) -> None:
        _refuse_unless_survey_reader(self.request.user)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        respondent = self.get_object(pk=pk)
        field = request.POST.get("field", "phone")
        if field not in ("phone", "address"):
            field = "phone"
        try:
            value, message = (
                services.respondent_contact_reveal(
                    actor=request.user, respondent=respondent, field=field
                ),
                "",
            )
        except (ValidationError, PermissionDenied) as exc:
            value, message = "", " ".join(_messages(exc))
        context = {"field": field, "value": value, "message": message, "respondent": respondent}
        if getattr(request, "htmx", False):
            return render(request, "evaluation/survey_revealed.html", context)
        form = followup_form(respondent)
        page = {**followup_context(request, respondent), "form": form, "revealed": context}
        return render(request, FollowUpView.template_name, page)


# --- the stakeholders' forms (H3) --------------------------------------------------------------


@evaluation_pages.register("stakeholders", route="<int:pk>/stakeholders/")
class StakeholderRatingEntryView(ModelPermissionMixin, View):
    """The district enters (or corrects) the township government's form or a drawn village
    committee's (spec §5, H3)."""

    action: ClassVar[Action] = "change"
    template_name = "evaluation/survey_stakeholders.html"

    def check_object(self, obj: StationEvaluation) -> None:
        if not user_can(self.request.user, "add", StakeholderRating):
            raise PermissionDenied(
                _("Only the district's civil-affairs officers enter the stakeholders' forms.")
            )

    def form_for(self, evaluation: StationEvaluation, data: Any = None) -> Any:
        sample = selectors.survey_sample_for(actor=self.request.user, evaluation=evaluation)
        villages = inputs.drawn_villages(sample.stakeholder_villages if sample else [])
        code = self.request.GET.get("village", "")
        initial: dict[str, Any] = {
            "rater": RaterKind.VILLAGE if code else RaterKind.TOWNSHIP,
            "village": code,
            "rated_on": timezone.localdate(),
        }
        existing = next(
            (
                rating
                for rating in selectors.stakeholder_rating_list(
                    actor=self.request.user, evaluation=evaluation
                )
                if (rating.village.code if rating.village else "") == code
            ),
            None,
        )
        if existing is not None:
            initial.update(
                rated_on=existing.rated_on,
                comment=existing.comment,
                **{name: str(getattr(existing, name)) for name in STAKEHOLDER_FIELDS},
            )
        form = forms.StakeholderRatingForm(
            data,
            initial=initial,
            villages=villages,
            questionnaire=sample.questionnaire if sample else None,
            auto_id="stakeholder-%s",
        )
        form.villages = {village.code: village for village in villages}  # type: ignore[attr-defined]
        return form

    def render_page(self, evaluation: StationEvaluation, form: Any) -> HttpResponse:
        context = {
            "object": evaluation,
            "evaluation": evaluation,
            "form": form,
            "survey_url": _survey_url(evaluation.pk, "stakeholders"),
            "is_open": evaluation.status in SURVEY_STATES,
        }
        return render(self.request, self.template_name, context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        evaluation = self.get_object(pk=pk)
        return self.render_page(evaluation, self.form_for(evaluation))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        evaluation = self.get_object(pk=pk)
        form = self.form_for(evaluation, request.POST)
        if not form.is_valid():
            return self.render_page(evaluation, form)
        data = form.cleaned_data
        village = form.villages.get(data.get("village") or "")
        if data["rater"] == RaterKind.VILLAGE and village is None:
            form.add_error(
                "village", _("Choose one of the village committees drawn with the survey.")
            )
            return self.render_page(evaluation, form)
        try:
            with transaction.atomic():
                rating = services.stakeholder_rating_enter(
                    actor=request.user,
                    evaluation=evaluation,
                    rater=data["rater"],
                    rated_on=data["rated_on"],
                    village=village if data["rater"] == RaterKind.VILLAGE else None,
                    comment=data.get("comment") or "",
                    **form.items(),
                )
        except ValidationError as exc:
            _show_errors(form, exc, {"status": "__all__"})
            return self.render_page(evaluation, form)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return self.render_page(evaluation, form)
        messages.success(
            request,
            _("The form of %(rater)s is saved: %(score)s points of 100.")
            % {
                "rater": rating.village.name if rating.village else rating.get_rater_display(),
                "score": rating.score,
            },
        )
        return HttpResponseRedirect(_survey_url(evaluation.pk, "stakeholders"))


# --- complaints (H5) ---------------------------------------------------------------------------


@complaint_pages.register("register", route="new/")
class ComplaintRegisterView(ModelPermissionMixin, View):
    """The district or the city registers a complaint about a station in its jurisdiction."""

    action: ClassVar[Action] = "add"
    template_name = "evaluation/survey_complaint_form.html"

    def form_for(self, data: Any = None) -> forms.ComplaintForm:
        initial = {"received_on": timezone.localdate(), "station": self.request.GET.get("station")}
        return forms.ComplaintForm(
            data, initial=initial, stations=station_list(actor=self.request.user)
        )

    def render_page(self, form: forms.ComplaintForm) -> HttpResponse:
        context = {
            "form": form,
            "list_url": reverse("evaluation:complaint_list"),
            "verbose_name": Complaint._meta.verbose_name,
        }
        return render(self.request, self.template_name, context)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(self.form_for())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form_for(request.POST)
        if not form.is_valid():
            return self.render_page(form)
        try:
            with transaction.atomic():
                complaint = services.complaint_register(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _show_errors(form, exc, {})
            return self.render_page(form)
        except PermissionDenied as exc:
            form.add_error("station", str(exc))
            return self.render_page(form)
        messages.success(request, _("The complaint is registered: decide it once checked."))
        return HttpResponseRedirect(complaint.get_absolute_url())


@complaint_pages.register("detail")
class ComplaintDetailView(generic.ObjectDetailView):
    """A complaint, with the decision form for the bureaus."""

    template_name = "evaluation/survey_complaint.html"

    def get_extra_context(self, obj: Complaint) -> dict[str, Any]:
        return {"decide_form": self.decide_form(obj) if self.may_decide() else None}

    def may_decide(self) -> bool:
        return user_can(self.request.user, "change", Complaint)

    def decide_form(self, obj: Complaint, data: Any = None) -> forms.ComplaintDecideForm:
        initial: dict[str, Any] = {"decided_on": obj.decided_on or timezone.localdate()}
        if obj.substantiated is not None:
            initial.update(
                substantiated="yes" if obj.substantiated else "no",
                decision_note=obj.decision_note,
            )
        return forms.ComplaintDecideForm(data, initial=initial, auto_id="decide-%s")


@complaint_pages.register("decide", route="<int:pk>/decide/")
class ComplaintDecideView(ComplaintDetailView):
    """POST: the decision on a complaint (substantiated or not, what the check found)."""

    action: ClassVar[Action] = "change"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        complaint = self.get_object(pk=pk)
        form = self.decide_form(complaint, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    services.complaint_decide(
                        actor=request.user,
                        complaint=complaint,
                        substantiated=data["substantiated"] == "yes",
                        decision_note=data["decision_note"],
                        decided_on=data["decided_on"],
                    )
            except ValidationError as exc:
                _show_errors(form, exc, {"status": "__all__"})
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The decision on the complaint is recorded."))
                return HttpResponseRedirect(complaint.get_absolute_url())
        complaint.refresh_from_db()
        context = {
            **self.model_context(),
            "object": complaint,
            "decide_form": form,
        }
        return render(request, self.template_name, context)
