"""Generic pages for every model: list (filters, table, export), detail, add/edit, delete, history.

A model gets its pages by declaring a few classes (NetBox's ``generic.ObjectListView`` is the
model). Every queryset starts from :meth:`ScopedQuerySet.visible_to`; every write runs in one
transaction and is re-checked with :func:`ensure_visible` before it commits.
"""

import dataclasses
import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from rest_framework.permissions import SAFE_METHODS

from swstation.core.actors import Actor
from swstation.core.display import object_fields
from swstation.core.export import EXPORT_FORMATS
from swstation.core.forms import VERSION_FIELD
from swstation.core.history import history_entries
from swstation.core.imports import import_url_for
from swstation.core.integrity import integrity_validation_error
from swstation.core.permissions import Action, user_can
from swstation.core.scoping import (
    ensure_visible,
    ensure_writable,
    get_object_for_user,
    lock_row,
    restrict,
)
from swstation.core.views.exports import export_list
from swstation.core.views.pager import list_count, paginate_table

PER_PAGE_CHOICES = (25, 50, 100, 250)

# The pages a model may offer (core.views.registry): "edit" is the add and the edit page.
PAGE_ACTIONS = ("list", "detail", "edit", "delete", "history")


def restricting(scoped_queryset: Any) -> Any:
    """A view's ``scoped_queryset`` whose result is narrowed to the user's jurisdiction."""

    @functools.wraps(scoped_queryset)
    def restricted(self: ModelPermissionMixin) -> QuerySet[Any]:
        return restrict(scoped_queryset(self), self.request.user)

    restricted._scoped = True  # type: ignore[attr-defined]
    return restricted


class ModelPermissionMixin(LoginRequiredMixin):
    """Logged in, and the role may do ``action`` on ``model``; otherwise a 403 page.

    Scoping cannot be forgotten: whatever ``scoped_queryset`` a subclass or mixin returns is
    narrowed to the user's jurisdiction; a request that writes runs in one transaction, and its
    object is locked and looked up again inside it, in the user's *write* scope for a change or
    a delete (a record shared downward is read from below, never changed there).
    """

    model: type[Any]
    action: ClassVar[Action] = "view"
    # The model's pages that exist (core.views.registry sets them from the declaration): a
    # button leads only to one of them, whatever else the role may do.
    page_actions: ClassVar[tuple[str, ...]] = PAGE_ACTIONS
    request: HttpRequest

    _SEALED: ClassVar[tuple[str, ...]] = ("get_object",)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in cls._SEALED:
            if name in cls.__dict__:
                raise TypeError(
                    f"{cls.__name__} may not override {name}: scoping lives there "
                    "(use check_object for a further rule)"
                )
        if not getattr(cls.scoped_queryset, "_scoped", False):
            cls.scoped_queryset = restricting(cls.scoped_queryset)  # type: ignore[method-assign]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and not user_can(request.user, self.action, self.model):
            raise PermissionDenied(_("Your role may not do this."))
        if request.method in SAFE_METHODS:
            return super().dispatch(request, *args, **kwargs)
        # All or nothing: an error answer rolls back whatever the request wrote.
        with transaction.atomic():
            response = super().dispatch(request, *args, **kwargs)
            if response.status_code >= 400:
                transaction.set_rollback(True)
        return response

    def scoped_queryset(self) -> QuerySet[Any]:
        """The records the user may see; apps override this to call their selector (the
        result is narrowed to the user's jurisdiction whatever it is)."""
        manager: Any = self.model._default_manager
        return manager.all()

    def get_object(self, **kwargs: Any) -> Any:
        if self.request.method not in SAFE_METHODS:
            # Writes of one record take turns, and each reads what the previous one wrote.
            lock_row(self.model, kwargs["pk"])
        obj = get_object_for_user(self.scoped_queryset(), self.request.user, pk=kwargs["pk"])
        if self.action in ("change", "delete"):
            ensure_writable(self.request.user, obj)
        self.check_object(obj)
        return obj

    def check_object(self, obj: Any) -> None:
        """A further rule on the record before the page shows or changes it (raise to refuse)."""

    def url_name(self, suffix: str = "") -> str:
        meta = self.model._meta
        return f"{meta.app_label}:{meta.model_name}{suffix}"

    def permissions_context(self) -> dict[str, bool]:
        user, pages = self.request.user, self.page_actions
        return {
            "can_add": "edit" in pages and user_can(user, "add", self.model),
            "can_change": "edit" in pages and user_can(user, "change", self.model),
            "can_delete": "delete" in pages and user_can(user, "delete", self.model),
            "can_history": "history" in pages and user_can(user, "history", self.model),
        }

    def model_context(self) -> dict[str, Any]:
        meta = self.model._meta
        return {
            "model_meta": meta,
            "verbose_name": meta.verbose_name,
            "verbose_name_plural": meta.verbose_name_plural,
            "list_url": reverse(self.url_name("_list")),
            "add_url_name": self.url_name("_add"),
            "url_prefix": self.url_name(),
            **self.permissions_context(),
        }


