"""A real SMTP server for tests: aiosmtpd in a thread on 127.0.0.1, keeping what it receives."""

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message

from aiosmtpd.controller import Controller


@dataclass
class Received:
    envelope_to: list[str]
    message: Message


@dataclass
class Inbox:
    host: str
    port: int
    received: list[Received] = field(default_factory=list)
    # How many messages to refuse (a temporary failure, 451) before accepting again.
    refuse_next: int = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.refuse_next > 0:
            self.refuse_next -= 1
            return "451 4.3.0 Mailbox temporarily unavailable, try again later"
        self.received.append(Received(list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server() -> Iterator[Inbox]:
    inbox = Inbox("127.0.0.1", free_port())
    controller = Controller(inbox, hostname=inbox.host, port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()
