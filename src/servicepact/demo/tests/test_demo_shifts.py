"""The demo's shifts and on-call: rosters in Shanghai, India, Prague, Dallas and Berlin, follow-the-sun, a rotation and a
page that escalated at night to the team lead, who acknowledged it. (The demo command runs ``plan_shifts``.)"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from servicepact.demo.scenario import load_scenario
from servicepact.demo.shifts import plan_shifts
from servicepact.notify.models import Outbox
from servicepact.oncall.models import Page, PageNotice, PageStatus
from servicepact.rosters.models import RosterEntry, ShiftPattern, SunTeam
from servicepact.rosters.schedule import shifts_at

END = datetime(2026, 3, 31, 12, tzinfo=UTC)


def test_rosters_follow_the_sun_and_a_page_that_escalated_at_night(db):
    scenario = load_scenario(signed_at=datetime(2025, 12, 18, tzinfo=UTC))
    result = plan_shifts(scenario, END)
    assert ShiftPattern.objects.count() == 5 and RosterEntry.objects.count() == result.roster_entries > 0
    assert list(SunTeam.objects.values_list("team__slug", flat=True)) == ["app-support-cn", "app-support-in"]
    # Monday 30 March, 07:00Z: 15:00 in Shanghai (afternoon shift), 09:00 in Prague and Berlin.
    running = {shift.team.slug for shift in shifts_at(datetime(2026, 3, 30, 7, tzinfo=UTC))}
    assert running == {"app-support-cn", "northwind-desk", "globex-security"}
    # Monday 30 March, 14:00Z: 09:00 in Dallas (daylight time since 8 March), 19:30 in India, 16:00 in Prague.
    afternoon = {shift.team.slug for shift in shifts_at(datetime(2026, 3, 30, 14, tzinfo=UTC))}
    assert afternoon == {"app-support-in", "northwind-desk", "globex-security", "northwind-desk-us"}
    page = Page.objects.get()
    assert page.status == PageStatus.RESOLVED and page.acknowledged_by == scenario.people["team-lead"]
    paged = list(PageNotice.objects.filter(page=page, what="paged").values_list("step", "person__email"))
    assert [step for step, _ in paged] == [0, 1]
    assert page.created_at.astimezone(ZoneInfo("Asia/Kolkata")).hour == 2
    assert not Outbox.objects.exists()  # history, not news
    assert "page escalated at night" in result.summary
