"""Real servers the tests start on free ports: each a child process, ended when its test ends."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

# `make install-test` puts the npm package here (see the Makefile).
OIDC_PROVIDER_MODULE = Path(sys.prefix) / "oidc-provider" / "node_modules" / "oidc-provider" / "lib" / "index.js"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30, output=lambda: "") -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}: {output()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {seconds} s")


def require_program(name: str) -> str:
    found = shutil.which(name, path=f"{os.environ.get('PATH', '')}:/usr/sbin:/sbin")
    if found is None:
        pytest.skip(f"{name} is not installed (make install-test installs it)")
    return found


@contextmanager
def running(command: list[str], port: int, **options) -> Iterator[subprocess.Popen]:
    """``command`` running until the block ends, once something listens on ``port``."""
    # The server's output goes to a file, never to a pipe nobody reads (a full pipe would stop the server).
    log = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen(
        command, stdout=log, stderr=subprocess.STDOUT, text=True, start_new_session=True, **options
    )

    def output() -> str:
        log.seek(0)
        return log.read()[-4000:]

    try:
        wait_for_port(port, process, output=output)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
