"""Pages of the partners, the resource catalogue and the referrals (issue 13). A referral's
page records the partner's answer and the service's course (accept, decline, start, complete,
withdraw), each a POST through services.py that comes back with the outcome as a message.
Reads go through selectors.py, writes through services.py."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from swstation.core import views as generic
from swstation.core.permissions import user_can
from swstation.core.views.registry import model_pages
from swstation.linkage import filtersets, forms, selectors, services, tables
from swstation.linkage.models import Partner, Referral, ReferralStatus, Resource

# --- partners ----------------------------------------------------------------------------------

partner_pages = model_pages(
    Partner,
    prefix="",
    queryset=selectors.partner_list,
    filterset=filtersets.PartnerFilterSet,
    table=tables.PartnerTable,
    form=forms.PartnerForm,
    create=services.partner_create,
    update=services.partner_update,
    template="linkage/partner.html",
)


@partner_pages.register("detail")
class PartnerDetailView(generic.ObjectDetailView):
    template_name = "linkage/partner.html"

    def get_extra_context(self, obj: Partner) -> dict[str, Any]:
        user = self.request.user
        resources = selectors.partner_resources(actor=user, partner=obj)
        referrals = selectors.partner_referrals(actor=user, partner=obj)
        return {
            "resources": list(resources[:50]),
            "resource_count": resources.count(),
            "referrals": list(referrals[:20]),
            "referral_count": referrals.count(),
            "serves": list(obj.serves.order_by("code")),
            "today": timezone.localdate(),
            "can_add_resource": user_can(user, "add", Resource),
            "can_refer": user_can(user, "add", Referral),
        }


@partner_pages.register("delete")
class PartnerDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: Partner) -> None:
        services.partner_delete(actor=self.request.user, partner=obj)


# --- resources (the catalogue) -------------------------------------------------------------------

resource_pages = model_pages(
    Resource,
    prefix="resources/",
    queryset=selectors.resource_list,
    filterset=filtersets.ResourceFilterSet,
    table=tables.ResourceTable,
    form=forms.ResourceForm,
    create=services.resource_create,
    update=services.resource_update,
    template="linkage/resource.html",
)


@resource_pages.register("detail")
class ResourceDetailView(generic.ObjectDetailView):
    template_name = "linkage/resource.html"

    def get_extra_context(self, obj: Resource) -> dict[str, Any]:
        user = self.request.user
        referrals = selectors.referral_list(actor=user).filter(resource=obj)
        return {
            "valid_today": obj.is_valid_on(timezone.localdate()),
            "referral_count": referrals.count(),
            "can_refer": user_can(user, "add", Referral),
        }


# --- referrals ---------------------------------------------------------------------------------

referral_pages = model_pages(
    Referral,
    prefix="referrals/",
    queryset=selectors.referral_list,
    filterset=filtersets.ReferralFilterSet,
    table=tables.ReferralTable,
    form=forms.ReferralForm,
    create=services.referral_create,
    update=services.referral_update,
    template="linkage/referral.html",
)


@referral_pages.register("detail")
class ReferralDetailView(generic.ObjectDetailView):
    template_name = "linkage/referral.html"

    def get_extra_context(self, obj: Referral) -> dict[str, Any]:
        roles = self.permissions_context()
        may_act = roles["can_change"]
        status = obj.status
        return {
            "may_act": may_act,
            "overdue": obj.is_overdue(timezone.localdate()),
            "accept_form": forms.ReferralAcceptForm() if status == ReferralStatus.SENT else None,
            "decline_form": forms.ReferralDeclineForm() if status == ReferralStatus.SENT else None,
            "start_form": forms.ReferralStartForm() if status == ReferralStatus.ACCEPTED else None,
            "complete_form": forms.ReferralCompleteForm()
            if status in (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS)
            else None,
            "withdraw_form": forms.ReferralWithdrawForm()
            if status in (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS)
            else None,
        }


@referral_pages.register("delete")
class ReferralDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: Referral) -> None:
        services.referral_delete(actor=self.request.user, referral=obj)


@referral_pages.register("accept", route="<int:pk>/accept/")
class ReferralAcceptView(generic.TransitionView):
    form_class = forms.ReferralAcceptForm

    def perform(self, obj: Referral, data: dict[str, Any]) -> str:
        services.referral_accept(
            actor=self.request.user, referral=obj, answered_on=data.get("answered_on")
        )
        return _("The partner's acceptance is recorded.")


@referral_pages.register("decline", route="<int:pk>/decline/")
class ReferralDeclineView(generic.TransitionView):
    form_class = forms.ReferralDeclineForm

    def perform(self, obj: Referral, data: dict[str, Any]) -> str:
        services.referral_decline(
            actor=self.request.user,
            referral=obj,
            reason=data["reason"],
            answered_on=data.get("answered_on"),
        )
        return _("The partner's refusal is recorded.")


@referral_pages.register("start", route="<int:pk>/start/")
class ReferralStartView(generic.TransitionView):
    form_class = forms.ReferralStartForm

    def perform(self, obj: Referral, data: dict[str, Any]) -> str:
        services.referral_start(
            actor=self.request.user, referral=obj, started_on=data.get("started_on")
        )
        return _("The service is recorded as started.")


@referral_pages.register("complete", route="<int:pk>/complete/")
class ReferralCompleteView(generic.TransitionView):
    form_class = forms.ReferralCompleteForm

    def perform(self, obj: Referral, data: dict[str, Any]) -> str:
        services.referral_complete(
            actor=self.request.user,
            referral=obj,
            outcome=data["outcome"],
            feedback=data["feedback"],
            completed_on=data.get("completed_on"),
        )
        return _("The referral is completed.")


@referral_pages.register("withdraw", route="<int:pk>/withdraw/")
class ReferralWithdrawView(generic.TransitionView):
    form_class = forms.ReferralWithdrawForm

    def perform(self, obj: Referral, data: dict[str, Any]) -> str:
        services.referral_withdraw(
            actor=self.request.user,
            referral=obj,
            reason=data["reason"],
            withdrawn_on=data.get("withdrawn_on"),
        )
        return _("The referral is withdrawn.")
