"""The backtest page's work: a draft contract (pasted or uploaded) against the signed versions, month by
month, on the contract's whole recorded history or on the tickets of one import of another tool's history
(a prospect's export, say), with the kernel's ``run_backtest``.

The page checks the draft and the months at once (``check_draft``: nothing is started when they are
wrong) and leaves the work to the worker (``execute_run``), which records its progress on the run: the
tickets read, then the months compared, one kernel backtest a month; the months' results joined are the
kernel's backtest of the whole range. ``run_draft_backtest`` does the same at once, for the command and
the tests.

Problems of the draft come back as the kernel words them, ``draft.yaml:LINE:COL: message``; recorded events
the draft cannot read (a service it dropped, say) as ``events:TICKET: message``.
"""

import hashlib
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from servicepact.contracts.models import Contract, ContractVersion
from servicepact.contracts.models.version import in_force_among
from servicepact.desk.eventlog import kernel_event_log
from servicepact.desk.models import Ticket
from servicepact.imports.models import ImportedTicket, ImportRun
from servicepact.sla.backtest import run_backtest
from servicepact.sla.contract import load_contract
from servicepact.sla.contract_diff import diff_contracts
from servicepact.sla.contract_errors import ContractError
from servicepact.sla.contract_model import Contract as KernelContract
from servicepact.sla.events import Event, EventLogError
from servicepact.sla.periods import Period, PeriodError, month_range
from servicepact.sla.versions import ContractVersions, VersionError
from servicepact.slm.models import BacktestRun, WorkStatus
from servicepact.slm.reporting.sources import kernel_versions, signed_versions

logger = logging.getLogger(__name__)

DRAFT_NAME = "draft.yaml"
MONTH = re.compile(r"\d{4}-\d{2}")
# A draft's text is a contract, not a data set; anything larger is a mistake.
MAX_DRAFT_BYTES = 256 * 1024
MAX_MONTHS = 24
MAX_PROBLEMS = 50
# Tickets read between two progress records.
READ_CHUNK = 2000


