"""Tasks on Redis through RQ (SERVICEPACT_TASKS_BACKEND=rq): queued on commit, run by `servicepact worker`."""

import os
import signal
import subprocess
import sys

import pytest
import redis

from servicepact.runtime.tests.test_processes import clean_environment, servicepact, wait_until

# A database number of its own on the machine's Redis (one per parallel test process), emptied before and after.
REDIS_URL = f"redis://127.0.0.1:6379/{13 + int(os.environ.get('PYTEST_XDIST_WORKER', 'gw0')[2:] or 0) % 3}"


@pytest.fixture
def redis_env(tmp_path):
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.fail("Redis is not running at 127.0.0.1:6379 (the machine starts it; see docs/operations.md)")
    client.flushdb()
    env = clean_environment(tmp_path, SERVICEPACT_TASKS_BACKEND="rq", SERVICEPACT_REDIS_URL=REDIS_URL)
    migrated = servicepact("migrate", "--no-input", "--skip-checks", env=env)
    assert migrated.returncode == 0, migrated.stderr
    yield env
    client.flushdb()


ENQUEUE = """
from django.db import transaction
from servicepact.runtime.tests.holding_task import write_marker
marker = {marker!r}
try:
    with transaction.atomic():
        write_marker.enqueue(marker, "rolled back")
        raise RuntimeError
except RuntimeError:
    pass
with transaction.atomic():
    result = write_marker.enqueue(marker, "committed")
    assert write_marker.get_backend().get_result.__name__  # the backend is RQ's
print(type(write_marker.get_backend()).__name__, result.id)
"""


def test_a_task_is_queued_on_commit_and_run_by_the_rq_worker(redis_env, tmp_path):
    marker = tmp_path / "runs"
    enqueued = servicepact("shell", "-c", ENQUEUE.format(marker=str(marker)), env=redis_env)
    assert enqueued.returncode == 0, enqueued.stderr
    backend, result_id = enqueued.stdout.split()[-2:]
    assert backend == "RQBackend"
    queued = redis.Redis.from_url(REDIS_URL).lrange("rq:queue:default", 0, -1)
    assert [job_id.decode() for job_id in queued] == [result_id]  # the rolled-back one never reached Redis

    worker = subprocess.Popen(
        [sys.executable, "-m", "servicepact", "worker", "--worker-id", "rq-a", "--no-scheduler", "--tick", "0.5"],
        env=redis_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_until(marker.exists, 60, "the RQ worker to run the task")
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert marker.read_text() == "committed\n"


def test_redis_holds_the_cache_and_sessions_when_configured(redis_env):
    shown = servicepact(
        "shell",
        "-c",
        "from django.conf import settings; from django.core.cache import cache; cache.set('probe', 42); "
        "print(settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE, cache.get('probe'))",
        env=redis_env,
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split()[-3:] == [
        "django.core.cache.backends.redis.RedisCache",
        "django.contrib.sessions.backends.cached_db",
        "42",
    ]
    assert redis.Redis.from_url(REDIS_URL).keys("servicepact:*probe")


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"SERVICEPACT_TASKS_BACKEND": "rq"}, "SERVICEPACT_TASKS_BACKEND=rq needs SERVICEPACT_REDIS_URL"),
        ({"SERVICEPACT_TASKS_BACKEND": "celery"}, "SERVICEPACT_TASKS_BACKEND='celery' is not one of"),
        ({"SERVICEPACT_REDIS_URL": "http://cache:6379"}, "SERVICEPACT_REDIS_URL has scheme 'http'"),
    ],
)
def test_a_bad_queue_setting_stops_start_up_naming_it(tmp_path, variables, named):
    result = servicepact("check", env=clean_environment(tmp_path, **variables))
    assert result.returncode == 2
    assert named in result.stderr.strip().splitlines()[-1]
