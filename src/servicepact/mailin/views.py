"""Inbound mail as the provider's administrators see it: what each mail became, and the failed ones to retry."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicepact.mailin.actions import retry_message
from servicepact.mailin.models import InboundMessage, InboundStatus, Mailbox
from servicepact.permissions.administration import administers_organization
from servicepact.permissions.declared import object_view, person_view
from servicepact.permissions.mailin import can_retry_mail
from servicepact.refusals import ActionRefused

PAGE_SIZE = 100


class StatusFilter(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Any"))] + list(InboundStatus.choices),
    )


def find_message(request: HttpRequest, message_id: int) -> InboundMessage:
    return get_object_or_404(InboundMessage.objects.visible_to(request.user), pk=message_id)


message_view = object_view(find_message, "message_id")


@person_view(administers_organization)
def inbound(request: HttpRequest) -> HttpResponse:
    form = StatusFilter(request.GET or None)
    found = InboundMessage.objects.visible_to(request.user).select_related("mailbox", "ticket").defer("raw")
    if form.is_valid() and form.cleaned_data["status"]:
        found = found.filter(status=form.cleaned_data["status"])
    context = {
        "form": form,
        "inbound": found[:PAGE_SIZE],
        "mailboxes": Mailbox.objects.visible_to(request.user).select_related("contract"),
        "failed": InboundMessage.objects.visible_to(request.user).filter(status=InboundStatus.FAILED).count(),
        "section": "mail",
    }
    return render(request, "mailin/inbound.html", context)


@message_view(can_retry_mail)
def retry(request: HttpRequest, message: InboundMessage) -> HttpResponse:
    try:
        result = retry_message(message, actor=request.user)
    except ActionRefused as refusal:
        messages.error(request, refusal.message if hasattr(refusal, "message") else str(refusal))
    else:
        if result.status == InboundStatus.FAILED:
            messages.error(request, _("The mail failed again: %(error)s") % {"error": result.outcome})
        else:
            messages.success(request, _("The mail is read: %(outcome)s") % {"outcome": result.outcome})
    return redirect("mailin:inbound")
