"""A database that was never migrated (or is behind the code): `serve` and `worker` refuse to start with
one line saying what to run, and `serve --migrate` migrates it and serves."""

import signal
import subprocess
import sys
import time

from servicepact.runtime.tests.test_processes import clean_environment, free_port, get_json, servicepact


def test_serve_and_worker_refuse_a_database_that_was_never_migrated(tmp_path):
    env = clean_environment(tmp_path)
    port = free_port()
    for command in (["serve", "--host", "127.0.0.1", "--port", str(port)], ["worker"]):
        result = servicepact(*command, env=env, timeout=120)
        assert result.returncode == 2, result.stdout + result.stderr
        assert "Traceback" not in result.stderr
        last = result.stderr.strip().splitlines()[-1]
        assert last.startswith(f"servicepact: the database {tmp_path / 'servicepact.sqlite3'} has never been migrated")
        assert "run `servicepact migrate` first" in last
        assert "serving on" not in result.stdout
    assert (
        "(or start with `servicepact serve --migrate`)"
        in servicepact("serve", "--port", str(port), env=env).stderr.strip().splitlines()[-1]
    )


def test_serve_migrate_migrates_first_and_then_serves(tmp_path):
    env = clean_environment(tmp_path)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "servicepact", "serve", "--migrate", "--no-worker", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        status, deadline = None, time.monotonic() + 400
        while time.monotonic() < deadline:
            try:
                status, _body = get_json(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                pass
            assert server.poll() is None, server.stdout.read()
            time.sleep(0.5)
        assert status is not None
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        output = server.stdout.read()
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert "Applying accounts.0001_initial" in output and "serving on" in output
    assert "has never been migrated" not in output
    # The database is complete now.
    assert servicepact("migrate", "--check", env=env).returncode == 0