class ObjectListView(ModelPermissionMixin, View):
    filterset_class: ClassVar[Any]
    table_class: ClassVar[Any]
    template_name = "core/object_list.html"

    def filtered_table(self, request: HttpRequest) -> tuple[Any, Any]:
        """The filter set of ``request``'s query over the scoped queryset, and the whole table
        it gives (sorted, not paginated): what the page shows a page of, and what an export,
        in the request or in the background (core.export_jobs), writes."""
        filterset = self.filterset_class(
            request.GET, queryset=self.scoped_queryset(), request=request
        )
        queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        table = self.table_class(queryset, user=request.user, order_by=request.GET.get("sort"))
        return filterset, table

    def get(self, request: HttpRequest) -> HttpResponseBase:
        filterset, table = self.filtered_table(request)

        export_format = request.GET.get("export")
        if export_format in EXPORT_FORMATS:
            return export_list(request, self.model, table, export_format)

        per_page = _per_page(request)
        pager = paginate_table(request, table, per_page)  # keyset pages, capped count
        context = {
            **self.model_context(),
            "table": table,
            "filterset": filterset,
            "applied_filters": getattr(filterset, "applied_filters", list)(),
            "per_page": per_page,
            "per_page_choices": PER_PAGE_CHOICES,
            "result_count": list_count(table, pager),
            "export_formats": EXPORT_FORMATS,
            "import_url": import_url_for(request.user, self.model),
        }
        if getattr(request, "htmx", False) and not request.htmx.boosted:  # type: ignore[attr-defined]
            return render(request, "core/inc/object_table.html", context)
        return render(request, self.template_name, context)


def _per_page(request: HttpRequest) -> int:
    try:
        value = int(request.GET.get("per_page", PER_PAGE_CHOICES[0]))
    except ValueError:
        return PER_PAGE_CHOICES[0]
    return value if value in PER_PAGE_CHOICES else PER_PAGE_CHOICES[0]


class ObjectDetailView(ModelPermissionMixin, View):
    template_name: ClassVar[str]

    def get_extra_context(self, obj: Any) -> dict[str, Any]:
        return {}

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        obj = self.get_object(**kwargs)
        context = {
            **self.model_context(),
            "object": obj,
            # Called only by a template that shows the default field list.
            "detail_fields": functools.partial(object_fields, obj, request.user),
            **self.get_extra_context(obj),
        }
        return render(request, self.template_name, context)


def record_keyword(update: Callable[..., Any]) -> str:
    """The keyword an update service takes its record by: the first keyword-only parameter
    after ``actor`` (``station_update(*, actor, station, **changes)`` → ``"station"``)."""
    keywords = [
        parameter.name
        for parameter in inspect.signature(update).parameters.values()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY
    ]
    if "actor" not in keywords or len(keywords) < 2:
        raise TypeError(
            f"{getattr(update, '__name__', update)}: an update service takes "
            "(*, actor, <record>, **changes)"
        )
    return next(name for name in keywords if name != "actor")


