"""A worker told to stop (SIGTERM) ends within seconds and puts an unfinished task back in the queue."""

import os
import signal
import time

from servicepact.runtime.tests.test_processes import (
    clean_environment,
    servicepact,
    start_worker,
    task_row,
    wait_until,
)


def test_sigterm_puts_the_running_task_back_and_the_next_worker_finishes_it(tmp_path):
    env = clean_environment(tmp_path, SERVICEPACT_WORKER_STOP_SECONDS="2")
    migrated = servicepact("migrate", "--no-input", "--skip-checks", env=env)
    assert migrated.returncode == 0, migrated.stderr
    marker = tmp_path / "attempts"
    enqueued = servicepact(
        "shell",
        "-c",
        "from servicepact.runtime.tests.holding_task import hold_until_stopped; "
        f"print(hold_until_stopped.enqueue({str(marker)!r}).id)",
        env=env,
    )
    assert enqueued.returncode == 0, enqueued.stderr
    task_id = enqueued.stdout.strip().splitlines()[-1]

    first = start_worker("a", env)
    try:
        wait_until(marker.exists, 60, "the first attempt")
        # Background work yields the processors to the web (SERVICEPACT_WORKER_NICE, 10 by default).
        assert os.getpriority(os.PRIO_PROCESS, first.pid) == min(os.getpriority(os.PRIO_PROCESS, 0) + 10, 19)
        assert task_row(tmp_path, task_id)[:2] == ("RUNNING", ["a"])
        asked = time.monotonic()
        first.send_signal(signal.SIGTERM)
        assert first.wait(timeout=15) == 0, first.stdout.read()
        stopped_after = time.monotonic() - asked
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    # Within the 2 s grace and a little: not the 600 s the task would have held it.
    assert stopped_after < 8, stopped_after
    # Back in the queue as if never claimed: the stop is not counted as a lost lease.
    assert task_row(tmp_path, task_id)[:2] == ("READY", [])

    second = start_worker("b", env)
    try:
        wait_until(lambda: task_row(tmp_path, task_id)[0] == "SUCCESSFUL", 60, "the second attempt")
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=30) == 0, second.stdout.read()
    finally:
        if second.poll() is None:
            second.kill()
            second.wait()
    assert task_row(tmp_path, task_id) == ("SUCCESSFUL", ["b"], '"finished at attempt 2"')
