"""A report hashes the canonical lines stored with the events: it must equal the kernel's report over a
fresh canonicalisation of the same log, digest included, for every scope, and a stored line that drifted
must show."""

import pytest
from django.db import connection

from servicepact.desk.models import TicketEvent
from servicepact.evidence import guard
from servicepact.sla.digest import digest_lines
from servicepact.sla.events import canonical_event_lines
from servicepact.sla.report import build_report
from servicepact.slm.models import ReportKind, ReportScope
from servicepact.slm.reporting.generation import ReportRequest, compute_report
from servicepact.slm.tests.report_world import WEEK, play_week


def kernel_report(computed):
    inputs = computed.inputs
    return build_report(
        inputs.terms,
        inputs.contract_files,
        computed.scoped_events,
        inputs.period,
        pins=inputs.pins,
        outages=inputs.outages,
        scores=inputs.scores,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("scope", "key"),
    [(ReportScope.CONTRACT, ""), (ReportScope.SERVICE, "sap-erp"), (ReportScope.TEAM, "app-support-cn")],
)
def test_the_report_from_stored_lines_is_the_kernels(world, scope, key):
    play_week(world, later_events=True)
    computed = compute_report(ReportRequest(world.contract, ReportKind.WEEKLY, WEEK, scope, key))
    assert computed.inputs.canonical is not None
    assert computed.report == kernel_report(computed)
    assert computed.scoped_log == b"".join(canonical_event_lines(computed.scoped_events))


@pytest.mark.django_db
def test_events_without_a_stored_line_are_canonicalised_when_read(world):
    play_week(world, later_events=True)
    with guard.maintenance("test: rows written in bulk without their lines"):
        with connection.cursor() as cursor:
            cursor.execute("UPDATE desk_ticketevent SET canonical = NULL WHERE id % 2 = 0")
    computed = compute_report(ReportRequest(world.contract, ReportKind.WEEKLY, WEEK))
    assert computed.report == kernel_report(computed)


@pytest.mark.django_db
def test_a_drifted_stored_line_changes_the_digest(world):
    play_week(world)
    request = ReportRequest(world.contract, ReportKind.WEEKLY, WEEK)
    event = TicketEvent.objects.filter(type="created").order_by("pk").first()
    with guard.maintenance("test: tamper with a stored line"):
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE desk_ticketevent SET canonical = %s WHERE id = %s",
                [bytes(event.canonical).replace(b'"created"', b'"creatdd"'), event.pk],
            )
    computed = compute_report(request)
    fresh = digest_lines(computed.inputs.contract_files, canonical_event_lines(computed.scoped_events))
    assert computed.report["digest"]["events_sha256"] != fresh["events_sha256"]
