"""``servicepact demo``: the outsourcing scenario and months of ticket history, for trying the service."""

import time
from datetime import UTC, datetime, timedelta
from datetime import time as day_time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from servicepact.demo import cast
from servicepact.demo.billing import bill_history
from servicepact.demo.changes import record_changes
from servicepact.demo.identity import prepare_identity_and_mail
from servicepact.demo.outages import record_outages
from servicepact.demo.problems import record_problems
from servicepact.demo.reports import store_history_reports
from servicepact.demo.requests import make_requests
from servicepact.demo.satisfaction import answer_surveys, relationship_and_knowledge
from servicepact.demo.scenario import has_data, load_scenario, reference_terms
from servicepact.demo.shifts import plan_shifts
from servicepact.demo.simulator import Simulator, history_start

MAX_MONTHS = 24
BAD_INPUT = 2  # the exit code of every servicepact command for input it cannot use


def month_count(raw: str) -> int:
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 4):
        raise CommandError(f"--months {raw!r} is not a whole number from 0 to {MAX_MONTHS}", returncode=BAD_INPUT)
    value = int(raw)
    if not 0 <= value <= MAX_MONTHS:
        raise CommandError(f"--months {value} is outside 0-{MAX_MONTHS}", returncode=BAD_INPUT)
    return value


class Command(BaseCommand):
    help = "Load the demonstration: Globex, Northwind, their contract, and months of ticket history up to now."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing (and succeed) when the database already holds data."
        )
        parser.add_argument("--months", default="6", help="Months of ticket history, 0-24 (default: %(default)s).")
        parser.add_argument("--seed", type=int, default=2026, help="Seed of the history (default: %(default)s).")

    def handle(self, *, if_empty: bool, months: str, seed: int, **options) -> None:
        months_wanted = month_count(months)
        if has_data():
            if if_empty:
                self.stdout.write("demo: the database already holds data; nothing loaded.")
                return
            raise CommandError(
                "the database already holds data; the demo loads only into an empty database "
                "(use --if-empty to skip quietly, or point SERVICEPACT_DATA_DIR at a new directory)",
                returncode=BAD_INPUT,
            )
        began = time.monotonic()
        end = timezone.now().replace(second=0, microsecond=0)
        with transaction.atomic():
            terms = reference_terms()
            effective = datetime.combine(terms.effective_from, day_time(0), tzinfo=UTC)
            start = max(history_start(end, months_wanted, terms.reporting_timezone), effective)
            clamped = start == effective
            # Signed two weeks before it took effect, as contracts are.
            scenario = load_scenario(signed_at=effective - timedelta(days=14))
            result = Simulator(scenario, seed=seed, start=start, end=end, progress=self._progress).run()
        if clamped:
            self.stdout.write(f"demo: history starts {start:%Y-%m-%d}, the contract's first effective day.")
        self.stdout.write(
            f"demo: loaded {result.tickets} tickets ({result.steps} actions) from {start:%Y-%m-%d} to "
            f"{end:%Y-%m-%d %H:%M} UTC in {time.monotonic() - began:.0f}s, seed {seed}."
        )
        self.stdout.flush()
        answered = answer_surveys(scenario, end, seed=seed)
        self.stdout.write(record_outages(scenario, start, end, seed=seed).summary)
        reports = store_history_reports(scenario.version, start, end)
        periods = ", ".join(f"{count} {kind}" for kind, count in reports.periods.items())
        self.stdout.write(
            f"demo: stored {reports.generated} reports of the history's periods ({periods}) in "
            f"{reports.seconds:.0f}s"
            + (f"; {reports.failed} could not be computed (see the log)" if reports.failed else ".")
        )
        billed = bill_history(scenario, start, end, seed=seed)
        self.stdout.write(
            f"demo: logged {billed.entries} time entries, approved {billed.weeks} weeks and issued "
            f"{billed.invoices} invoices net of their credits."
        )
        self.stdout.write(record_problems(scenario, end).summary)
        self.stdout.write(record_changes(scenario, end).summary)
        self.stdout.write(make_requests(scenario, end).summary)
        self.stdout.write(plan_shifts(scenario, end).summary)
        self.stdout.write(prepare_identity_and_mail(scenario))
        satisfaction = relationship_and_knowledge(scenario, start, end, seed=seed)
        satisfaction.answered = answered.answered
        self.stdout.write(satisfaction.summary)
        self._print_people()

    def _progress(self, month: str, tickets: int) -> None:
        self.stdout.write(f"demo: playing {month} ({tickets} tickets so far)")
        self.stdout.flush()

    def _print_people(self) -> None:
        self.stdout.write(f"\nDemo people (password for all: {cast.PASSWORD}):")
        for person in cast.PEOPLE:
            team = f", {person.team}" if person.team else ""
            self.stdout.write(f"  {person.email:<30} {person.role}{team} ({person.timezone}, {person.language})")
