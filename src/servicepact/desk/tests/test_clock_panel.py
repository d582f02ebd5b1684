"""The ticket page's clock panel: clocks computed now in the viewer's zone, explained stretch by stretch, the
priority-change rule in words, OLA clocks by team name; clock warnings in words in the timeline."""

import hashlib
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone as django_timezone

from servicepact.contracts.models import ContractVersion, VersionStatus
from servicepact.desk import actions
from servicepact.desk.views.clock_segments import SHOW_ALL_UP_TO, TAIL_LINES, segment_list, span_text
from servicepact.desk.views.clocks import clock_panel
from servicepact.desk.views.timeline import timeline
from servicepact.evidence import guard
from servicepact.slm.explain import ExplainedSegment
from servicepact.slm.sweep import sweep
from servicepact.slm.tests.conftest import open_ticket, version_with_olas, version_with_warnings

BERLIN = ZoneInfo("Europe/Berlin")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def stretch(kind: str, start: datetime, end: datetime, reason: str = "", label: str = "") -> ExplainedSegment:
    seconds = int((end - start).total_seconds())
    return ExplainedSegment(start, end, kind, reason, label or kind.title(), seconds, f"{seconds} s")


def version_with_rule(world, rule: str) -> ContractVersion:
    """Version 2 of the world's contract: the resolution clock with ``on_priority_change: <rule>``."""
    source = world.version.source.replace("version: 1\n", "version: 2\n", 1).replace(
        "    pause_on: [pending_customer]\n", f"    pause_on: [pending_customer]\n    on_priority_change: {rule}\n", 1
    )
    assert f"on_priority_change: {rule}" in source
    return ContractVersion.objects.create(
        contract=world.contract,
        number=2,
        source=source,
        sha256=hashlib.sha256(source.encode()).hexdigest(),
        effective_from=date(2026, 1, 1),
        effective_to=date(2027, 12, 31),
        status=VersionStatus.SIGNED,
    )


# -- stretches as lines ----------------------------------------------------------------------------------------


def test_spans_are_as_short_as_their_bounds_allow():
    monday = datetime(2026, 3, 2, tzinfo=BERLIN)
    assert span_text(monday.replace(hour=9), monday.replace(hour=12)) == "09:00–12:00"
    assert span_text(monday.replace(hour=18), monday + timedelta(days=1)) == "18:00–24:00"
    assert span_text(monday.replace(hour=18), (monday + timedelta(days=1)).replace(hour=8)) == "18:00 – Tue 3 Mar 08:00"
    assert span_text(monday, monday + timedelta(days=1)) == "all day"
    assert span_text(monday, monday + timedelta(days=3)) == "until Wed 4 Mar"


def test_touching_stretches_of_one_kind_are_one_line_and_days_are_named_once():
    day = datetime(2026, 3, 2, tzinfo=BERLIN)
    lines = segment_list(
        [
            stretch("running", day.replace(hour=8), day.replace(hour=10)),
            stretch("running", day.replace(hour=10), day.replace(hour=12)),  # the kernel cut it; people need not see it
            stretch(
                "paused", day.replace(hour=12), day.replace(hour=14), "pending_customer", "Paused (pending customer)"
            ),
            stretch("running", day.replace(hour=14), day.replace(hour=18)),
            stretch(
                "holiday", day + timedelta(days=1), day + timedelta(days=2), "Tag der Arbeit", "Holiday: Tag der Arbeit"
            ),
        ]
    )
    assert [(line.day, line.span, line.kind, line.label) for line in lines] == [
        ("Mon 2 Mar", "08:00–12:00", "running", "Running"),
        ("", "12:00–14:00", "paused", "Paused (pending customer)"),
        ("", "14:00–18:00", "running", "Running"),
        ("Tue 3 Mar", "all day", "holiday", "Holiday: Tag der Arbeit"),
    ]
    assert lines.head[0].duration == "4 h 00 min" and lines.head[0].counts and not lines.head[1].counts
    assert [(total.kind, total.seconds) for total in lines.totals] == [
        ("running", 8 * 3600),
        ("paused", 2 * 3600),
        ("holiday", 86400),
    ]


def test_a_long_life_shows_its_first_and_last_lines_and_folds_the_rest():
    start = datetime(2026, 3, 2, 8, tzinfo=BERLIN)
    segments = []
    for day in range(10):  # ten working days: counting by day, closed by night
        morning = start + timedelta(days=day)
        segments.append(stretch("running", morning, morning + timedelta(hours=10)))
        segments.append(stretch("outside_hours", morning + timedelta(hours=10), morning + timedelta(hours=24)))
    lines = segment_list(segments)
    assert lines.count == 20 > SHOW_ALL_UP_TO
    assert len(lines.head) + len(lines.tail) == 10 and len(lines.folded) == 10
    assert [line.start for line in lines] == [segment.start for segment in segments]
    # Each group names the day on its first line, so the tail reads on its own while the middle is folded.
    assert lines.folded[0].day and lines.tail[0].day
    assert lines.tail[-1].span == "18:00 – Thu 12 Mar 08:00" and len(lines.tail) == TAIL_LINES