@dataclass(frozen=True)
class EditServices:
    """The two services an edit page writes through, so that the page and the API keep the
    same rules: ``create(*, actor, **data)`` for a new record and ``update(*, actor, <record>,
    **data)`` for an existing one (``<record>`` found by :func:`record_keyword`)."""

    create: Callable[..., Any]
    update: Callable[..., Any]
    keyword: str = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "keyword", record_keyword(self.update))

    def save(self, instance: Any, *, actor: Actor, data: dict[str, Any]) -> Any:
        if not instance.pk:
            return self.create(actor=actor, **data)
        if self.keyword in data:
            raise TypeError(f"{self.update.__name__} takes the record as {self.keyword!r}, a field")
        return self.update(actor=actor, **{self.keyword: instance}, **data)


class ObjectEditView(ModelPermissionMixin, View):
    """Create (no pk in the URL) or edit a record; the form's save runs scoped and atomically.

    With ``edit_services`` (``model_pages(..., create=..., update=...)``) the record is written
    by those services with :meth:`service_data`; without, by the form's own ``save()``."""

    form_class: ClassVar[Any]
    edit_services: ClassVar[EditServices | None] = None
    template_name = "core/object_edit.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self.action = "change" if "pk" in kwargs else "add"  # type: ignore[misc]
        return super().dispatch(request, *args, **kwargs)

    def get_form(
        self, obj: Any | None, data: Any = None, files: Any = None, initial: Any = None
    ) -> BaseForm:
        return self.form_class(
            data=data, files=files, initial=initial, instance=obj, user=self.request.user
        )

    def service_data(self, form: Any) -> dict[str, Any]:
        """What the create or update service is given: the cleaned values of the form's model
        fields (a page whose form collects more overrides this)."""
        names = form._meta.fields or list(form.fields)
        return {
            name: form.cleaned_data[name]
            for name in names
            if name in form.fields and name != VERSION_FIELD
        }

    def save_form(self, form: Any) -> Any:
        """Write the record: through the declared services, or the form's ``save()``."""
        if self.edit_services is None:
            return form.save()
        return self.edit_services.save(
            form.instance, actor=self.request.user, data=self.service_data(form)
        )

    def render_form(self, form: BaseForm, obj: Any | None) -> HttpResponse:
        context = {**self.model_context(), "form": form, "object": obj}
        return render(self.request, self.template_name, context)

    def get_initial(self) -> dict[str, Any]:
        """The add form's initial values: an add form opened with
        ``?recipient=12&service_type=health_visit`` (from a due list, a person's page...)
        starts with those choices — initial values, not a bound form, so that no error shows
        before anything is typed. A page with defaults of its own adds them here."""
        return self.request.GET.dict()

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        obj = self.get_object(**kwargs) if "pk" in kwargs else None
        initial = self.get_initial() if obj is None else None
        return self.render_form(self.get_form(obj, initial=initial), obj)

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        obj = self.get_object(**kwargs) if "pk" in kwargs else None
        form = self.get_form(obj, data=request.POST, files=request.FILES)
        if not form.is_valid():
            return self.render_form(form, obj)
        try:
            with transaction.atomic():
                saved = self.save_form(form)
                ensure_visible(request.user, saved)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return self.render_form(form, obj)
        except ValidationError as exc:
            add_validation_error(form, exc)
            return self.render_form(form, obj)
        except IntegrityError as exc:  # a value taken meanwhile by a request sent together
            add_validation_error(form, integrity_validation_error(exc))
            return self.render_form(form, obj)
        messages.success(
            request,
            _("%(model)s “%(object)s” saved.")
            % {"model": self.model._meta.verbose_name, "object": saved},
        )
        return HttpResponseRedirect(saved.get_absolute_url())


