"""The notices page: a person's notices, newest first; opening one marks it read and goes to its ticket."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from servicepact.notify import notices
from servicepact.notify.models import Notice
from servicepact.notify.templatetags.notices import notice_bell
from servicepact.permissions.declared import person_view, signed_in

PAGE_SIZE = 100


@person_view(signed_in)
def notice_list(request: HttpRequest) -> HttpResponse:
    own = Notice.objects.visible_to(request.user)
    context = {
        "notices": own.select_related("ticket")[:PAGE_SIZE],
        "unread": own.filter(read_at__isnull=True).exists(),
    }
    return render(request, "notify/notices.html", context)


@person_view(signed_in)
def bell(request: HttpRequest) -> HttpResponse:
    """The bell alone, for the header's HTMX refresh."""
    return render(request, "notify/bell.html", notice_bell({"request": request}))


@person_view(signed_in)
def open_notice(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = get_object_or_404(Notice.objects.visible_to(request.user).select_related("ticket"), pk=notice_id)
    notices.mark_read(actor=request.user, notice_ids=[notice.pk])
    return redirect(notice.ticket.get_absolute_url() if notice.ticket else reverse("notify:notices"))


@person_view(signed_in, methods=("POST",))
def mark_all_read(request: HttpRequest) -> HttpResponse:
    notices.mark_read(actor=request.user)
    return redirect("notify:notices")