def test_few_lines_are_all_shown():
    day = datetime(2026, 3, 2, 8, tzinfo=BERLIN)
    lines = segment_list([stretch("running", day, day + timedelta(hours=1))])
    assert (len(lines.head), lines.folded, lines.tail) == (1, [], [])


# -- the panel ---------------------------------------------------------------------------------------------------


def test_the_panel_explains_every_clock_in_the_viewers_zone(world):
    # Friday 6 March 2026 16:00 Berlin, seen on Monday 10:00 Berlin by someone in Shanghai.
    ticket = open_ticket(world, at=utc(2026, 3, 6, 15, 0))
    viewer = world.people["resolver"]
    viewer.timezone = "Asia/Shanghai"
    panel = clock_panel(ticket, viewer, at=utc(2026, 3, 9, 9, 0))
    assert (panel.zone, panel.zone_abbreviation, panel.problem) == ("Asia/Shanghai", "CST", "")
    response, resolution = panel.clocks
    assert (response.label, response.state, response.meter) == ("Response", "breached", "over")
    assert response.breached_at == utc(2026, 3, 6, 15, 30) and response.breached_at.tzinfo == SHANGHAI
    assert (resolution.label, resolution.state, resolution.elapsed, resolution.target) == (
        "Resolution",
        "running",
        "4 h 00 min",
        "8 h 00 min",
    )
    assert (resolution.used_percent, resolution.meter, resolution.is_open) == (50, "ok", True)
    assert resolution.priority_rule == "retroactive"
    assert resolution.priority_rule_text == "priority changes apply from the start"
    lines = list(resolution.segments)
    # 16:00 Berlin on Friday is 23:00 in Shanghai; the weekend there starts on Saturday 07:00.
    assert (lines[0].day, lines[0].span, lines[0].label) == ("Fri 6 Mar", "23:00 – Sat 7 Mar 01:00", "Counting")
    assert [line.kind for line in lines] == ["running", "outside_hours", "weekend", "outside_hours", "running"]
    assert sum(total.seconds for total in resolution.segments.totals if total.kind == "running") == 4 * 3600


def test_the_priority_change_rule_of_each_clock_is_named(world):
    version_with_rule(world, "split")
    ticket = open_ticket(world)
    assert ticket.contract_version.number == 2
    panel = clock_panel(ticket, world.people["agent"], at=utc(2026, 3, 2, 10, 0))
    rules = {card.clock: (card.priority_rule, card.priority_rule_text) for card in panel.clocks}
    assert rules == {
        "response": ("retroactive", "priority changes apply from the start"),
        "resolution": ("split", "each priority counts for its own stretch"),
    }


def test_an_ola_clock_carries_its_teams_name(world):
    version_with_olas(world)
    ticket = open_ticket(world)
    actions.route_ticket(ticket, actor=world.people["agent"], at=utc(2026, 3, 2, 9, 5))
    panel = clock_panel(ticket, world.people["agent"], at=utc(2026, 3, 2, 10, 0))
    ola = next(card for card in panel.clocks if card.clock == "ola:app-support-cn")
    assert (ola.label, ola.team, ola.priority_rule) == (
        "OLA · Application support China",
        "Application support China",
        "retroactive",
    )
    assert [card.clock for card in panel.clocks] == ["response", "resolution", "ola:app-support-cn"]


def test_a_missing_or_unknown_viewer_zone_falls_back_to_utc(world):
    ticket = open_ticket(world)
    viewer = world.people["agent"]
    viewer.timezone = "Mars/Olympus"
    assert clock_panel(ticket, viewer).zone == "UTC"


def test_a_pinned_version_that_no_longer_loads_is_told_not_raised(world):
    ticket = open_ticket(world)
    # A signed version refuses every change through the application; only the database itself could do this.
    with guard.maintenance("test: a broken text"), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE contracts_contractversion SET source = %s, sha256 = %s WHERE id = %s",
            ["contract: [broken", "0" * 64, ticket.contract_version_id],
        )
    ticket.refresh_from_db()
    panel = clock_panel(ticket, world.people["agent"])
    assert panel.clocks == [] and panel.problem.startswith("The clocks could not be computed")


