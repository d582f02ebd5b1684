"""Runs the web server and the worker as child processes and stops them together.

SIGINT and SIGTERM are passed on as SIGTERM; a child that dies on its own takes the others down too,
so that a process manager sees the failure and restarts the whole service rather than half of it.
"""

import logging
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence

logger = logging.getLogger(__name__)

POLL_S = 0.2


class Supervisor:
    def __init__(self, commands: Mapping[str, Sequence[str]], *, grace_s: float = 15.0) -> None:
        self.commands = dict(commands)
        self.grace_s = grace_s
        self.children: dict[str, subprocess.Popen] = {}
        self.stop_requested = False

    def request_stop(self, signum: int, frame: object) -> None:
        logger.info("received %s, stopping", signal.Signals(signum).name)
        self.stop_requested = True

    def run(self) -> int:
        previous = {sig: signal.signal(sig, self.request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            for name, command in self.commands.items():
                self.children[name] = subprocess.Popen(list(command))
                logger.info("started %s (pid %s)", name, self.children[name].pid)
            failed = self.wait_for_stop_or_failure()
        finally:
            self.stop_children()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if failed is None:
            return 0
        code = self.children[failed].returncode
        logger.error("%s exited with status %s; stopped the rest", failed, code)
        return code or 1

    def wait_for_stop_or_failure(self) -> str | None:
        """None when asked to stop; else the name of the child that ended by itself."""
        while not self.stop_requested:
            for name, child in self.children.items():
                if child.poll() is not None:
                    return name
            time.sleep(POLL_S)
        return None

    def stop_children(self) -> None:
        alive = [child for child in self.children.values() if child.poll() is None]
        for child in alive:
            child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.grace_s
        for child in alive:
            try:
                child.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                logger.warning("pid %s did not stop within %ss; killing it", child.pid, self.grace_s)
                child.kill()
                child.wait()
