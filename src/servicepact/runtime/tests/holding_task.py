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
