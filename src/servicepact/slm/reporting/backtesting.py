"""The backtest page: a draft contract (pasted or uploaded) against the signed versions, month by month,
on the contract's whole recorded history or on the tickets of one import of another tool's history (a
prospect's export, say), with the kernel's ``run_backtest``.

Problems of the draft come back as the kernel words them, ``draft.yaml:LINE:COL: message``; recorded events
the draft cannot read (a service it dropped, say) as ``events:TICKET: message``.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from servicepact.contracts.models import Contract
from servicepact.desk.eventlog import kernel_event_log
from servicepact.desk.models import Ticket
from servicepact.imports.models import ImportRun
from servicepact.sla.backtest import run_backtest
from servicepact.sla.contract import load_contract
from servicepact.sla.contract_errors import ContractError
from servicepact.sla.contract_model import Contract as KernelContract
from servicepact.sla.events import Event, EventLogError
from servicepact.sla.periods import PeriodError, month_range
from servicepact.sla.versions import ContractVersions, VersionError
from servicepact.slm.reporting.sources import kernel_versions, signed_versions

DRAFT_NAME = "draft.yaml"
MONTH = re.compile(r"\d{4}-\d{2}")
# A draft's text is a contract, not a data set; anything larger is a mistake.
MAX_DRAFT_BYTES = 256 * 1024
MAX_MONTHS = 24
MAX_PROBLEMS = 50


class BacktestForm(forms.Form):
    draft = forms.CharField(
        label=_("Draft contract (YAML)"),
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
        required=False,
    )
    upload = forms.FileField(label=_("or upload a YAML file"), required=False)
    first = forms.RegexField(
        regex=MONTH,
        label=_("First month"),
        help_text=_("Like 2026-01."),
        error_messages={"invalid": _("Give a month like 2026-01.")},
    )
    last = forms.RegexField(
        regex=MONTH,
        label=_("Last month"),
        help_text=_("Like 2026-06."),
        error_messages={"invalid": _("Give a month like 2026-06.")},
    )
    history = forms.TypedChoiceField(
        label=_("History"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Every ticket of the contract, or those of one import."),
    )

    def __init__(self, *args, imports=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["history"].choices = [("", _("every recorded ticket"))] + [
            (
                run.pk,
                _("import %(number)d: %(file)s, %(count)d tickets")
                % {"number": run.pk, "file": run.file_name, "count": run.imported + run.skipped},
            )
            for run in imports
        ]

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload is not None and upload.size > MAX_DRAFT_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d KiB.") % {"limit": MAX_DRAFT_BYTES // 1024}
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("draft", "").strip() and not cleaned.get("upload"):
            self.add_error("draft", _("Paste the draft contract or upload its file."))
        return cleaned

    def draft_text(self) -> str:
        upload = self.cleaned_data.get("upload")
        if upload is not None:
            return upload.read().decode("utf-8", errors="replace")
        return self.cleaned_data["draft"]


@dataclass
class BacktestOutcome:
    result: dict[str, Any] | None = None
    problems: list[str] = field(default_factory=list)


def history_tickets(contract: Contract, run: ImportRun | None = None):
    """The tickets a backtest reads: the contract's, or those imported from one import's file (by that run,
    or by an earlier run of the same file, whose tickets it skipped as there already)."""
    tickets = Ticket.objects.filter(contract=contract)
    if run is None:
        return tickets
    return tickets.filter(import_source__system=run.system, import_source__run__file_sha256=run.file_sha256)


def run_draft_backtest(
    contract: Contract, draft_text: str, first: str, last: str, history: ImportRun | None = None
) -> BacktestOutcome:
    """The kernel's backtest of ``draft_text`` against the signed versions (each ticket under the version it
    follows, each month under the version in force on its last day, as the stored reports), on the
    contract's tickets or those of ``history``, or the problems found."""
    try:
        draft = load_contract(draft_text, DRAFT_NAME)
    except ContractError as error:
        return BacktestOutcome(problems=[str(d) for d in error.diagnostics if d.severity == "error"][:MAX_PROBLEMS])
    versions = signed_versions(contract)
    if not versions:
        return BacktestOutcome(problems=[str(_("The contract has no signed version to compare with."))])
    baseline = kernel_versions(versions)
    try:
        months = month_range(first, last, baseline.latest.reporting_timezone)
    except PeriodError as error:
        return BacktestOutcome(problems=[str(error)])
    if len(months) > MAX_MONTHS:
        return BacktestOutcome(
            problems=[str(_("Backtest at most %(count)d months at a time.") % {"count": MAX_MONTHS})]
        )
    try:
        events = kernel_event_log(history_tickets(contract, history), baseline.vocabulary)
    except EventLogError as error:
        return BacktestOutcome(problems=error.messages[:MAX_PROBLEMS])
    problems = unreadable_events(events, draft)  # the draft must be able to read every recorded event
    if problems:
        return BacktestOutcome(problems=problems[:MAX_PROBLEMS])
    try:
        result = run_backtest(ContractVersions.of([draft], [draft_text.encode()]), baseline, events, months)
    except EventLogError as error:
        return BacktestOutcome(problems=error.messages[:MAX_PROBLEMS])
    except VersionError as error:
        return BacktestOutcome(problems=[str(error)])
    return BacktestOutcome(result=result)


def unreadable_events(events_by_ticket: Mapping[str, Sequence[Event]], draft: KernelContract) -> list[str]:
    """Events naming a priority or service the draft does not know, as ``events:TICKET: message``."""
    priorities, services = set(draft.priorities), set(draft.services)
    problems = []
    for ticket, events in events_by_ticket.items():
        for event in events:
            if event.type == "corrected" and "service" in event.data and event.data["service"] not in services:
                problems.append(
                    f"events:{ticket}: service {event.data['service']!r} is not one of the draft's: "
                    f"{', '.join(draft.services)}"
                )
            if event.type not in ("created", "priority"):
                continue
            if event.data["priority"] not in priorities:
                problems.append(
                    f"events:{ticket}: priority {event.data['priority']!r} is not one of the draft's: "
                    f"{', '.join(draft.priorities)}"
                )
            if event.type == "created" and event.data["service"] not in services:
                problems.append(
                    f"events:{ticket}: service {event.data['service']!r} is not one of the draft's: "
                    f"{', '.join(draft.services)}"
                )
    return problems