def test_the_panels_queries_do_not_grow_with_the_ticket(world, django_assert_max_num_queries):
    ticket = open_ticket(world)
    agent = world.people["agent"]
    actions.route_ticket(ticket, actor=agent, at=utc(2026, 3, 2, 9, 5))

    def queries() -> int:
        fresh = type(ticket).objects.select_related("contract", "contract_version").get(pk=ticket.pk)
        with CaptureQueriesContext(connection) as captured:
            clock_panel(fresh, agent, at=utc(2026, 3, 20, 9, 0))
        return len(captured)

    few = queries()
    for day in range(2, 14):  # two weeks of pauses and replies
        at = utc(2026, 3, day + 1, 10, 0)
        actions.change_status(ticket, actor=world.people["resolver"], status="pending_customer", at=at)
        actions.reply(ticket, actor=world.people["requester"], body="Here it is.", at=at + timedelta(hours=1))
    assert queries() == few
    fresh = type(ticket).objects.select_related("contract", "contract_version").get(pk=ticket.pk)
    with django_assert_max_num_queries(8):
        clock_panel(fresh, world.people["analyst"], at=utc(2026, 3, 20, 9, 0))


# -- the pages ---------------------------------------------------------------------------------------------------


def test_the_agents_page_and_the_requesters_page_show_the_explained_clocks(world, client):
    ticket = open_ticket(world, at=utc(2026, 3, 6, 15, 0))
    actions.route_ticket(ticket, actor=world.people["agent"], at=utc(2026, 3, 6, 15, 5))
    actions.change_status(ticket, actor=world.people["resolver"], status="pending_customer", at=utc(2026, 3, 6, 15, 10))
    for person in ("agent", "requester"):
        client.force_login(world.people[person])
        page = client.get(reverse("desk:ticket", args=[ticket.number])).content.decode()
        assert 'data-clock="resolution" data-state="paused"' in page, person
        assert "How this was counted" in page and "Paused (pending customer)" in page
        assert 'data-rule="retroactive"' in page and "priority changes apply from the start" in page
        assert "Times in UTC (UTC)" in page


def test_restatements_are_for_the_people_the_permissions_name(world, client):
    ticket = open_ticket(world)
    seen = {}
    for person in ("requester", "agent", "customer-manager"):
        client.force_login(world.people[person])
        page = client.get(reverse("desk:ticket", args=[ticket.number])).content.decode()
        seen[person] = ('id="restatements"' in page, 'id="restate-form"' in page or "no other version" in page)
    # Nobody restated yet: the agent, who may read restatements but not make one, gets no empty card.
    assert seen == {"requester": (False, False), "agent": (False, False), "customer-manager": (True, True)}


# -- clock warnings in the timeline ------------------------------------------------------------------------------


@pytest.fixture
def warned_ticket(world):
    """P2 on SAP ERP (8 h on eu-business), warned at 50 % and 90 %, assigned to application support's resolver."""
    version_with_warnings(world)
    ticket = open_ticket(world)
    actions.route_ticket(ticket, actor=world.people["agent"], at=utc(2026, 3, 2, 9, 1))
    actions.set_assignee(
        ticket, actor=world.people["team-lead"], assignee=world.people["resolver"], at=utc(2026, 3, 2, 9, 2)
    )
    actions.reply(ticket, actor=world.people["resolver"], body="Looking.", at=utc(2026, 3, 2, 9, 3))
    sweep(utc(2026, 3, 2, 13, 5))  # past 50 % (13:00Z)
    sweep(utc(2026, 3, 3, 8, 30))  # past 90 % and the target (17:00Z Monday), both on Tuesday morning
    return ticket


def test_clock_warnings_read_as_sentences_in_the_viewers_zone(warned_ticket, world):
    with django_timezone.override(BERLIN):
        entries = [entry for entry in timeline(warned_ticket, world.people["agent"]) if entry.type == "clock_warning"]
    half, late, breach = entries
    # Swept the same day as the due instant: the time alone; on another day, the date too.
    assert half.summary == "Resolution clock at 50 % of its target (due 18:00 CET); notified: assignee"
    assert (half.css, half.public, half.reason) == ("warning", False, "Sent to Resolver")
    assert late.summary == (
        "Resolution clock at 90 % of its target (due Mar 2, 18:00 CET); "
        "notified: assignee, team lead, on call, customer manager"
    )
    assert breach.summary == (
        "Resolution clock breached its target at Mar 2, 18:00 CET; "
        "notified: assignee, team lead, on call, customer manager"
    )
    assert (breach.css, breach.reason) == ("breach", "Sent to Resolver, Team Lead, Customer Manager")
    assert not [entry for entry in timeline(warned_ticket, warned_ticket.requester) if entry.type == "clock_warning"]


def test_clock_warnings_are_marked_internal_on_the_page(warned_ticket, world, client):
    client.force_login(world.people["agent"])
    page = client.get(reverse("desk:ticket", args=[warned_ticket.number])).content.decode()
    assert "Resolution clock at 50 % of its target" in page
    client.force_login(world.people["requester"])
    page = client.get(reverse("desk:ticket", args=[warned_ticket.number])).content.decode()
    assert "of its target" not in page
