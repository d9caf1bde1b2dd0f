"""Pages of recipients and households. Every read goes through the selectors (jurisdiction,
minors, health notes), every write through the services (document checks, encryption,
consent, duplicates, merge, logged reveals)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from swstation.core import views as generic
from swstation.core.history import history_entries
from swstation.core.permissions import user_can
from swstation.core.scoping import get_object_for_user
from swstation.core.transitions import lock_rows
from swstation.core.views.generic import ModelPermissionMixin, add_validation_error
from swstation.core.views.registry import model_pages
from swstation.recipients import filtersets, forms, selectors, services, tables
from swstation.recipients.models import (
    CategoryPeriod,
    DuplicateReview,
    Household,
    IdentityField,
    IdentityView,
    Recipient,
)
from swstation.recipients.overview import recipient_overview

# --- households ------------------------------------------------------------------------------


household_pages = model_pages(
    Household,
    prefix="households/",
    queryset=selectors.household_list,
    filterset=filtersets.HouseholdFilterSet,
    table=tables.HouseholdTable,
    form=forms.HouseholdForm,
)


@household_pages.register("detail")
class HouseholdDetailView(generic.ObjectDetailView):
    template_name = "recipients/household.html"

    def get_extra_context(self, obj: Household) -> dict[str, Any]:
        user = self.request.user
        members = tables.RecipientTable(
            selectors.household_members(actor=user, household=obj),
            user=user,
            exclude=("region", "address", "station"),
            orderable=False,
        )
        return {"members": members, "can_add_recipient": user_can(user, "add", Recipient)}


# --- recipients ------------------------------------------------------------------------------


recipient_pages = model_pages(
    Recipient,
    prefix="",
    queryset=selectors.recipient_list,
    filterset=filtersets.RecipientFilterSet,
    table=tables.RecipientTable,
    create=services.recipient_create,
    update=services.recipient_update,
)


@recipient_pages.register("list")
class RecipientListView(generic.ObjectListView):
    """The list (and its exports): each person's categories, not their category periods (the
    API's): two queries a page fewer (issue 10, "Lists fast at any size")."""

    filterset_class = filtersets.RecipientFilterSet
    table_class = tables.RecipientTable

    def scoped_queryset(self) -> QuerySet[Recipient]:
        return selectors.recipient_list_page(actor=self.request.user)


def recipient_page_context(request: HttpRequest, obj: Recipient) -> dict[str, Any]:
    """The person's page: their details, and everything about them with the actions a worker
    takes from there (recipients.overview, filled by the apps above recipients)."""
    user = request.user
    may_merge = selectors.user_may_merge(user) and user_can(user, "change", Recipient)
    return {
        "overview": recipient_overview(actor=user, recipient=obj),
        "sees_sensitive": selectors.user_sees_sensitive_data(user),
        "may_reveal": selectors.user_may_reveal_identity(user),
        "may_merge": may_merge and not obj.is_merged,
        "sees_identity_views": selectors.user_sees_identity_views(user),
        "identity_views": selectors.recipient_identity_views(actor=user, recipient=obj)[:50],
        "members": selectors.household_members(actor=user, household=obj.household).exclude(
            pk=obj.pk
        )
        if obj.household is not None
        else [],
        "merged_records": selectors.recipient_merged_records(actor=user, recipient=obj),
        "duplicates": selectors.recipient_duplicates_of(actor=user, recipient=obj)
        if may_merge
        else None,
        "categories": list(obj.categories.all()),
        "identity_fields": IdentityField,
        "open_reviews": selectors.recipient_open_reviews(actor=user, recipient=obj),
    }


@recipient_pages.register("detail")
class RecipientDetailView(generic.ObjectDetailView):
    template_name = "recipients/recipient.html"

    def get_extra_context(self, obj: Recipient) -> dict[str, Any]:
        return recipient_page_context(self.request, obj)


class _MergedRecord(Exception):
    """A merged record is history: its edit page sends the user to the record kept."""

    def __init__(self, record: Recipient) -> None:
        super().__init__(str(record))
        self.record = record


@recipient_pages.register("edit")
class RecipientEditView(generic.ObjectEditView):
    form_class = forms.RecipientForm
    template_name = "recipients/recipient_edit.html"

    def check_object(self, obj: Any) -> None:
        if obj.is_merged:
            raise _MergedRecord(obj)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().dispatch(request, *args, **kwargs)
        except _MergedRecord as exc:
            messages.error(
                request,
                _("This record was merged into “%(kept)s”; change that record instead.")
                % {"kept": exc.record.merged_into},
            )
            return HttpResponseRedirect(exc.record.get_absolute_url())

    def service_data(self, form: Any) -> dict[str, Any]:
        return form.service_data()

    def save_form(self, form: Any) -> Recipient:
        try:
            saved: Recipient = super().save_form(form)
        except services.PossibleDuplicates as exc:
            form.duplicates = exc.duplicates
            raise
        return saved


