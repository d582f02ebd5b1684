import pytest

from servicepact.accounts.models import User
from servicepact.permissions import principal_of


@pytest.mark.django_db
def test_user_logs_in_by_email_lowercased():
    user = User.objects.create_user("Mixed.Case@Example.TEST", "pw-123456789")
    assert user.email == "mixed.case@example.test"
    assert user.check_password("pw-123456789")


def test_principal_of_world_roles(world):
    agent = principal_of(world.people["agent"])
    assert agent.is_provider and agent.is_staff_member and "agent" in agent.roles
    requester = principal_of(world.people["requester"])
    assert requester.is_customer and not requester.is_staff_member