class BacktestForm(forms.Form):
    draft = forms.CharField(
        label=_("Draft contract (YAML)"),
        widget=forms.Textarea(
            attrs={"rows": 24, "spellcheck": "false", "autocomplete": "off", "wrap": "off", "class": "source"}
        ),
        required=False,
        strip=False,
        help_text=_("It starts as the version in force; change what the draft changes."),
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

    def clean_draft(self) -> str:
        # Browsers send a textarea's lines ending in CR LF; the kernel reads the text as it is written.
        return self.cleaned_data["draft"].replace("\r\n", "\n")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("draft", "").strip() and not cleaned.get("upload"):
            self.add_error("draft", _("Paste the draft contract or upload its file."))
        return cleaned

    def draft_text(self) -> str:
        upload = self.cleaned_data.get("upload")
        if upload is not None:
            upload.seek(0)
            return upload.read().decode("utf-8", errors="replace")
        return self.cleaned_data["draft"]


@dataclass
class BacktestOutcome:
    result: dict[str, Any] | None = None
    problems: list[str] = field(default_factory=list)


@dataclass
class CheckedDraft:
    """A draft that is a contract, with what a backtest of it reads: the signed versions as the kernel's
    baseline, the version in force it is compared with clause by clause, and the months."""

    text: str
    draft: KernelContract
    versions: list[ContractVersion]
    baseline: ContractVersions
    in_force: ContractVersion
    months: list[Period]

    @property
    def draft_side(self) -> ContractVersions:
        return ContractVersions.of([self.draft], [self.text.encode()])

    def changes(self) -> list[dict[str, Any]]:
        return [change.as_json() for change in diff_contracts(self.in_force.kernel(), self.draft)]


class DraftRefused(Exception):
    """The draft or the months cannot be backtested: ``problems`` says why, each naming its place."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems[:MAX_PROBLEMS]


def version_in_force(contract: Contract, versions: list[ContractVersion] | None = None) -> ContractVersion | None:
    """The signed version in force today, or the latest signed one when none is (a contract that ended)."""
    versions = signed_versions(contract) if versions is None else versions
    return in_force_among(versions, timezone.now()) or (versions[-1] if versions else None)


def check_draft(contract: Contract, draft_text: str, first: str, last: str) -> CheckedDraft:
    """The draft and the months, checked as the kernel reads them; raises DraftRefused."""
    try:
        draft = load_contract(draft_text, DRAFT_NAME)
    except ContractError as error:
        raise DraftRefused([str(d) for d in error.diagnostics if d.severity == "error"]) from None
    versions = signed_versions(contract)
    if not versions:
        raise DraftRefused([gettext("The contract has no signed version to compare with.")])
    baseline = kernel_versions(versions)
    try:
        months = month_range(first, last, baseline.latest.reporting_timezone)
    except PeriodError as error:
        raise DraftRefused([str(error)]) from None
    if len(months) > MAX_MONTHS:
        raise DraftRefused([gettext("Backtest at most %(count)d months at a time.") % {"count": MAX_MONTHS}])
    return CheckedDraft(draft_text, draft, versions, baseline, version_in_force(contract, versions), months)


def history_tickets(contract: Contract, run: ImportRun | None = None) -> QuerySet[Ticket]:
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
    contract's tickets or those of ``history``, or the problems found; here and now, in one kernel call."""
    try:
        checked = check_draft(contract, draft_text, first, last)
        events = kernel_event_log(history_tickets(contract, history), checked.baseline.vocabulary)
        refuse_unreadable(events, checked.draft)
        result = run_backtest(checked.draft_side, checked.baseline, events, checked.months)
    except DraftRefused as refused:
        return BacktestOutcome(problems=refused.problems)
    except EventLogError as error:
        return BacktestOutcome(problems=error.messages[:MAX_PROBLEMS])
    except VersionError as error:
        return BacktestOutcome(problems=[str(error)])
    return BacktestOutcome(result=result)


def refuse_unreadable(events: Mapping[str, Sequence[Event]], draft: KernelContract) -> None:
    problems = unreadable_events(events, draft)  # the draft must be able to read every recorded event
    if problems:
        raise DraftRefused(problems)


def start_run(
    contract: Contract, *, actor, draft_text: str, first: str, last: str, history: ImportRun | None = None
) -> BacktestRun:
    """Record a backtest of a checked draft for the worker (raises DraftRefused, nothing recorded, when the
    draft or the months are wrong); the caller enqueues it once the run is committed."""
    checked = check_draft(contract, draft_text, first, last)
    return BacktestRun.objects.create(
        contract=contract,
        started_by=actor,
        draft=draft_text,
        draft_sha256=hashlib.sha256(draft_text.encode()).hexdigest(),
        in_force=checked.in_force,
        changes=checked.changes(),
        first=first,
        last=last,
        history=history,
        months_total=len(checked.months),
        created_at=timezone.now(),
    )


def execute_run(run: BacktestRun) -> None:
    """The worker's part: read the history in chunks, then compare month by month, recording progress;
    the result, or the problems, end the run. A finished run is left as it is (safe to run twice)."""
    if run.finished:
        return
    run.status, run.started_at = WorkStatus.RUNNING, timezone.now()
    run.tickets_done = run.months_done = 0
    run.save(update_fields=["status", "started_at", "tickets_done", "months_done"])
    try:
        checked = check_draft(run.contract, run.draft, run.first, run.last)
        events = read_history(run, checked)
        refuse_unreadable(events, checked.draft)
        result = compare_months(run, checked, events)
    except DraftRefused as refused:
        finish(run, problems=refused.problems)
    except EventLogError as error:
        finish(run, problems=error.messages[:MAX_PROBLEMS])
    except VersionError as error:
        finish(run, problems=[str(error)])
    except Exception:
        logger.exception("backtest %s failed", run.pk)
        finish(run, problems=[gettext("The backtest failed unexpectedly; the worker's log says why.")])
        raise
    else:
        run.verdicts = source_verdicts(run, result)
        finish(run, result=result)


def read_history(run: BacktestRun, checked: CheckedDraft) -> dict[str, list[Event]]:
    """The history's events per ticket, read ``READ_CHUNK`` tickets at a time (each chunk a range of
    ticket ids, in the order ``kernel_event_log`` reads the whole history)."""
    tickets = history_tickets(run.contract, run.history)
    ids = list(tickets.order_by("pk").values_list("pk", flat=True))
    run.tickets_total = len(ids)
    run.save(update_fields=["tickets_total"])
    events: dict[str, list[Event]] = {}
    for start in range(0, len(ids), READ_CHUNK):
        chunk = ids[start : start + READ_CHUNK]
        part = tickets.filter(pk__gte=chunk[0], pk__lte=chunk[-1])
        events.update(kernel_event_log(part, checked.baseline.vocabulary))
        run.tickets_done += len(chunk)
        run.save(update_fields=["tickets_done"])
    return events


def compare_months(run: BacktestRun, checked: CheckedDraft, events: dict[str, list[Event]]) -> dict[str, Any]:
    """The kernel's backtest month by month, joined into the backtest of the whole range."""
    result: dict[str, Any] | None = None
    draft_side = checked.draft_side
    for month in checked.months:
        result = join(result, run_backtest(draft_side, checked.baseline, events, [month]))
        run.months_done += 1
        run.save(update_fields=["months_done"])
    assert result is not None  # check_draft gives at least one month
    return result


def join(whole: dict[str, Any] | None, month: dict[str, Any]) -> dict[str, Any]:
    """Two backtests of consecutive months of the same history as one (what ``run_backtest`` gives for
    both months at once): the months one after the other, the totals added."""
    if whole is None:
        return month
    totals, more = whole["totals"], month["totals"]
    return {
        **whole,
        "to": month["to"],
        "months": whole["months"] + month["months"],
        "totals": {
            "flips_to_breached": totals["flips_to_breached"] + more["flips_to_breached"],
            "flips_to_met": totals["flips_to_met"] + more["flips_to_met"],
            "baseline_credit_amount": str(
                Decimal(totals["baseline_credit_amount"]) + Decimal(more["baseline_credit_amount"])
            ),
            "draft_credit_amount": str(Decimal(totals["draft_credit_amount"]) + Decimal(more["draft_credit_amount"])),
        },
    }


def finish(run: BacktestRun, *, result: dict[str, Any] | None = None, problems: Sequence[str] = ()) -> None:
    run.result, run.problems = result, list(problems)
    run.status = WorkStatus.FAILED if problems else WorkStatus.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["result", "problems", "verdicts", "status", "finished_at"])


def source_verdicts(run: BacktestRun, result: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The source tool's own verdicts (ticket number -> clock -> met or breached) of the tickets whose
    clocks flip, where they were imported with some."""
    flipped = sorted({flip["ticket"] for month in result["months"] for flip in month["flips"]})
    found: dict[str, dict[str, str]] = {}
    imported = ImportedTicket.objects.filter(contract=run.contract)
    for start in range(0, len(flipped), READ_CHUNK):
        rows = imported.filter(ticket__number__in=flipped[start : start + READ_CHUNK])
        found.update(
            (number, verdicts) for number, verdicts in rows.values_list("ticket__number", "verdicts") if verdicts
        )
    return found


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
