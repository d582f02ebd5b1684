"""Single sign-on, the employee directory and the service desk's mailbox in the demonstration.

They are configured for Globex and switched off: the demonstration has no identity provider, directory or
mail server of Globex's to talk to. The platform's operator points them at real ones in Django's admin
and switches them on (docs/accounts.md, docs/mail.md).
"""

from servicepact.accounts.models import DirectorySource, IdentityProvider, Role
from servicepact.demo.scenario import Scenario
from servicepact.mailin.models import Mailbox


def prepare_identity_and_mail(scenario: Scenario) -> str:
    globex = scenario.organizations["globex"]
    IdentityProvider.objects.create(
        organization=globex,
        slug="globex-sso",
        name="Globex single sign-on",
        issuer="https://login.globex.example",
        client_id="servicepact",
        enabled=False,
    )
    DirectorySource.objects.create(
        organization=globex,
        slug="globex-directory",
        name="Globex directory",
        server_url="ldaps://ldap.globex.example:636",
        bind_dn="cn=servicepact,ou=services,dc=globex,dc=example",
        people_base="ou=people,dc=globex,dc=example",
        disabled_filter="(employeeType=disabled)",
        group_base="ou=groups,dc=globex,dc=example",
        role_mapping={"it-managers": Role.CUSTOMER_MANAGER},
        enabled=False,
    )
    Mailbox.objects.create(
        contract=scenario.contract,
        name="Globex service desk",
        address="servicedesk@globex.example",
        host="imap.globex.example",
        username="servicedesk@globex.example",
        password="",
        service=scenario.services["sap-erp"],
        enabled=False,
    )
    return (
        "demo: Globex's single sign-on, directory and service desk mailbox are configured and switched off "
        "until pointed at real servers."
    )
