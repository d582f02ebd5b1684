"""Webhook pages, for an organization's administrators only: its endpoints, and each one's delivery log.

Each page declares its permission beside it (``permissions.webhooks``); another organization's endpoint is
not found. The secret is shown on the endpoint's page, to verify signatures with (docs/webhooks.md).
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from servicepact.permissions.declared import object_view, person_view
from servicepact.permissions.webhooks import administers_webhooks, can_manage_endpoint
from servicepact.refusals import ActionRefused
from servicepact.webhooks import actions
from servicepact.webhooks.forms import EndpointForm
from servicepact.webhooks.models import Delivery, Endpoint

LOG_SIZE = 100


def add_refusal(form, refusal: ActionRefused) -> None:
    for field, problems in refusal.errors.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)


def find_endpoint(request: HttpRequest, endpoint_id: int) -> Endpoint:
    return get_object_or_404(Endpoint.objects.visible_to(request.user), pk=endpoint_id)


endpoint_view = object_view(find_endpoint, "endpoint_id")


@person_view(administers_webhooks, methods=("GET", "HEAD", "POST"))
def endpoint_list(request: HttpRequest) -> HttpResponse:
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("active")
        try:
            endpoint = actions.create_endpoint(actor=request.user, **data)
        except ActionRefused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("The webhook is added; its secret is below."))
            return redirect(endpoint.get_absolute_url())
    endpoints = Endpoint.objects.visible_to(request.user).order_by("name")
    return render(
        request, "webhooks/list.html", {"endpoints": endpoints, "form": form}, status=422 if form.errors else 200
    )


@endpoint_view(can_manage_endpoint, methods=("GET", "HEAD", "POST"))
def endpoint_detail(request: HttpRequest, endpoint: Endpoint) -> HttpResponse:
    initial = {"name": endpoint.name, "url": endpoint.url, "events": endpoint.events, "active": endpoint.active}
    form = EndpointForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action == "ping":
                actions.send_ping(endpoint, actor=request.user)
                messages.success(request, _("A ping is on its way."))
                return redirect(endpoint.get_absolute_url())
            if action == "rotate":
                actions.rotate_secret(endpoint, actor=request.user)
                messages.success(request, _("The endpoint has a new secret."))
                return redirect(endpoint.get_absolute_url())
            if form.is_valid():
                actions.update_endpoint(endpoint, actor=request.user, **form.cleaned_data)
                messages.success(request, _("The webhook is saved."))
                return redirect(endpoint.get_absolute_url())
        except ActionRefused as refusal:
            add_refusal(form, refusal)
    deliveries = Delivery.objects.visible_to(request.user).filter(endpoint=endpoint)[:LOG_SIZE]
    return render(
        request,
        "webhooks/endpoint.html",
        {"endpoint": endpoint, "form": form, "deliveries": deliveries},
        status=422 if form.errors else 200,
    )
