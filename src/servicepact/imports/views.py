"""Import pages: the runs one may read, the upload form with its dry run, and one run with its progress.

Each page declares its permission beside it. The upload page is for the administrators of a contract's
customer or provider (``imports_somewhere``; the action checks ``can_import`` for the contract chosen); a
run is found among those the person sees (another tenant's is not found) and read by those who read the
contract's reports.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from servicepact.contracts.models import Contract
from servicepact.imports.actions import ImportRefused, check_import, start_import
from servicepact.imports.forms import ImportForm, uploaded_path
from servicepact.imports.models import ImportRun
from servicepact.imports.report import ImportReport
from servicepact.permissions import (
    can_import,
    can_read_import,
    imports_somewhere,
    reads_imports,
)
from servicepact.permissions.declared import object_view, person_view
from servicepact.refusals import ActionRefused

PAGE_SIZE = 50


def visible_run(request: HttpRequest, run_id: int) -> ImportRun:
    runs = ImportRun.objects.visible_to(request.user).select_related("contract", "started_by")
    return get_object_or_404(runs, pk=run_id)


run_view = object_view(visible_run, "run_id")
READ = ("GET", "HEAD")


@person_view(reads_imports)
def run_list(request: HttpRequest) -> HttpResponse:
    runs = (
        ImportRun.objects.visible_to(request.user)
        .select_related("contract", "started_by")
        .defer("mapping_text", "report")
    )
    return render(
        request,
        "imports/run_list.html",
        {
            "runs": runs[:PAGE_SIZE],
            "may_import": imports_somewhere(request.user),
        },
    )


def importable_contracts(request: HttpRequest):
    contracts = Contract.objects.visible_to(request.user).select_related("customer", "provider")
    allowed = [contract.pk for contract in contracts if can_import(request.user, contract)]
    return Contract.objects.visible_to(request.user).filter(pk__in=allowed).order_by("slug")


@person_view(imports_somewhere, methods=("GET", "HEAD", "POST"))
def new_import(request: HttpRequest) -> HttpResponse:
    """The upload form; a dry run shows its report under the form (which keeps the chosen file when the
    page posts through htmx), an import that passes its check goes on to the run's page."""
    form = ImportForm(request.POST or None, request.FILES or None, contracts=importable_contracts(request))
    report = refusal = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            upload = data["file"]
            try:
                with uploaded_path(upload) as path:
                    if data["dry_run"]:
                        report = check_import(
                            actor=request.user,
                            contract=data["contract"],
                            path=path,
                            mapping=form.mapping,
                            file_name=upload.name,
                            tool=data["tool"],
                        )
                    else:
                        run = start_import(
                            actor=request.user,
                            contract=data["contract"],
                            path=path,
                            mapping=form.mapping,
                            file_name=upload.name,
                            tool=data["tool"],
                        )
                        url = reverse("imports:run", args=[run.pk])
                        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
            except ImportRefused as refused:
                report, status = refused.report, 422
            except ActionRefused as refused:
                refusal, status = refused.message, refused.status
        else:
            status = 422
    context = {"form": form, "report": report, "refusal": refusal}
    template = "imports/partials/check.html" if request.htmx and request.method == "POST" else "imports/new.html"
    return render(request, template, context, status=status)


@run_view(can_read_import, methods=READ)
def run_detail(request: HttpRequest, run: ImportRun) -> HttpResponse:
    return render(request, "imports/run.html", run_context(request, run))


@run_view(can_read_import, methods=READ)
def run_progress(request: HttpRequest, run: ImportRun) -> HttpResponse:
    """The run's state, polled by its page while the worker imports."""
    return render(request, "imports/partials/run_state.html", run_context(request, run))


def run_context(request: HttpRequest, run: ImportRun) -> dict:
    report = ImportReport.from_json(run.report) if run.report else None
    return {
        "run": run,
        "report": report,
        "backtest_url": reverse("slm:backtest", args=[run.contract.slug]) + f"?history={run.pk}",
        "title": _("Import %(number)d") % {"number": run.pk},
    }
