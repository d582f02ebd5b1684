"""A task for the worker process tests: its first attempt waits to be killed, a later one finishes."""

import time
from pathlib import Path

from django_tasks import task


@task()
def hold_once(marker: str) -> str:
    path = Path(marker)
    if not path.exists():
        path.write_text("first attempt started")
        time.sleep(600)
    return "finished"


@task()
def hold_until_stopped(marker: str) -> str:
    """Every attempt holds until the worker is stopped; writes how many attempts have started."""
    path = Path(marker)
    attempts = int(path.read_text()) + 1 if path.exists() else 1
    path.write_text(str(attempts))
    if attempts == 1:
        time.sleep(600)
    return f"finished at attempt {attempts}"


@task()
def write_marker(marker: str, text: str) -> str:
    """Appends ``text`` to the marker file: which runs happened, in order."""
    with Path(marker).open("a") as stream:
        stream.write(text + "\n")
    return text
