"""A report's kept analysis is kept in parts, and a page reads only the parts it shows: the report page
its index and major incidents, a drill-down its measure and the clocks of the tickets on its page. The
measures' tickets found with the report are the kernel's ``report_details``, and the analysis read back
in parts is the one computed."""

from dataclasses import replace

import pytest
from django.urls import reverse

from servicepact.desk import actions
from servicepact.sla.report import report_details
from servicepact.slm import views_reports
from servicepact.slm.models import ReportKind
from servicepact.slm.reporting import analysis as analysis_module
from servicepact.slm.reporting import drilldown as drilldown_module
from servicepact.slm.reporting.generation import ReportRequest, compute_report, generate_report
from servicepact.slm.reporting.scopes import scoped_events
from servicepact.slm.tests.report_world import WEEK, _ticket, play_week, utc


@pytest.fixture
def weekly_report(world):
    play_week(world)
    return generate_report(ReportRequest(world.contract, ReportKind.WEEKLY, WEEK))


@pytest.fixture
def parts_read(monkeypatch) -> list[str]:
    read = []
    load = analysis_module._load

    def recording(path):
        read.append(path.rsplit("/", 1)[1].removesuffix(".pickle.z"))
        return load(path)

    monkeypatch.setattr(analysis_module, "_load", recording)
    return read


@pytest.mark.django_db
def test_the_report_page_reads_the_index_and_the_major_incidents_only(client, world, weekly_report, parts_read):
    client.force_login(world.people["customer-manager"])
    page = client.get(reverse("slm:report", args=[weekly_report.pk])).content.decode()
    assert 'id="major-incidents"' in page and "sso trouble at Wed 09:00" in page
    assert sorted(parts_read) == ["index", "major-incidents"]


@pytest.mark.django_db
def test_a_drill_down_reads_its_measure_and_the_clocks_of_its_page_only(
    client, world, weekly_report, parts_read, monkeypatch
):
    monkeypatch.setattr(analysis_module, "CLOCKS_PER_PART", 1)
    analysis_module.keep_analysis(weekly_report)  # one ticket's clocks per part
    parts_read.clear()
    monkeypatch.setattr(drilldown_module, "PAGE_SIZE", 2)
    client.force_login(world.people["customer-manager"])
    url = reverse("slm:report_drilldown", args=[weekly_report.pk, "resolution-compliance"])
    page = client.get(url).content.decode()
    measures = analysis_module._KeptAnalysis.open(weekly_report).index["measures"]
    own = f"measure-{measures.index('resolution-compliance')}"
    assert page.count("data-hit=") == 2 and "page 1 of 2" in page
    clocks = [name for name in parts_read if name.startswith("clocks-")]
    assert sorted(set(parts_read) - set(clocks)) == ["index", own] and len(clocks) == 2


@pytest.mark.django_db
def test_the_kept_analysis_is_the_computed_one_and_its_details_the_kernels(world, weekly_report):
    request = ReportRequest(world.contract, ReportKind.WEEKLY, WEEK)
    computed = compute_report(request, details=True)
    inputs = computed.inputs
    events = scoped_events(weekly_report.scope, weekly_report.scope_key, inputs.events)
    kernel = report_details(inputs.terms, events, inputs.period, pins=inputs.pins, scores=inputs.scores)
    assert computed.details == kernel

    computed_analysis, tickets = analysis_module.compute_analysis(weekly_report, inputs, computed.details)
    kept = analysis_module._KeptAnalysis.open(weekly_report)
    read = kept.analysis()
    assert dict(read.details) == computed_analysis.details == kernel
    # the contract's clocks, without the warnings still due (no page shows them)
    assert dict(read.clocks) == {
        ticket: {
            name: replace(clock, warnings_due=[])
            for name, clock in clocks.items()
            if name in analysis_module.CONTRACT_CLOCKS
        }
        for ticket, clocks in computed_analysis.clocks.items()
    }
    assert list(read.major_incidents) == computed_analysis.major_incidents and len(read.major_incidents) == 1
    assert read.figures_match and computed_analysis.figures_match
    for by in analysis_module.CONTRIBUTORS:
        assert read.contributors(by) == computed_analysis.contributors(by) != []
    assert set(kept.tickets()) == set(tickets) and read.detail_tickets() <= set(tickets)


@pytest.mark.django_db
def test_the_report_page_lists_its_major_incidents_a_page_at_a_time(client, world, monkeypatch):
    play_week(world)
    second = _ticket(world, "sso", utc(2026, 3, 6, 9, 0), urgency="high")
    actions.resolve_ticket(second, actor=world.people["agent"], resolution="Restarted.", at=utc(2026, 3, 6, 10, 0))
    report = generate_report(ReportRequest(world.contract, ReportKind.WEEKLY, WEEK))
    monkeypatch.setattr(views_reports, "INCIDENTS_PAGE_SIZE", 1)
    client.force_login(world.people["customer-manager"])
    url = reverse("slm:report", args=[report.pk])

    first = client.get(url).content.decode()
    assert "sso trouble at Wed 09:00" in first and "sso trouble at Fri 09:00" not in first
    assert 'id="incidents-count">2 major incidents · showing 1–1' in first and 'id="incidents-pager"' in first
    later = client.get(url, {"incidents": "2"}).content.decode()
    assert "sso trouble at Fri 09:00" in later and "sso trouble at Wed 09:00" not in later