# Fields never shown in a recipient's history: the ciphertexts and hashes (the masked forms
# say what changed), and the health notes for roles that may not read them.
# Nor whether the number is shared with a record under review: the author must not learn of
# records outside their jurisdiction (issue 16).
HIDDEN_HISTORY_FIELDS = (
    "id_number_encrypted",
    "id_number_hash",
    "id_number_shared",
    "phone_encrypted",
    "phone_hash",
    "guardian_phone_encrypted",
    "guardian_phone_hash",
    "emergency_contact_phone_encrypted",
    "emergency_contact_phone_hash",
)


@recipient_pages.register("history")
class RecipientHistoryView(generic.ObjectHistoryView):
    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        obj = self.get_object(**kwargs)
        hidden = list(HIDDEN_HISTORY_FIELDS)
        if not selectors.user_sees_sensitive_data(request.user):
            hidden.append("health_notes")
        labels = {
            str(getattr(Recipient._meta.get_field(name), "verbose_name", name)) for name in hidden
        }
        # The health notes are read on the person's page, each view logged: a history says
        # that they changed, not what they say.
        notes = str(Recipient._meta.get_field("health_notes").verbose_name)
        entries = history_entries(obj, request.user)
        for entry in entries:
            entry.changes = [c for c in entry.changes if c.field not in labels]
            for change in entry.changes:
                if change.field == notes:
                    change.old = ""
                    change.new = _("recorded (see the record)") if change.new else "—"
        page = Paginator(entries, self.per_page).get_page(request.GET.get("page"))
        return render(
            request, self.template_name, {**self.model_context(), "object": obj, "page": page}
        )


