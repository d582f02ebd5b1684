"""What the tests of mail to people share: the real SMTP server the outbox sends to, the service's address in
links, and readers who speak Chinese in Shanghai's zone. A test module imports the fixtures it uses."""

import pytest

from servicepact.accounts.models import Membership, Role
from servicepact.notify.tests.smtp_server import smtp_server
from servicepact.testing import factories

BASE_URL = "https://servicepact.example.test"


@pytest.fixture
def smtp(settings):
    with smtp_server() as inbox:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = inbox.host, inbox.port
        settings.EMAIL_TIMEOUT = 5
        settings.SERVICEPACT_BASE_URL = BASE_URL
        yield inbox


def chinese_person(organization, role: str, *, email: str, name: str, team=None):
    """A person of ``organization`` holding ``role`` who reads Chinese in Shanghai's zone."""
    person = factories.UserFactory(email=email, full_name=name, organization=organization, language="zh-hans")
    person.timezone = "Asia/Shanghai"
    person.save(update_fields=["timezone"])
    Membership.objects.create(user=person, organization=organization, team=team, role=role)
    return person


@pytest.fixture
def chinese_manager(world):
    return chinese_person(world.customer, Role.CUSTOMER_MANAGER, email="jingli@example.test", name="Li Jing")
