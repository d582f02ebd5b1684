"""The console of a running service stays readable: a refused or missing page is one line without a
traceback, browsers' icon probes and routine task runs write nothing, a failure still shows; and `serve`
prints the demo logins again once it listens."""

import io
import logging
import socket
import sys
import threading

import pytest
from django.urls import reverse

from servicepact.demo import cast
from servicepact.runtime.logs import ClientErrorsInOneLine
from servicepact.runtime.management.commands import serve
from servicepact.runtime.management.commands.worker import rq_logging_level
from servicepact.testing import factories


@pytest.fixture
def console():
    """What the service's own console handler writes, while the test runs."""
    handler = next(
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(found, ClientErrorsInOneLine) for found in handler.filters)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


@pytest.mark.django_db
def test_a_refused_page_is_one_line_without_a_traceback(client, world, console):
    client.force_login(world.people["requester"])
    assert client.get(reverse("organization:overview")).status_code == 403
    lines = console.getvalue().strip().splitlines()
    assert lines == [f"Forbidden (Permission denied): {reverse('organization:overview')}"], console.getvalue()


@pytest.mark.django_db
def test_a_missing_page_is_one_line_and_the_icon_probe_none(client, world, console):
    client.force_login(world.people["agent"])
    assert client.get("/favicon.ico").status_code in (200, 301, 302, 404)
    assert client.get("/no-such-page/").status_code == 404
    lines = console.getvalue().strip().splitlines()
    assert lines == ["Not Found: /no-such-page/"], console.getvalue()


def test_task_runs_are_quiet_and_their_failures_are_not(console):
    for name in ("django_tasks", "django_tasks_db", "servicepact.runtime.scheduler"):
        logger = logging.getLogger(name)
        logger.info("Task id=1 path=servicepact.x state=SUCCESSFUL")
        assert not logger.isEnabledFor(logging.INFO), name
        assert logger.isEnabledFor(logging.WARNING), name
    try:
        raise RuntimeError("mail server refused")
    except RuntimeError:
        logging.getLogger("django_tasks").exception("Task id=2 path=servicepact.y state=FAILED")
    written = console.getvalue()
    assert "state=SUCCESSFUL" not in written
    assert "state=FAILED" in written and "RuntimeError: mail server refused" in written


def test_a_server_error_keeps_its_traceback():
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error: /", (), None)
    try:
        raise ValueError("boom")
    except ValueError:
        record.exc_info = sys.exc_info()
    record.status_code = 500
    assert ClientErrorsInOneLine().filter(record) and record.exc_info


@pytest.mark.django_db
def test_the_demo_logins_are_listed_only_for_the_demo_database(world):
    assert serve.demo_logins() == ""
    for person in cast.PEOPLE:
        factories.UserFactory(email=person.email, organization=world.provider)
    logins = serve.demo_logins().splitlines()
    assert logins[0] == f"Demo people (password for all: {cast.PASSWORD}):"
    assert len(logins) == 1 + len(cast.PEOPLE)
    assert all(any(person.email in line for line in logins) for person in cast.PEOPLE)


def test_the_logins_are_printed_once_the_server_listens(capsys):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        port = listener.getsockname()[1]
        command = serve.Command()
        printer = threading.Thread(target=command._print_when_listening, args=("127.0.0.1", port, "LOGINS"))
        printer.start()
        printer.join(timeout=1.5)
        assert printer.is_alive(), "printed before the server listened"
        listener.listen()
        printer.join(timeout=10)
    assert not printer.is_alive()
    out = capsys.readouterr().out
    assert "LOGINS" in out and f"http://127.0.0.1:{port}/" in out


def test_rq_workers_log_only_failed_jobs_unless_debugging():
    assert [rq_logging_level(level) for level in ("DEBUG", "INFO", "WARNING", "ERROR")] == [
        "DEBUG",
        "WARNING",
        "WARNING",
        "ERROR",
    ]
