"""Pages of the indicator sets (issue 15): the versions, a version's page with its tree
(dimension → indicators with points, rule, evidence, automatic or by hand) and the city
bureau's buttons "copy as a new version" and "publish"; the dimensions and indicators of a
draft. Reads go through selectors.py, writes through services.py."""

import json
from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views import View

from swstation.core import views as generic
from swstation.core.permissions import Action, user_can
from swstation.core.views.generic import ModelPermissionMixin
from swstation.core.views.registry import model_pages
from swstation.evaluation import filtersets, forms, selectors, services, tables
from swstation.evaluation.models import Dimension, Indicator, IndicatorSet, SetStatus
from swstation.evaluation.rules import rule_summary

# --- versions --------------------------------------------------------------------------------

indicator_set_pages = model_pages(
    IndicatorSet,
    prefix="",  # /evaluation/, /evaluation/<pk>/, /evaluation/add/ ...
    queryset=selectors.indicator_set_list,
    filterset=filtersets.IndicatorSetFilterSet,
    table=tables.IndicatorSetTable,
    form=forms.IndicatorSetForm,
    create=services.indicator_set_create,
    update=services.indicator_set_update,
)


@indicator_set_pages.register("detail")
class IndicatorSetDetailView(generic.ObjectDetailView):
    template_name = "evaluation/indicatorset.html"

    def get_extra_context(self, obj: IndicatorSet) -> dict[str, Any]:
        user = self.request.user
        actions = selectors.indicator_set_actions(actor=user, indicator_set=obj)
        roles = self.permissions_context()
        draft = obj.status == SetStatus.DRAFT
        return {
            "tree": selectors.indicator_set_tree(obj),
            "actions": actions,
            "publish_errors": services.indicator_set_publish_errors(obj) if actions.publish else [],
            "can_add_dimension": actions.edit_tree and user_can(user, "add", Dimension),
            "can_add_indicator": actions.edit_tree and user_can(user, "add", Indicator),
            # A published version is a record: never edited nor deleted.
            "can_change": roles["can_change"] and draft,
            "can_delete": roles["can_delete"] and draft,
        }


@indicator_set_pages.register("delete")
class IndicatorSetDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: IndicatorSet) -> None:
        services.indicator_set_delete(actor=self.request.user, indicator_set=obj)


class _SetActionView(ModelPermissionMixin, View):
    """A POST button of a version's page: the service, then back to a version's page with the
    outcome as a message (done, or why not)."""

    action: ClassVar[Action] = "change"
    http_method_names = ["post"]

    def perform(self, indicator_set: IndicatorSet) -> tuple[IndicatorSet, str]:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        indicator_set = self.get_object(pk=pk)
        try:
            shown, message = self.perform(indicator_set)
        except ValidationError as exc:  # StateConflict included: published meanwhile
            for line in exc.messages:
                messages.error(request, line)
            return HttpResponseRedirect(indicator_set.get_absolute_url())
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(indicator_set.get_absolute_url())
        messages.success(request, message)
        return HttpResponseRedirect(shown.get_absolute_url())


@indicator_set_pages.register("copy", route="<int:pk>/copy/")
class IndicatorSetCopyView(_SetActionView):
    action = "add"

    def perform(self, indicator_set: IndicatorSet) -> tuple[IndicatorSet, str]:
        copy = services.indicator_set_copy(actor=self.request.user, source=indicator_set)
        return copy, _("Copied as %(copy)s, a draft to edit and publish.") % {"copy": copy}


@indicator_set_pages.register("publish", route="<int:pk>/publish/")
class IndicatorSetPublishView(_SetActionView):
    def perform(self, indicator_set: IndicatorSet) -> tuple[IndicatorSet, str]:
        published = services.indicator_set_publish(
            actor=self.request.user, indicator_set=indicator_set
        )
        return published, _("%(set)s is published: it will not change any more.") % {
            "set": published
        }


# --- dimensions and indicators of a draft ------------------------------------------------------


def _frozen_context(view: ModelPermissionMixin, draft: bool) -> dict[str, bool]:
    """The detail page of a published version's part offers no Edit nor Delete."""
    roles = view.permissions_context()
    return {
        "can_change": roles["can_change"] and draft,
        "can_delete": roles["can_delete"] and draft,
    }


dimension_pages = model_pages(
    Dimension,
    prefix="dimensions/",
    queryset=selectors.dimension_list,
    filterset=filtersets.DimensionFilterSet,
    table=tables.DimensionTable,
    form=forms.DimensionForm,
    create=services.dimension_create,
    update=services.dimension_update,
)


@dimension_pages.register("detail")
class DimensionDetailView(generic.ObjectDetailView):
    template_name = "core/object_detail.html"

    def get_extra_context(self, obj: Dimension) -> dict[str, Any]:
        return _frozen_context(self, obj.indicator_set.status == SetStatus.DRAFT)


@dimension_pages.register("delete")
class DimensionDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: Dimension) -> None:
        services.dimension_delete(actor=self.request.user, dimension=obj)


indicator_pages = model_pages(
    Indicator,
    prefix="indicators/",
    queryset=selectors.indicator_list,
    filterset=filtersets.IndicatorFilterSet,
    table=tables.IndicatorTable,
    form=forms.IndicatorForm,
    create=services.indicator_create,
    update=services.indicator_update,
)


@indicator_pages.register("detail")
class IndicatorDetailView(generic.ObjectDetailView):
    template_name = "evaluation/indicator.html"

    def get_extra_context(self, obj: Indicator) -> dict[str, Any]:
        return {
            "rule": rule_summary(obj.rule_type, obj.rule_params),
            "rule_params": json.dumps(obj.rule_params, ensure_ascii=False, indent=1),
            **_frozen_context(self, obj.dimension.indicator_set.status == SetStatus.DRAFT),
        }


@indicator_pages.register("delete")
class IndicatorDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: Indicator) -> None:
        services.indicator_delete(actor=self.request.user, indicator=obj)