@recipient_pages.register("reveal_identity", route="<int:pk>/reveal-identity/")
class RecipientRevealView(ModelPermissionMixin, View):
    """POST: the full document or phone number, for the roles that need it, logged. An htmx
    request gets the number in place of the masked one; otherwise the person's page."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        obj = get_object_for_user(self.scoped_queryset(), request.user, pk=pk)
        form = forms.RevealIdentityForm(request.POST)
        if not form.is_valid():
            raise PermissionDenied(_("Say which number to show."))
        field = form.cleaned_data["field"]
        try:
            value = services.recipient_reveal_identity(
                actor=request.user,
                recipient=obj,
                field=field,
                purpose=form.cleaned_data["purpose"],
            )
        except ValidationError as exc:
            value = ""
            message = " ".join(exc.messages)
        else:
            message = ""
        context = {"object": obj, "field": field, "value": value, "message": message}
        if getattr(request, "htmx", False):
            return render(request, "recipients/inc/revealed.html", context)
        if message:
            messages.error(request, message)
            return HttpResponseRedirect(obj.get_absolute_url())
        page = {
            **self.model_context(),
            "object": obj,
            **recipient_page_context(request, obj),
            "revealed": {field: value},
        }
        return render(request, "recipients/recipient.html", page)


@recipient_pages.register("merge", route="<int:pk>/merge/")
class RecipientMergeView(ModelPermissionMixin, View):
    """Merge a duplicate into this record (station managers and the bureaus)."""

    action = "change"
    template_name = "recipients/recipient_merge.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and not selectors.user_may_merge(request.user):
            raise PermissionDenied(_("Only station managers and the bureaus may merge records."))
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, keep: Recipient, form: forms.RecipientMergeForm) -> HttpResponse:
        context = {
            **self.model_context(),
            "object": keep,
            "form": form,
            "duplicates": selectors.recipient_duplicates_of(
                actor=self.request.user, recipient=keep
            ),
        }
        return render(self.request, self.template_name, context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        keep = self.get_object(pk=pk)
        initial = {"merge": request.GET.get("merge")} if request.GET.get("merge") else {}
        return self.render_form(keep, forms.RecipientMergeForm(initial=initial))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        # Both rows in key order before get_object() locks this one: two merges of the same
        # pair in opposite directions then take turns instead of deadlocking.
        lock_rows(Recipient, pk, request.POST.get("merge"))
        keep = self.get_object(pk=pk)
        form = forms.RecipientMergeForm(request.POST)
        if not form.is_valid():
            return self.render_form(keep, form)
        try:
            merge = get_object_for_user(
                self.scoped_queryset(), request.user, pk=form.cleaned_data["merge"]
            )
        except Http404:
            form.add_error(
                "merge",
                _("No record #%(pk)s in your jurisdiction.") % {"pk": form.cleaned_data["merge"]},
            )
            return self.render_form(keep, form)
        try:
            services.recipient_merge(actor=request.user, keep=keep, merge=merge)
        except ValidationError as exc:
            add_validation_error(form, exc)
            return self.render_form(keep, form)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return self.render_form(keep, form)
        messages.success(
            request,
            _("“%(merged)s” (#%(merged_pk)s) was merged into this record.")
            % {"merged": merge.name, "merged_pk": merge.pk},
        )
        return HttpResponseRedirect(keep.get_absolute_url())


# --- category periods ------------------------------------------------------------------------


# Kept by the recipients services when a person's categories change: read here, reached from
# the person's page.
category_period_pages = model_pages(
    CategoryPeriod,
    prefix="category-periods/",
    queryset=selectors.category_period_list,
    filterset=filtersets.CategoryPeriodFilterSet,
    table=tables.CategoryPeriodTable,
    template="recipients/categoryperiod.html",
    actions=("list", "detail", "history"),
)


# --- duplicate reviews -----------------------------------------------------------------------


# Opened by the services, settled through the actions of its page: never added, edited or
# deleted as such.
duplicate_review_pages = model_pages(
    DuplicateReview,
    prefix="duplicate-reviews/",
    queryset=selectors.duplicate_review_list,
    filterset=filtersets.DuplicateReviewFilterSet,
    table=tables.DuplicateReviewTable,
    actions=("list", "detail", "history"),
)


def duplicate_review_context(
    request: HttpRequest, obj: DuplicateReview, bound: dict[str, Any] | None = None
) -> dict[str, Any]:
    bound = bound or {}
    may_decide = obj.is_open and user_can(request.user, "change", DuplicateReview)
    return {
        "may_decide": may_decide,
        "merge_form": bound.get("merge") or forms.DuplicateReviewMergeForm(),
        "link_form": bound.get("link") or forms.DuplicateReviewNoteForm(prefix="link"),
        "dismiss_form": bound.get("dismiss") or forms.DuplicateReviewNoteForm(prefix="dismiss"),
    }


@duplicate_review_pages.register("detail")
class DuplicateReviewDetailView(generic.ObjectDetailView):
    template_name = "recipients/duplicatereview.html"

    def get_extra_context(self, obj: DuplicateReview) -> dict[str, Any]:
        return duplicate_review_context(self.request, obj)


class _DuplicateReviewActionView(ModelPermissionMixin, View):
    """A POST that settles a review through a service; a refusal shows the review again with
    the form and its errors (400), success goes back to the review."""

    action = "change"
    http_method_names = ["post"]
    form_key: str = ""

    def get_form(self) -> Any:
        return forms.DuplicateReviewNoteForm(self.request.POST, prefix=self.form_key)

    def perform(self, review: DuplicateReview, data: dict[str, Any]) -> str:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        review = self.get_object(pk=pk)
        form = self.get_form()
        if form.is_valid():
            try:
                message = self.perform(review, form.cleaned_data)
            except ValidationError as exc:
                add_validation_error(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, message)
                return HttpResponseRedirect(review.get_absolute_url())
        review.refresh_from_db()
        for error in form.non_field_errors():
            messages.error(request, str(error))
        context = {
            **self.model_context(),
            "object": review,
            **duplicate_review_context(request, review, bound={self.form_key: form}),
        }
        return render(request, DuplicateReviewDetailView.template_name, context, status=400)


@duplicate_review_pages.register("merge", route="<int:pk>/merge/")
class DuplicateReviewMergeView(_DuplicateReviewActionView):
    form_key = "merge"

    def get_form(self) -> Any:
        return forms.DuplicateReviewMergeForm(self.request.POST)

    def perform(self, review: DuplicateReview, data: dict[str, Any]) -> str:
        review = services.duplicate_review_merge(
            actor=self.request.user, review=review, keep=data["keep"], note=data["note"]
        )
        return _("The two records were merged into “%(kept)s” (#%(pk)s).") % {
            "kept": review.kept,
            "pk": review.kept_id,
        }


@duplicate_review_pages.register("link", route="<int:pk>/link/")
class DuplicateReviewLinkView(_DuplicateReviewActionView):
    form_key = "link"

    def perform(self, review: DuplicateReview, data: dict[str, Any]) -> str:
        services.duplicate_review_link(actor=self.request.user, review=review, note=data["note"])
        return _("Recorded: the same person, both records kept.")


@duplicate_review_pages.register("dismiss", route="<int:pk>/dismiss/")
class DuplicateReviewDismissView(_DuplicateReviewActionView):
    form_key = "dismiss"

    def perform(self, review: DuplicateReview, data: dict[str, Any]) -> str:
        services.duplicate_review_dismiss(actor=self.request.user, review=review, note=data["note"])
        return _("Recorded: not the same person.")


# --- the personal-data access log -------------------------------------------------------------


# Written by the services whenever protected personal data is seen in full or exported (issue
# 10, "Auditing"); read here by the auditors, the bureaus and the station managers, each over
# their jurisdiction, filtered and exported like any list. Nobody adds, changes or deletes a
# line.
identity_view_pages = model_pages(
    IdentityView,
    prefix="access-log/",
    queryset=selectors.identity_view_list,
    filterset=filtersets.IdentityViewFilterSet,
    table=tables.IdentityViewTable,
    template="recipients/identityview.html",
    actions=("list", "detail", "history"),
)


@identity_view_pages.register("detail")
class IdentityViewDetailView(generic.ObjectDetailView):
    template_name = "recipients/identityview.html"

    def get_extra_context(self, obj: IdentityView) -> dict[str, Any]:
        row = tables.IdentityViewTable([obj], user=self.request.user)
        hidden = row._hidden_minor(obj)
        return {
            "whose": row.value_whose(obj),
            "whose_url": obj.recipient.get_absolute_url()
            if obj.recipient is not None and not hidden
            else "",
            "station": row.value_station(obj),
            "by": row.value_user(obj),
        }
