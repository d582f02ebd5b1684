"""The organization's employee directory: its sources, their last synchronizations, a dry run or a run now."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicepact.accounts.directory import synchronize
from servicepact.accounts.models import DirectorySource, DirectorySync
from servicepact.permissions.administration import administers_organization
from servicepact.permissions.declared import person_view

RECENT_SYNCS = 20


class SyncForm(forms.Form):
    source = forms.ModelChoiceField(label=gettext_lazy("Directory"), queryset=None)
    dry_run = forms.BooleanField(
        label=gettext_lazy("Dry run: report what would change, change nothing"), required=False, initial=True
    )

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources
        if sources.count() == 1:
            self.fields["source"].initial = sources.first()


@person_view(administers_organization, methods=("GET", "HEAD", "POST"))
def directory(request: HttpRequest) -> HttpResponse:
    sources = DirectorySource.objects.visible_to(request.user)
    form = SyncForm(request.POST or None, sources=sources)
    if request.method == "POST" and form.is_valid():
        run = synchronize(form.cleaned_data["source"], dry_run=form.cleaned_data["dry_run"], requested_by=request.user)
        if run.error:
            messages.error(request, _("The directory could not be read: %(error)s") % {"error": run.error})
        elif run.dry_run:
            messages.success(request, _("Dry run done: nothing was changed."))
        else:
            messages.success(request, _("The directory is synchronized."))
        return redirect("organization:directory")
    syncs = DirectorySync.objects.visible_to(request.user).select_related("source", "requested_by")[:RECENT_SYNCS]
    return render(
        request,
        "accounts/organization/directory.html",
        {"form": form, "sources": sources, "syncs": syncs, "section": "directory"},
        status=422 if form.errors else 200,
    )
