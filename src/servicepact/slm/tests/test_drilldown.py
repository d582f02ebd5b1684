"""The drill-down lists a measure's tickets a page at a time, with their count, hits or misses, or all."""

import re

import pytest
from django.urls import reverse

from servicepact.slm.models import ReportKind
from servicepact.slm.reporting import drilldown as drilldown_module
from servicepact.slm.reporting.analysis import PeriodAnalysis
from servicepact.slm.reporting.drilldown import PAGE_SIZE, drilldown
from servicepact.slm.reporting.generation import ReportRequest, generate_report
from servicepact.slm.tests.report_world import WEEK, play_week

COUNTED = [f"INC{number:07d}" for number in range(1, 251)]


def month_analysis() -> PeriodAnalysis:
    """250 counted tickets, every fifth a miss, and 130 excluded by one rule."""
    return PeriodAnalysis(
        details={
            "resolution-compliance": {
                "measure": "resolution_met_ratio",
                "value": "0.8",
                "numerator": 200,
                "denominator": 250,
                "denominator_tickets": COUNTED,
                "numerator_tickets": [number for index, number in enumerate(COUNTED) if index % 5],
                "excluded": {"category=hardware-onsite": [f"INC{number:07d}" for number in range(300, 430)]},
            }
        }
    )


def test_the_first_page_shows_a_page_of_tickets_and_counts_all():
    asked = []
    page = drilldown(
        month_analysis(),
        "resolution-compliance",
        titles_of=lambda numbers: asked.append(set(numbers)) or {n: f"title {n}" for n in numbers},
    )
    assert (page.counted, page.hits, page.misses, page.listed) == (250, 200, 50, 250)
    assert [row["ticket"] for row in page.rows] == COUNTED[:PAGE_SIZE]
    assert page.rows[0]["title"] == "title INC0000001" and page.rows[0]["hit"] is False
    assert page.page.paginator.num_pages == 3
    assert page.excluded[0].count == 130 and len(page.excluded[0].tickets) == PAGE_SIZE
    # Titles are looked up for the shown tickets only, in one call.
    assert len(asked) == 1 and len(asked[0]) == 2 * PAGE_SIZE


def test_the_last_page_misses_only_and_all_at_once():
    last = drilldown(month_analysis(), "resolution-compliance", page_number=3)
    assert [row["ticket"] for row in last.rows] == COUNTED[200:]
    misses = drilldown(month_analysis(), "resolution-compliance", shown="denominator")
    assert misses.listed == 50 and not any(row["hit"] for row in misses.rows)
    hits = drilldown(month_analysis(), "resolution-compliance", shown="numerator", page_number=2)
    assert hits.listed == 200 and all(row["hit"] for row in hits.rows) and len(hits.rows) == PAGE_SIZE
    everything = drilldown(month_analysis(), "resolution-compliance", show_all=True)
    assert len(everything.rows) == 250 and len(everything.excluded[0].tickets) == 130
    assert everything.page.paginator.num_pages == 1


@pytest.mark.parametrize("page_number", ["0", "-1", "nine", "99"])
def test_a_page_out_of_range_or_unreadable_shows_a_page_that_exists(page_number):
    page = drilldown(month_analysis(), "resolution-compliance", page_number=page_number)
    assert page.page.number in (1, 3) and page.rows


def test_an_unknown_filter_lists_everything_and_an_unknown_measure_is_named():
    assert drilldown(month_analysis(), "resolution-compliance", shown="bogus").listed == 250
    with pytest.raises(KeyError, match="no-such-measure"):
        drilldown(month_analysis(), "no-such-measure")


@pytest.fixture
def weekly_report(world):
    play_week(world)
    return generate_report(ReportRequest(world.contract, ReportKind.WEEKLY, WEEK))


@pytest.mark.django_db
def test_the_page_counts_and_pages_the_tickets_and_the_workbook_keeps_them_all(
    client, world, weekly_report, monkeypatch
):
    monkeypatch.setattr(drilldown_module, "PAGE_SIZE", 2)
    client.force_login(world.people["customer-manager"])
    url = reverse("slm:report_drilldown", args=[weekly_report.pk, "resolution-compliance"])

    first = client.get(url).content.decode()
    assert re.search(r'id="drill-count">4 tickets · showing 1–2', first)
    assert first.count("data-hit=") == 2 and 'rel="next"' in first and "page 1 of 2" in first
    second = client.get(url, {"page": "2"}).content.decode()
    assert second.count("data-hit=") == 2 and 'rel="prev"' in second
    assert len(set(re.findall(r'data-ticket="(\w+)"', first)) | set(re.findall(r'data-ticket="(\w+)"', second))) == 4

    everything = client.get(url, {"all": "1"}).content.decode()
    assert everything.count("data-hit=") == 4 and "Show by pages" in everything
    misses = client.get(url, {"shown": "denominator"}).content.decode()
    assert misses.count('data-hit="no"') == 1 and 'data-hit="yes"' not in misses
    assert 'id="drill-pager"' not in misses  # one ticket: one page
    hits = client.get(url, {"shown": "numerator"}).content.decode()
    assert 'href="?shown=numerator&amp;all=1"' in hits  # the filter is kept when showing all

    workbook = client.get(reverse("slm:report_xlsx", args=[weekly_report.pk]))
    assert workbook.status_code == 200 and reverse("slm:report_xlsx", args=[weekly_report.pk]) in first


@pytest.mark.django_db
def test_the_page_reads_in_chinese_clock_states_and_names_too(client, world, weekly_report):
    manager = world.people["customer-manager"]
    manager.language = "zh-hans"
    manager.save(update_fields=["language"])
    client.force_login(manager)
    page = client.get(
        reverse("slm:report_drilldown", args=[weekly_report.pk, "resolution-compliance"])
    ).content.decode()
    assert "计入的工单" in page and "4 个工单" in page and "计时: 解决" in page
    assert ">已达标</span>" in page and ">已违约</span>" in page and ">met<" not in page
