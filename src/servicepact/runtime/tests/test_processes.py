"""The real commands in real processes: the start-up check, and `serve` answering and stopping cleanly."""

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest


def clean_environment(data_dir: Path, **extra: str) -> dict[str, str]:
    """The test's environment without the test database: the processes get their own SQLite data dir."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SERVICEPACT_") and key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(SERVICEPACT_DATA_DIR=str(data_dir), **extra)
    return env


def servicepact(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "servicepact", *args], env=env, capture_output=True, text=True, timeout=timeout
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get_json(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.parametrize(
    ("variable", "value"),
    [("SERVICEPACT_DEBUG", "maybe"), ("SERVICEPACT_SWEEP_SECONDS", "0"), ("DATABASE_URL", "mysql://db/x")],
)
def test_a_bad_environment_value_stops_start_up_with_one_line_naming_it(tmp_path, variable, value):
    result = servicepact("check", env=clean_environment(tmp_path, **{variable: value}))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("servicepact: configuration error:")
    assert variable in lines[0]


def test_serve_answers_healthz_with_a_live_worker_and_stops_both_on_sigterm(tmp_path):
    env = clean_environment(tmp_path)
    migrated = servicepact("migrate", "--no-input", "--skip-checks", env=env)
    assert migrated.returncode == 0, migrated.stderr
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "servicepact", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # collectstatic compresses every file first: slow on a busy machine.
        body, deadline = None, time.monotonic() + 150
        while time.monotonic() < deadline:
            try:
                status, body = get_json(f"http://127.0.0.1:{port}/healthz")
                if status == 200 and body["worker_heartbeat_age_s"] is not None:
                    break
            except OSError:  # not listening yet, or busy starting: ask again
                pass
            assert server.poll() is None, server.stdout.read()
            time.sleep(0.3)
        assert body and body["status"] == "ok" and body["database"] == "ok", body
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0, server.stdout.read()
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    # The worker stopped cleanly (it removes its heartbeat) and the web server let go of the port.
    with sqlite3.connect(tmp_path / "servicepact.sqlite3") as database:
        assert database.execute("SELECT count(*) FROM runtime_workerheartbeat").fetchone() == (0,)
    with socket.socket() as probe:
        # SO_REUSEADDR lets the bind past closed connections (TIME_WAIT) but not past a listener.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))
    assert (tmp_path / "static" / "admin").is_dir()


@pytest.mark.parametrize("share_port", [False, True], ids=["plain listener", "SO_REUSEPORT listener"])
def test_serve_refuses_a_port_another_process_listens_on(tmp_path, share_port):
    # The occupying socket holds a port the system picked, so no other test run can take it meanwhile;
    # a listener with SO_REUSEPORT is what another granian (another `serve`) holds.
    with socket.socket() as occupant:
        if share_port:
            occupant.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        occupant.bind(("127.0.0.1", 0))
        occupant.listen()
        port = occupant.getsockname()[1]
        result = servicepact(
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-worker",
            env=clean_environment(tmp_path),
            timeout=60,
        )
    assert result.returncode == 2, result.stdout + result.stderr
    # The refusal is one line, the last; libraries may have logged their own start-up lines before it.
    assert result.stderr.strip().splitlines()[-1] == (
        f"servicepact: 127.0.0.1:{port} is already in use; stop the server there or choose another --port"
    )
    assert "Traceback" not in result.stderr
    assert "serving on" not in result.stdout


def task_row(data_dir: Path, task_id: str) -> tuple[str, list[str], str]:
    with sqlite3.connect(data_dir / "servicepact.sqlite3") as database:
        status, worker_ids, value = database.execute(
            "SELECT status, worker_ids, return_value FROM django_tasks_database_dbtaskresult WHERE id = ?",
            (task_id.replace("-", ""),),
        ).fetchone()
    return status, json.loads(worker_ids), value


def start_worker(worker_id: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "servicepact",
            "worker",
            "--worker-id",
            worker_id,
            "--no-scheduler",
            "--tick",
            "0.5",
            "--interval",
            "0.2",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


@pytest.mark.parametrize(
    ("second_worker", "lease_s"),
    [("b", "3"), ("a", "600")],
    ids=["another worker after the lease", "the same worker id restarted"],
)
def test_a_task_left_running_by_a_killed_worker_is_run_again(tmp_path, second_worker, lease_s):
    env = clean_environment(tmp_path, SERVICEPACT_TASK_LEASE_SECONDS=lease_s)
    migrated = servicepact("migrate", "--no-input", "--skip-checks", env=env)
    assert migrated.returncode == 0, migrated.stderr
    marker = tmp_path / "first-attempt"
    enqueued = servicepact(
        "shell",
        "-c",
        f"from servicepact.runtime.tests.holding_task import hold_once; print(hold_once.enqueue({str(marker)!r}).id)",
        env=env,
    )
    assert enqueued.returncode == 0, enqueued.stderr
    task_id = enqueued.stdout.strip().splitlines()[-1]

    first = start_worker("a", env)
    try:
        wait_until(marker.exists, 60, "the first attempt")
    finally:
        first.kill()  # SIGKILL: no clean stop, the task stays RUNNING
        first.wait()
    assert task_row(tmp_path, task_id)[:2] == ("RUNNING", ["a"])

    second = start_worker(second_worker, env)
    try:
        wait_until(lambda: task_row(tmp_path, task_id)[0] == "SUCCESSFUL", 60, "the second attempt")
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=30) == 0, second.stdout.read()
    finally:
        if second.poll() is None:
            second.kill()
            second.wait()
    assert task_row(tmp_path, task_id) == ("SUCCESSFUL", ["a", second_worker], '"finished"')
