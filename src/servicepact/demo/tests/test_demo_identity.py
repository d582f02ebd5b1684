"""The demonstration's single sign-on, directory and mailbox: configured for Globex, switched off."""

from datetime import UTC, datetime

from servicepact.accounts.models import DirectorySource, IdentityProvider
from servicepact.accounts.sso import login_page_providers
from servicepact.demo.identity import prepare_identity_and_mail
from servicepact.demo.scenario import load_scenario
from servicepact.mailin.models import Mailbox


def test_globex_is_ready_for_single_sign_on_its_directory_and_mail(db):
    scenario = load_scenario(signed_at=datetime(2025, 12, 18, tzinfo=UTC))
    assert "switched off" in prepare_identity_and_mail(scenario)
    assert IdentityProvider.objects.get().organization.slug == "globex"
    assert DirectorySource.objects.get(enabled=False).organization.slug == "globex"
    assert Mailbox.objects.get(enabled=False).contract == scenario.contract
    assert not login_page_providers().exists()  # no button for a provider that is off
