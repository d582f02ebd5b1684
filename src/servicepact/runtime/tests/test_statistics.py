"""The worker keeps SQLite's query planner statistics fresh; PostgreSQL keeps its own."""

import pytest
from django.db import connection

from servicepact.desk import actions
from servicepact.runtime.periodic import periodic_jobs
from servicepact.runtime.tasks import refresh_statistics

pytestmark = pytest.mark.django_db


def test_refreshing_the_statistics_is_a_periodic_job():
    assert "servicepact.runtime.tasks.refresh_statistics" in {job.task_path for job in periodic_jobs()}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's statistics")
def test_the_planner_gets_statistics_of_the_ticket_indexes(world):
    actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Posting run fails",
        description="The nightly posting stops.",
        impact="low",
        urgency="low",
    )
    result = refresh_statistics.call()
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        analysed = {row[0] for row in cursor.fetchall()}
    assert {"desk_ticket", "slm_clockstate", "desk_ticketevent"} <= analysed
    assert result["indexes"] > 0


@pytest.mark.skipif(connection.vendor == "sqlite", reason="PostgreSQL's autovacuum keeps the statistics")
def test_postgresql_is_left_to_autovacuum():
    assert refresh_statistics.call() == {"skipped": "postgresql"}