def add_validation_error(form: BaseForm, error: ValidationError) -> None:
    """Attach a service's ValidationError to the form: to its field when the form has it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        if field in form.fields:
            form.add_error(field, errors)
            continue
        label = _field_label(form, field)
        messages_ = [message for e in errors for message in e.messages]
        form.add_error(None, [f"{label}: {m}" if label else m for m in messages_])


def _field_label(form: BaseForm, name: str) -> str:
    """The label of a field the form does not show, as a person reads it; "" when the record
    has no such field (a rule's own key, such as "goals": its message says it all)."""
    instance = getattr(form, "instance", None)
    if instance is None or name == NON_FIELD_ERRORS:
        return ""
    try:
        field = instance._meta.get_field(name)
    except FieldDoesNotExist:
        return ""
    label = getattr(field, "verbose_name", None)
    if label is None and field.related_model is not None:  # a reverse relation
        label = field.related_model._meta.verbose_name_plural
    return str(label) if label else ""


class ObjectDeleteView(ModelPermissionMixin, View):
    action = "delete"
    template_name = "core/object_delete.html"

    def delete_object(self, obj: Any) -> None:
        obj.delete()

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        obj = self.get_object(**kwargs)
        return render(request, self.template_name, {**self.model_context(), "object": obj})

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        obj = self.get_object(**kwargs)
        label = str(obj)
        try:
            with transaction.atomic():
                self.delete_object(obj)
        except ProtectedError:
            messages.error(
                request,
                _("“%(object)s” cannot be deleted: other records depend on it.")
                % {"object": label},
            )
            return HttpResponseRedirect(obj.get_absolute_url())
        except ValidationError as exc:  # a service's rule, e.g. "only a draft can be deleted"
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(obj.get_absolute_url())
        messages.success(request, _("“%(object)s” deleted.") % {"object": label})
        return HttpResponseRedirect(reverse(self.url_name("_list")))


class ObjectHistoryView(ModelPermissionMixin, View):
    action = "history"
    template_name = "core/object_history.html"
    per_page = 50

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        obj = self.get_object(**kwargs)
        entries = history_entries(obj, request.user)
        page = Paginator(entries, self.per_page).get_page(request.GET.get("page"))
        return render(
            request, self.template_name, {**self.model_context(), "object": obj, "page": page}
        )


def labelled_errors(
    error: ValidationError, form: BaseForm, labels: dict[str, Any] | None = None
) -> list[str]:
    """A service's refusal as sentences, each field's named by its label: the form's, or one of
    ``labels`` for a field the form does not show (the record's ``status``...)."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    lines = []
    for name, errors in error.error_dict.items():
        field = form.fields.get(name)
        label = (labels or {}).get(name) or (field.label if field is not None else "")
        prefix = f"{label}: " if label else ""
        lines += [f"{prefix}{message}" for e in errors for message in e.messages]
    return lines


class TransitionView(ModelPermissionMixin, View):
    """A POST that moves one record through a service (a step of its life cycle), then back to
    its page with the outcome as a message: done, or why not, naming the field (a step that no
    longer applies because someone moved the record on meanwhile, a missing reason, a role
    that does not decide). Subclasses give ``form_class`` and :meth:`perform`."""

    action: ClassVar[Action] = "change"
    http_method_names = ["post"]
    form_class: ClassVar[type[BaseForm]]
    # Labels of the fields a service may name that the form does not show.
    field_labels: ClassVar[dict[str, Any]] = {}

    def perform(self, obj: Any, data: dict[str, Any]) -> str:
        """Run the service; the success message."""
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk=pk)
        form = self.form_class(request.POST)
        if not form.is_valid():
            for name, errors in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                messages.error(request, f"{label}: {' '.join(str(e) for e in errors)}")
            return HttpResponseRedirect(obj.get_absolute_url())
        try:
            message = self.perform(obj, form.cleaned_data)
        except ValidationError as exc:  # StateConflict included
            labels = {"status": _("status"), **self.field_labels}
            messages.error(request, " ".join(labelled_errors(exc, form, labels)))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, message)
        return HttpResponseRedirect(obj.get_absolute_url())
