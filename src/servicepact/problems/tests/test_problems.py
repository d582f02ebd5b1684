"""Problem management: raising from incidents, suggestions by threshold and window, known errors matched to a
ticket and linked, closing by the fixing change, every write in the record's history, and the access rules."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from servicepact.changes import actions as changes
from servicepact.changes.models import Change
from servicepact.cmdb.tests.factories import build_cmdb
from servicepact.desk import actions as desk
from servicepact.history.models import HistoryEntry
from servicepact.problems import actions
from servicepact.problems.models import (
    KnownError,
    Problem,
    ProblemStatus,
    ProblemSuggestion,
    SuggestionStatus,
)
from servicepact.problems.queries import causes_in_period, matching_known_errors
from servicepact.refusals import ActionRefused


def incident(world, *, service="sap-erp", category="posting", title="Posting fails", days_ago=0.0, description=""):
    return desk.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services[service],
        title=title,
        description=description,
        impact="medium",
        urgency="medium",
        category=category,
        at=timezone.now() - timedelta(days=days_ago),
    )


def history_types(record) -> list[str]:
    return list(HistoryEntry.objects.of(record).values_list("type", flat=True))


@pytest.fixture
def problem(world):
    tickets = [incident(world), incident(world, days_ago=1)]
    return actions.raise_problem(
        actor=world.people["resolver"], contract=world.contract, title="Posting period lock", incidents=tickets
    )


def test_a_problem_raised_from_incidents_takes_the_first_ones_service_and_category(world, problem):
    assert (problem.service.key, problem.category, problem.status) == ("sap-erp", "posting", ProblemStatus.OPEN)
    assert problem.incidents.count() == 2
    assert history_types(problem) == ["raised", "incident_linked", "incident_linked"]


def test_raising_refuses_bad_input_by_field_and_changes_nothing(world):
    other = desk.create_ticket(
        actor=world.people["other-manager"],
        contract=world.other_contract,
        service=world.other_contract.services.get(),
        title="Elsewhere",
        impact="low",
        urgency="low",
    )
    with pytest.raises(ActionRefused) as refused:
        actions.raise_problem(actor=world.people["resolver"], contract=world.contract, title=" ", incidents=[other])
    assert set(refused.value.errors) == {"title", "incidents", "service"}
    assert not Problem.objects.exists()


@pytest.mark.parametrize("person", ["requester", "customer-manager", "vendor-engineer", "analyst", "other-manager"])
def test_only_the_providers_staff_raise_problems(world, person):
    with pytest.raises(PermissionDenied):
        actions.raise_problem(
            actor=world.people[person], contract=world.contract, title="x", service=world.services["sso"]
        )


def test_who_reads_problems(world, problem):
    readers = {name for name, user in world.people.items() if Problem.objects.visible_to(user).exists()}
    assert readers == {"customer-manager", "agent", "resolver", "team-lead", "analyst", "administrator"}


# -- suggestions ---------------------------------------------------------------------------------------------


def test_a_suggestion_needs_the_threshold_within_the_window(world):
    for days in (1, 2):
        incident(world, days_ago=days)
    incident(world, days_ago=20)  # outside the default 14-day window
    assert actions.refresh_suggestions(contract=world.contract) == []
    incident(world, days_ago=3)
    (suggestion,) = actions.refresh_suggestions(contract=world.contract)
    assert (suggestion.incident_count, suggestion.threshold, suggestion.window_days) == (3, 3, 14)
    assert suggestion.service.key == "sap-erp" and suggestion.category == "posting"


def test_the_threshold_and_window_are_set_per_contract(world):
    for days in (1, 10, 25):
        incident(world, days_ago=days)
    actions.set_recurrence(actor=world.people["team-lead"], contract=world.contract, threshold=3, window_days=30)
    (suggestion,) = actions.refresh_suggestions(contract=world.contract)
    assert suggestion.incident_count == 3
    actions.set_recurrence(actor=world.people["team-lead"], contract=world.contract, threshold=4, window_days=30)
    assert actions.refresh_suggestions(contract=world.contract) == []
    with pytest.raises(ActionRefused) as refused:
        actions.set_recurrence(actor=world.people["team-lead"], contract=world.contract, threshold=1, window_days=0)
    assert set(refused.value.errors) == {"threshold", "window_days"}
    with pytest.raises(PermissionDenied):
        actions.set_recurrence(actor=world.people["resolver"], contract=world.contract, threshold=5, window_days=5)


def test_groups_are_by_service_and_category_and_skip_incidents_of_a_problem(world):
    incident(world, days_ago=1)
    incident(world, days_ago=2, category="printing")
    incident(world, days_ago=3, service="sso")
    assert actions.refresh_suggestions(contract=world.contract) == []
    tickets = [incident(world, days_ago=days) for days in (1, 2, 3)]
    actions.raise_problem(actor=world.people["agent"], contract=world.contract, title="Known", incidents=tickets)
    # Four posting incidents of SAP, but three belong to a problem already.
    assert actions.refresh_suggestions(contract=world.contract) == []


def test_refreshing_twice_keeps_one_suggestion_that_grows(world):
    for days in (1, 2, 3):
        incident(world, days_ago=days)
    (first,) = actions.refresh_suggestions(contract=world.contract)
    assert actions.refresh_suggestions(contract=world.contract)[0].pk == first.pk
    incident(world, days_ago=0.5)
    (grown,) = actions.refresh_suggestions(contract=world.contract)
    assert grown.pk == first.pk and grown.incident_count == 4
    assert history_types(grown) == ["found", "grew"]


def test_raising_from_a_suggestion_links_its_incidents_and_a_dismissed_one_stays_dismissed(world):
    for days in (1, 2, 3):
        incident(world, days_ago=days)
    (suggestion,) = actions.refresh_suggestions(contract=world.contract)
    problem = actions.raise_from_suggestion(suggestion, actor=world.people["agent"], title="Posting keeps failing")
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.RAISED and suggestion.problem == problem
    assert problem.incidents.count() == 3
    for days in (1, 2, 3):
        incident(world, service="sso", category="login", days_ago=days)
    (sso,) = actions.refresh_suggestions(contract=world.contract)
    actions.dismiss_suggestion(sso, actor=world.people["agent"], reason="A planned password reset day")
    assert actions.refresh_suggestions(contract=world.contract) == []
    assert ProblemSuggestion.objects.get(pk=sso.pk).status == SuggestionStatus.DISMISSED


# -- known errors --------------------------------------------------------------------------------------------


def test_publishing_a_known_error_needs_symptoms_and_a_workaround(world, problem):
    with pytest.raises(ActionRefused) as refused:
        actions.publish_known_error(problem, actor=world.people["resolver"], symptoms="")
    assert set(refused.value.errors) == {"symptoms", "workaround"}
    actions.diagnose(
        problem,
        actor=world.people["resolver"],
        cause="configuration",
        root_cause="The posting period is closed early",
        workaround="Open the period in OB52",
    )
    known = actions.publish_known_error(problem, actor=world.people["resolver"], symptoms="F5 201 on posting")
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.KNOWN_ERROR and known.workaround == "Open the period in OB52"
    assert history_types(problem)[-2:] == ["diagnosed", "known_error"]
    assert history_types(known) == ["published"]


def test_known_errors_match_a_ticket_by_service_category_and_keywords(world, problem):
    actions.diagnose(problem, actor=world.people["resolver"], cause="configuration", workaround="Open the period")
    posting = actions.publish_known_error(
        problem, actor=world.people["resolver"], symptoms="F5 201", keywords="period lock, F5 201"
    )
    sso_problem = actions.raise_problem(
        actor=world.people["resolver"], contract=world.contract, title="Certificate", service=world.services["sso"]
    )
    certificate = actions.publish_known_error(
        sso_problem, actor=world.people["resolver"], symptoms="Login loops", workaround="Clear cookies", keywords="loop"
    )
    agent = world.people["agent"]
    same = incident(world, title="Cannot post invoices")
    assert matching_known_errors(same, agent) == [(posting, 3)]  # service and category
    words = incident(world, service="hr-portal", category="", title="Error F5 201 and a redirect loop")
    assert matching_known_errors(words, agent) == [(posting, 1), (certificate, 1)] or matching_known_errors(
        words, agent
    ) == [(certificate, 1), (posting, 1)]
    nothing = incident(world, service="mes-asia", category="", title="Screen flickers")
    assert matching_known_errors(nothing, agent) == []
    # The customer's requester sees no known error at all.
    assert matching_known_errors(same, world.people["requester"]) == []


def test_linking_a_known_error_to_a_ticket_counts_it_as_the_problems_incident(world, problem):
    actions.diagnose(problem, actor=world.people["resolver"], cause="configuration", workaround="Open the period")
    known = actions.publish_known_error(problem, actor=world.people["resolver"], symptoms="F5 201")
    ticket = incident(world, title="F5 201 again")
    assert actions.link_known_error(ticket, actor=world.people["agent"], known_error=known) is True
    assert actions.link_known_error(ticket, actor=world.people["agent"], known_error=known) is False
    assert problem.incidents.filter(pk=ticket.pk).exists()
    assert history_types(known) == ["published", "ticket_linked"]
    with pytest.raises(PermissionDenied):
        actions.link_known_error(ticket, actor=world.people["requester"], known_error=known)


# -- closing -------------------------------------------------------------------------------------------------


def a_change(world, status="in_progress", contract=None) -> Change:
    now = timezone.now()
    return Change.objects.create(
        contract=contract or world.contract,
        title="Extend the posting period job",
        planned_start=now - timedelta(hours=1),
        planned_end=now + timedelta(hours=1),
        requested_by=world.people["agent"],
        implementers="app-support-cn",
        status=status,
    )


def test_a_problem_is_closed_by_the_change_that_fixes_it(world, problem):
    actions.diagnose(problem, actor=world.people["resolver"], cause="software", workaround="Retry")
    known = actions.publish_known_error(problem, actor=world.people["resolver"], symptoms="Fails")
    change = a_change(world)
    with pytest.raises(ActionRefused) as refused:
        actions.link_fixing_change(
            problem, actor=world.people["agent"], change=a_change(world, contract=world.other_contract)
        )
    assert "change" in refused.value.errors
    actions.link_fixing_change(problem, actor=world.people["agent"], change=change)
    failed = a_change(world)
    actions.link_fixing_change(problem, actor=world.people["agent"], change=failed)
    changes.finish(failed, actor=world.people["resolver"], outcome="failed")
    assert Problem.objects.get(pk=problem.pk).status == ProblemStatus.KNOWN_ERROR  # a failed change fixes nothing
    actions.link_fixing_change(problem, actor=world.people["agent"], change=change)
    changes.finish(change, actor=world.people["resolver"], outcome="successful")
    closed = Problem.objects.get(pk=problem.pk)
    assert (closed.status, closed.fixed_by, closed.fixing_change) == (ProblemStatus.CLOSED, change.number, change)
    assert history_types(problem)[-1] == "closed_by_change"
    assert KnownError.objects.get(pk=known.pk).active is False
    with pytest.raises(ActionRefused):
        actions.close_by_change(problem, actor=world.people["team-lead"], change=change)


def test_a_problem_closed_by_hand_naming_the_change(world, problem):
    change = a_change(world, status="implemented")
    with pytest.raises(PermissionDenied):
        actions.close_by_change(problem, actor=world.people["customer-manager"], change=change)
    closed = actions.close_by_change(problem, actor=world.people["team-lead"], change=change)
    assert (closed.status, closed.fixed_by) == (ProblemStatus.CLOSED, change.number)


def test_configuration_items_are_named_by_their_keys(world, problem):
    items = build_cmdb(world)
    with pytest.raises(ActionRefused) as refused:
        actions.link_configuration_items(problem, actor=world.people["resolver"], keys=["sap-db", "nope"])
    assert "nope" in refused.value.errors["items"][0]
    assert actions.link_configuration_items(problem, actor=world.people["resolver"], keys=["sap-db", "sap-app"]) == 2
    assert actions.link_configuration_items(problem, actor=world.people["resolver"], keys=["sap-db"]) == 0
    assert set(problem.items.all()) == {items["sap-db"], items["sap-app"]}
    assert history_types(problem)[-2:] == ["item_linked", "item_linked"]


def test_closing_without_a_change_needs_a_reason(world, problem):
    with pytest.raises(ActionRefused) as refused:
        actions.close_problem(problem, actor=world.people["resolver"], closure="")
    assert "closure" in refused.value.errors
    actions.close_problem(problem, actor=world.people["resolver"], closure="Vendor patch applied")
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CLOSED


def test_causes_per_period_count_opened_and_closed(world, problem):
    actions.diagnose(problem, actor=world.people["resolver"], cause="capacity")
    now = timezone.now()
    rows = causes_in_period(Problem.objects.all(), now - timedelta(days=1), now + timedelta(days=1))
    assert rows == [{"cause": "capacity", "label": "Capacity", "opened": 1, "closed": 0}]
    actions.close_problem(problem, actor=world.people["resolver"], closure="Added memory")
    rows = causes_in_period(Problem.objects.all(), now - timedelta(days=1), now + timedelta(days=1))
    assert rows[0]["closed"] == 1
    assert causes_in_period(Problem.objects.all(), now - timedelta(days=9), now - timedelta(days=8)) == []
