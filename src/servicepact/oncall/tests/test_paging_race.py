"""Several workers run the same step of a page at once on PostgreSQL: the step pages each person once."""

import datetime as dt
import threading

import pytest
from django.db import connection

from servicepact.notify.models import Outbox
from servicepact.oncall import actions
from servicepact.oncall.escalation import run_due_step
from servicepact.oncall.models import Page, PageNotice

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are PostgreSQL's; SQLite takes turns by its IMMEDIATE transactions",
    ),
]
WORKERS = 4
T = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)


def test_concurrent_timers_page_once(world, rotas, second):
    pages = [actions.start_page(team=world.teams["app-cn"], title=f"Page {n}", at=T) for n in range(5)]
    start = threading.Barrier(WORKERS)
    ran: list[int] = []
    problems: list[BaseException] = []

    def work() -> None:
        try:
            start.wait()
            for page in pages:
                if run_due_step(page.pk, 1, T + dt.timedelta(minutes=10)) is not None:
                    ran.append(page.pk)
        except BaseException as problem:  # reported below
            problems.append(problem)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert problems == []
    assert sorted(ran) == sorted(page.pk for page in pages)  # each step ran once, by one worker
    for page in Page.objects.all():
        assert page.next_step == 2
        steps = list(PageNotice.objects.filter(page=page, what="paged").values_list("step", flat=True))
        assert sorted(steps) == [0, 1]
    assert Outbox.objects.count() == 2 * len(pages)
