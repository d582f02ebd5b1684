"""Deleting one's own saved view of a queue: a page that asks first, then the deletion."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from servicepact.desk.actions import saved_views
from servicepact.desk.models import SavedView
from servicepact.permissions.declared import person_view, works_tickets
from servicepact.refusals import ActionRefused


def _own_view(request: HttpRequest) -> SavedView:
    number = request.POST.get("view") or request.GET.get("view") or ""
    view = SavedView.objects.visible_to(request.user).filter(pk=int(number)).first() if number.isdigit() else None
    if view is None:
        raise Http404(_("You have no such saved view."))
    return view


@person_view(works_tickets, methods=("GET", "HEAD", "POST"))
def delete_view(request: HttpRequest, key: str) -> HttpResponse:
    """GET asks whether to delete the view (``?view=<id>``, one of the person's own); POST deletes it."""
    view = _own_view(request)
    if request.method != "POST":
        return render(request, "desk/delete_view.html", {"view": view, "key": key})
    try:
        saved_views.delete_view(actor=request.user, name=view.name)
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The view %(name)s was deleted.") % {"name": view.name})
    return redirect("desk:queue", key)
