"""The demo's history gets the reports of all its periods, so the trend pages show more than two points."""

from datetime import UTC, datetime, timedelta

from servicepact.demo.reports import DAILY_DAYS, periods_inside, store_history_reports
from servicepact.desk import actions
from servicepact.slm.models import ReportDelivery, ReportKind, ReportScope, ReportSubscription, StoredReport
from servicepact.slm.reporting.trends import latest_reports, trends

# Wednesday 4 March 2026 (inside ISO week 2026-W10) to Tuesday 12 May 2026, 06:00 UTC.
HISTORY_START = datetime(2026, 3, 4, 8, 0, tzinfo=UTC)
HISTORY_END = datetime(2026, 5, 12, 6, 0, tzinfo=UTC)


def play_history(world) -> None:
    """A ticket every third day: answered, and solved by the desk within a day or routed and left open."""
    agent = world.people["agent"]
    at = HISTORY_START
    number = 0
    while at < HISTORY_END - timedelta(days=1):
        ticket = actions.create_ticket(
            actor=world.people["requester"],
            contract=world.contract,
            service=world.services["sap-erp"],
            title=f"Posting fails ({number})",
            impact="high",
            urgency="medium",
            at=at,
        )
        actions.reply(ticket, actor=agent, body="Looking into it.", at=at + timedelta(minutes=5 + number % 10))
        if number % 4 == 3:
            actions.route_ticket(ticket, actor=agent, at=at + timedelta(minutes=20))
        else:
            actions.resolve_ticket(
                ticket, actor=agent, resolution="Restarted the job.", at=at + timedelta(hours=2 + number % 30)
            )
        at += timedelta(days=3, hours=1)
        number += 1


def labels(contract, kind: str, scope: str = ReportScope.CONTRACT) -> list[str]:
    reports = StoredReport.objects.filter(contract=contract, kind=kind, scope=scope)
    return sorted(reports.values_list("period_label", flat=True))


def test_periods_inside_count_every_week_touched_and_only_whole_months_and_days(world):
    counts = periods_inside(world.version, HISTORY_START, HISTORY_END)
    # W10 (begun before the history, ended inside it) to W19, the last week ended by Tuesday 12 May.
    assert counts[ReportKind.WEEKLY] == 10
    # March began before the history; April is whole; May has not ended.
    assert counts[ReportKind.MONTHLY] == 1
    assert counts[ReportKind.DAILY] == DAILY_DAYS


def test_a_short_history_has_no_month_and_as_many_days_as_it_lasted(world):
    counts = periods_inside(world.version, HISTORY_END - timedelta(days=5), HISTORY_END)
    assert counts == {ReportKind.WEEKLY: 1, ReportKind.MONTHLY: 0, ReportKind.DAILY: 4}


def test_the_whole_history_is_reported_once_without_mail(world):
    ReportSubscription.objects.create(contract=world.contract, kind=ReportKind.WEEKLY, recipients=["cio@example.test"])
    play_history(world)

    result = store_history_reports(world.version, HISTORY_START, HISTORY_END)

    weeks = [f"2026-W{week:02d}" for week in range(10, 20)]
    # Every signed contract's history is reported: the world's other customer's contract too.
    assert result.failed == 0 and result.generated == StoredReport.objects.count()
    assert labels(world.contract, ReportKind.WEEKLY) == weeks
    assert set(labels(world.contract, ReportKind.WEEKLY, ReportScope.TEAM)) == set(
        weeks
    )  # the desk held a ticket every week
    assert labels(world.contract, ReportKind.MONTHLY) == ["2026-04"]
    days = labels(world.contract, ReportKind.DAILY, ReportScope.SERVICE)
    assert len(days) == DAILY_DAYS * 2  # both tier-1 services, sap-erp and sso
    assert min(days) == "2026-04-28" and max(days) == "2026-05-11"
    # History is not news: a subscriber of weekly reports is not sent ten of them.
    assert not ReportDelivery.objects.exists()
    # The trend page's charts have a point per week.
    history = latest_reports(world.contract, ReportKind.WEEKLY)
    assert [report.period_label for report in history] == weeks
    resolution = next(trend for trend in trends(history) if trend.id == "resolution-compliance")
    assert len(resolution.points) == 10 and sum(point.value is not None for point in resolution.points) >= 8

    again = store_history_reports(world.version, HISTORY_START, HISTORY_END)
    assert again.generated == 0 and StoredReport.objects.count() == result.generated
