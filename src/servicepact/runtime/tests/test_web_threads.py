"""`serve` runs each web process with the threads it is told, not the server's default of one per request."""

import concurrent.futures
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from servicepact.runtime.tests.test_processes import clean_environment, free_port, get_json, servicepact


def descendants(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        parent = pending.pop()
        for task in Path(f"/proc/{parent}/task").iterdir():
            children = [int(child) for child in (task / "children").read_text().split()]
            found += children
            pending += children
    return found


def thread_count(pid: int) -> int:
    return len(list(Path(f"/proc/{pid}/task").iterdir()))


def test_web_processes_keep_to_their_threads_under_many_concurrent_requests(tmp_path):
    env = clean_environment(tmp_path, SERVICEPACT_WEB_THREADS="2")
    migrated = servicepact("migrate", "--no-input", "--skip-checks", env=env)
    assert migrated.returncode == 0, migrated.stderr
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "servicepact", "serve", "--port", str(port), "--workers", "1", "--no-worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/healthz"
    try:
        deadline = time.monotonic() + 150  # collectstatic compresses every file first
        while True:
            assert server.poll() is None, server.stdout.read()
            assert time.monotonic() < deadline, "serve did not answer"
            try:
                if get_json(url)[0] == 200:
                    break
            except OSError:
                time.sleep(0.3)
        with concurrent.futures.ThreadPoolExecutor(32) as pool:
            statuses = list(pool.map(lambda _: urllib.request.urlopen(url, timeout=60).status, range(160)))
        assert statuses == [200] * 160
        counts = {pid: thread_count(pid) for pid in descendants(server.pid)}
        # granian's own default grows a thread per request waiting (about 50 here); 2 request threads and
        # the server's few own threads stay well under 12.
        assert counts and max(counts.values()) <= 12, counts
    finally:
        server.terminate()
        server.wait(timeout=30)
