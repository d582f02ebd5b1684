"""The scheduled checkpoint is offered to each of the customer's managers as a message of their own: the
service's words in the manager's language, the signing time in their zone, a link to the copy; the same
state is offered to each once; sent through a real SMTP server."""

from datetime import UTC, datetime, timedelta
from email.header import decode_header, make_header

from django.utils import translation

from servicepact.accounts.models import Role
from servicepact.desk import actions
from servicepact.evidence.actions import offer, take_checkpoint
from servicepact.evidence.models import CheckpointReason
from servicepact.notify.models import Outbox
from servicepact.notify.sending import send_pending_messages
from servicepact.notify.tests.mail_world import BASE_URL, chinese_person, smtp  # noqa: F401

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def chinese_manager(world, email: str = "jingli@example.test"):
    return chinese_person(world.customer, Role.CUSTOMER_MANAGER, email=email, name="Li Jing")


def subject_of(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def test_each_manager_is_offered_the_checkpoint_in_their_language_once(world, smtp):
    english, chinese_reader = world.people["customer-manager"], chinese_manager(world)
    actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Posting fails",
        impact="low",
        urgency="low",
        at=MONDAY,
    )
    checkpoint = take_checkpoint(reason=CheckpointReason.SCHEDULE, now=MONDAY + timedelta(hours=1))
    with translation.override("en"):  # the scheduler's worker
        assert offer(checkpoint) == 2  # n managers, n messages
        assert offer(checkpoint) == 0  # offered again: nobody twice
    messages = {message.recipients[0]: message for message in Outbox.objects.filter(key__startswith="checkpoint:")}
    assert sorted(messages) == sorted([english.email, chinese_reader.email])
    link = f"{BASE_URL}/checkpoints/{checkpoint.sequence}/globex-ito.json"

    chinese = messages[chinese_reader.email]
    assert chinese.subject == f"globex-ito 的检查点 {checkpoint.sequence}：请保存"
    assert "2026-03-02 18:00 (Asia/Shanghai)" in chinese.body and link in chinese.body
    assert "Keep this message" not in chinese.body
    english_mail = messages[english.email]
    assert english_mail.subject == f"Checkpoint {checkpoint.sequence} of globex-ito: keep it"
    assert "signed by the provider at 2026-03-02 10:00 (UTC)." in english_mail.body and link in english_mail.body
    assert checkpoint.signature in chinese.body and checkpoint.signature in english_mail.body

    late = chinese_manager(world, "later@example.test")  # a manager who joins: offered the same state, alone
    assert offer(checkpoint) == 1
    offered = [message.recipients for message in Outbox.objects.filter(key__startswith="checkpoint:")]
    assert sorted(offered) == sorted([[english.email], [chinese_reader.email], [late.email]])

    assert send_pending_messages().sent == 3  # offered now, whenever the checkpoint was signed
    assert send_pending_messages().sent == 0
    assert all(len(item.envelope_to) == 1 for item in smtp.received)
    received = {item.envelope_to[0]: item.message for item in smtp.received}
    assert subject_of(received[chinese_reader.email]) == chinese.subject
    assert subject_of(received[english.email]) == english_mail.subject
