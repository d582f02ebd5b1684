"""Who gets which status from every API operation and web page: the expectations of test_authorization.

Statuses are given per person of the ``world`` fixture (src/servicepact/testing/fixtures.py) plus
``anonymous``. The ticket every ticket route works on is in application support China's queue (routed
there by the desk), has a public reply, an internal note and a public attachment; it was reported by
``requester`` of Globex and is followed by ``customer-manager``. A weekly report of Globex's contract
(2026-W10) is stored.

Reading the tables: ``Expect(default, overrides)`` gives ``default`` to everyone not named.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from servicepact.testing.factories import EXAMPLE_CONTRACT

PEOPLE = (
    "anonymous",
    "requester",
    "customer-manager",
    "security-resolver",
    "agent",
    "resolver",
    "team-lead",
    "analyst",
    "administrator",
    "vendor-engineer",
    "other-requester",
    "other-manager",
    "no-role",
)

# Who sees the ticket: its requester, the customer's managers, every provider person with a role.
SEES_TICKET = ("requester", "customer-manager", "agent", "resolver", "team-lead", "analyst", "administrator")
# can_work_ticket: the provider's staff (agents, resolvers, team leads, administrators).
WORKS_TICKET = ("agent", "resolver", "team-lead", "administrator")
# can_triage: the provider's agents, team leads and administrators.
TRIAGES = ("agent", "team-lead", "administrator")
# can_reply / can_reopen / can_close: the handlers and the requester's side.
REQUESTER_SIDE = ("requester", "customer-manager")
# People with a role in an organization that is a party to Globex's contract.
GLOBEX_PARTIES = (
    "requester",
    "customer-manager",
    "security-resolver",
    "agent",
    "resolver",
    "team-lead",
    "analyst",
    "administrator",
    "vendor-engineer",
)
WITH_A_ROLE = GLOBEX_PARTIES + ("other-requester", "other-manager")
SIGNED_IN = WITH_A_ROLE + ("no-role",)
# Readers of Globex's stored reports (servicepact/permissions/reports.py).
REPORT_READERS = ("customer-manager", "agent", "resolver", "team-lead", "analyst", "administrator")
# can_restate: either party's customer managers, reporting analysts and administrators.
RESTATES = ("customer-manager", "analyst", "administrator")
# can_see_restatements: those, and the staff who work the ticket.
READS_RESTATEMENTS = RESTATES + WORKS_TICKET
# reads_contract_text: the customer's and the provider's managers, analysts, administrators, agents, team leads.
TEXT_READERS = ("customer-manager", "agent", "team-lead", "analyst", "administrator")
# can_register_version: either party's administrators and the customer's managers; can_sign: the customer by
# a manager or an administrator, the provider by an administrator.
CONTRACT_SIGNERS = ("customer-manager", "administrator")
# Version 2 of Globex's contract, as the registering operations send it (version 1 is signed).
SECOND_VERSION = EXAMPLE_CONTRACT.read_text().replace("version: 1\n", "version: 2\n", 1)
# Principal.is_staff_member: agents, resolvers, team leads, administrators, of any organization.
STAFF = ("security-resolver", "agent", "resolver", "team-lead", "administrator", "vendor-engineer")


@dataclass(frozen=True)
class Expect:
    default: int
    overrides: dict[str, int] = field(default_factory=dict)

    def status_for(self, person: str) -> int:
        return self.overrides.get(person, self.default)


def given(default: int, *groups: tuple[Iterable[str], int], **people: int) -> Expect:
    """``default`` for all, then each (people, status) group in order, then single people by keyword."""
    overrides: dict[str, int] = {}
    for members, status in groups:
        overrides.update(dict.fromkeys(members, status))
    overrides.update({name.replace("_", "-"): status for name, status in people.items()})
    return Expect(default, overrides)


def on_ticket(allowed_status: int, allowed: Iterable[str], anonymous: int = 401) -> Expect:
    """A ticket operation: unseen ticket 404, seen but not allowed 403, allowed ``allowed_status``."""
    return given(404, (SEES_TICKET, 403), (allowed, allowed_status), anonymous=anonymous)


# Every API operation, by operation id. A new operation without a line here fails the test.
API = {
    "whoami": given(200, anonymous=401),
    "list_organizations": given(200, anonymous=401),
    "list_teams": given(200, anonymous=401, no_role=403),
    "get_team": given(200, (("other-requester", "other-manager"), 404), anonymous=401, no_role=403),
    "list_people": given(200, anonymous=401, no_role=403),
    "list_tokens": given(200, anonymous=401),
    "create_token": given(201, anonymous=401),
    # The token belongs to the requester; another person's token is not found.
    "revoke_token": given(404, anonymous=401, requester=204),
    "list_contracts": given(200, anonymous=401, no_role=403),
    # Someone with no role sees no contract at all: 404 like any contract not theirs.
    "get_contract": given(404, (GLOBEX_PARTIES, 200), anonymous=401),
    "list_contract_versions": given(404, (GLOBEX_PARTIES, 200), anonymous=401),
    # The text holds the commercials: not for requesters, resolvers or other vendors.
    "get_contract_version": given(
        404,
        (GLOBEX_PARTIES, 403),
        (("customer-manager", "agent", "team-lead", "analyst", "administrator"), 200),
        anonymous=401,
    ),
    "diff_contract_version": given(404, (GLOBEX_PARTIES, 403), (TEXT_READERS, 200), anonymous=401),
    # Registers version 2 as a draft.
    "register_contract_version": given(404, (GLOBEX_PARTIES, 403), (CONTRACT_SIGNERS, 201), anonymous=401),
    # Version 1 is signed by both parties: allowed, and refused by the rules (409).
    "sign_contract_version": given(404, (GLOBEX_PARTIES, 403), (CONTRACT_SIGNERS, 409), anonymous=401),
    "list_tickets": given(200, anonymous=401),
    "get_ticket": on_ticket(200, SEES_TICKET),
    "list_ticket_events": on_ticket(200, SEES_TICKET),
    "list_ticket_clocks": on_ticket(200, SEES_TICKET),
    # Globex's people and the provider's desk may report; another tenant does not know the contract (422);
    # the vendor and provider people without a triage role may not (403).
    "create_ticket": given(
        403,
        (("requester", "customer-manager", "security-resolver") + TRIAGES, 201),
        (("other-requester", "other-manager"), 422),
        anonymous=401,
    ),
    "transition_ticket": on_ticket(200, WORKS_TICKET),
    "reply_to_ticket": on_ticket(201, WORKS_TICKET + REQUESTER_SIDE),
    "add_ticket_note": on_ticket(201, WORKS_TICKET),
    "assign_ticket": on_ticket(200, WORKS_TICKET),
    # Allowed, and refused by the rules: the matrix already sent it where it is (409).
    "route_ticket": on_ticket(409, TRIAGES),
    "change_ticket_priority": on_ticket(200, TRIAGES),
    "correct_ticket_classification": on_ticket(200, TRIAGES),
    "resolve_ticket": on_ticket(200, WORKS_TICKET),
    # Allowed, and refused by the rules: the ticket is not resolved (409).
    "reopen_ticket": on_ticket(409, WORKS_TICKET + REQUESTER_SIDE),
    "close_ticket": on_ticket(409, WORKS_TICKET + REQUESTER_SIDE),
    "add_ticket_attachment": on_ticket(201, WORKS_TICKET + REQUESTER_SIDE),
    "list_ticket_links": on_ticket(200, SEES_TICKET),
    # Allowed, and refused by the rules: the other ticket does not exist (422), nor does the link (404).
    "link_ticket": on_ticket(422, WORKS_TICKET),
    "remove_ticket_link": on_ticket(404, WORKS_TICKET),
    "merge_ticket": on_ticket(422, WORKS_TICKET),
    "update_ticket": on_ticket(200, WORKS_TICKET),
    "set_ticket_assignee": on_ticket(200, WORKS_TICKET),
    # The requester is added as a watcher: they may add themselves, the handlers may add anyone.
    "add_ticket_watcher": on_ticket(200, WORKS_TICKET + ("requester",)),
    # The customer manager, who follows the ticket, is removed: by themselves or by the handlers.
    "remove_ticket_watcher": on_ticket(200, WORKS_TICKET + ("customer-manager",)),
    # Stored reports carry the commercials: the provider's people with a role and the customer's managers.
    "list_reports": given(200, anonymous=401, no_role=403),
    "get_report": given(404, (REPORT_READERS, 200), anonymous=401),
    # Restating the stored week changes nothing in it: allowed, and refused by the rules (409).
    "restate_report": given(404, (REPORT_READERS, 403), (("analyst", "administrator"), 409), anonymous=401),
    "list_ticket_restatements": on_ticket(200, READS_RESTATEMENTS),
    # The world's contract has one version, the ticket's own: allowed, and refused as no other version (422).
    "restate_ticket": on_ticket(422, RESTATES),
}


@dataclass(frozen=True)
class TeamKey:
    """A form value that is the primary key of the team with this slug."""

    slug: str


@dataclass(frozen=True)
class Page:
    """A web page's expectation: the method used, the form sent, and the statuses."""

    expect: Expect
    method: str = "GET"
    data: dict = field(default_factory=dict)


LOGIN = 302  # anonymous people are sent to the login page


def page_on_ticket(allowed_status: int, allowed: Iterable[str]) -> Expect:
    return given(404, (SEES_TICKET, 403), (allowed, allowed_status), anonymous=LOGIN)


# Every web page, by URL name. A page without a line here falls back to its namespace's rule below.
PAGES = {
    "runtime:healthz": Page(given(200)),
    "accounts:login": Page(given(302, anonymous=200)),
    "accounts:logout": Page(given(302), method="POST"),
    "accounts:profile": Page(given(200, anonymous=LOGIN)),
    "accounts:language": Page(given(302), method="POST", data={"language": "zh-hans"}),
    "accounts:tokens": Page(given(200, anonymous=LOGIN)),
    "accounts:revoke_token": Page(given(404, anonymous=LOGIN, requester=302), method="POST"),
    # Single sign-on: an unknown provider is not found; a return without a chosen provider goes to the login.
    "accounts:sso_login": Page(given(404)),
    "accounts:sso_callback": Page(given(302)),
    # The directory page: an organization's administrators; the POST without a directory chosen is refused.
    "organization:directory": Page(given(403, administrator=200, anonymous=LOGIN)),
    # Inbound mail: the administrators' page; the scene holds no mail, so a retry finds none.
    "mailin:inbound": Page(given(403, administrator=200, anonymous=LOGIN)),
    "mailin:retry": Page(given(404, anonymous=LOGIN), method="POST"),
    "set_language": Page(given(302), method="POST", data={"language": "en"}),
    "desk:home": Page(given(302)),
    "desk:favicon": Page(given(301)),
    "desk:matrix": Page(given(403, (STAFF, 200), anonymous=LOGIN)),
    "desk:bulk": Page(given(403, (STAFF, 302), anonymous=LOGIN), "POST", {"action": "route"}),
    "desk:save_view": Page(given(403, (STAFF, 302), anonymous=LOGIN), "POST", {"name": "Mine", "query": "priority=P1"}),
    "desk:portal": Page(given(200, anonymous=LOGIN)),
    # Queues are for those who work tickets; everybody else has the portal.
    "desk:queue": Page(given(403, (STAFF, 200), anonymous=LOGIN)),
    "desk:ticket": Page(page_on_ticket(200, SEES_TICKET)),
    "desk:attachment": Page(given(404, (SEES_TICKET, 200), anonymous=LOGIN)),
    # Forms carry the action's name as prefix; a refusal by the rules re-renders the form with 422.
    "desk:reply": Page(page_on_ticket(302, WORKS_TICKET + REQUESTER_SIDE), "POST", {"reply-body": "Any news?"}),
    "desk:note": Page(page_on_ticket(302, WORKS_TICKET), "POST", {"note-body": "Checked the logs."}),
    "desk:route": Page(page_on_ticket(422, TRIAGES), "POST"),
    "desk:assign": Page(
        page_on_ticket(302, WORKS_TICKET), "POST", {"assign-team": TeamKey("globex-security"), "assign-reason": "SSO"}
    ),
    "desk:status": Page(page_on_ticket(302, WORKS_TICKET), "POST", {"status-status": "in_progress"}),
    "desk:priority": Page(
        page_on_ticket(302, TRIAGES),
        "POST",
        {"priority-impact": "high", "priority-urgency": "high", "priority-reason": "Plant stopped"},
    ),
    "desk:correct": Page(
        page_on_ticket(302, TRIAGES),
        "POST",
        {"correct-service": "sso", "correct-category": "", "correct-reason": "An SSO certificate"},
    ),
    "desk:resolve": Page(page_on_ticket(302, WORKS_TICKET), "POST", {"resolve-resolution": "Fixed."}),
    "desk:reopen": Page(page_on_ticket(422, WORKS_TICKET + REQUESTER_SIDE), "POST", {"reopen-reason": "Again"}),
    "desk:close": Page(page_on_ticket(422, WORKS_TICKET + REQUESTER_SIDE), "POST"),
    "desk:attach": Page(page_on_ticket(302, WORKS_TICKET + REQUESTER_SIDE), "POST", {"attach-public": "on"}),
    "desk:watch": Page(page_on_ticket(302, SEES_TICKET), "POST"),
    # Related tickets: posted empty, the handlers' forms come back with their errors (422).
    "desk:link": Page(page_on_ticket(422, WORKS_TICKET), "POST"),
    "desk:unlink": Page(page_on_ticket(422, WORKS_TICKET), "POST"),
    "desk:merge": Page(page_on_ticket(422, WORKS_TICKET), "POST"),
    # Deleting a saved view asks first; with no view of one's own named, there is none to delete.
    "desk:delete_view": Page(given(403, (STAFF, 404), anonymous=LOGIN)),
    # Reports: everyone signed in has the list (holding only what they may read); one report is for its readers.
    "slm:reports": Page(given(200, anonymous=LOGIN)),
    "slm:report_restate": Page(
        given(404, (REPORT_READERS, 403), (("analyst", "administrator"), 302), anonymous=LOGIN),
        "POST",
        {"reason": "Calendar corrected"},
    ),
    "slm:ticket_restate": Page(
        page_on_ticket(422, RESTATES), "POST", {"restate-version": "1", "restate-reason": "Calendar corrected"}
    ),
    "admin:index": Page(given(302)),
    "admin:login": Page(given(200)),
}

# A stored report, its downloads, and the contract's trends and backtest: its readers, else not found.
REPORT_PAGES = (
    "report",
    "report_drilldown",
    "report_json",
    "report_contract",
    "report_contract_version",
    "report_events",
    "report_outages",
    "report_csv",
    "report_xlsx",
    "report_pdf",
    "report_trends",
    "backtest",
)
PAGES.update({f"slm:{name}": Page(given(404, (REPORT_READERS, 200), anonymous=LOGIN)) for name in REPORT_PAGES})
# A backtest and a prepared download are their starter's (the analyst's); anyone else does not find them.
PAGES.update(
    {
        f"slm:{name}": Page(given(404, analyst=200, anonymous=LOGIN))
        for name in ("backtest_run", "backtest_state", "download", "download_file")
    }
)

# Contract pages show the text (the commercials): for those who read it; another tenant's contract is not found.
PAGES.update(
    {
        # Initech's manager reads Initech's contract, so has the list (without Globex's).
        "contracts:list": Page(given(403, (TEXT_READERS + ("other-manager",), 200), anonymous=LOGIN)),
        "contracts:contract": Page(given(404, (GLOBEX_PARTIES, 403), (TEXT_READERS, 200), anonymous=LOGIN)),
        "contracts:version": Page(given(404, (GLOBEX_PARTIES, 403), (TEXT_READERS, 200), anonymous=LOGIN)),
        "contracts:register": Page(
            given(404, (GLOBEX_PARTIES, 403), (CONTRACT_SIGNERS, 302), anonymous=LOGIN),
            "POST",
            {"source": SECOND_VERSION},
        ),
        # Each signs for their own side; version 1 is signed already: refused by the rules, the page again (422).
        "contracts:sign": Page(
            given(404, (GLOBEX_PARTIES, 403), (CONTRACT_SIGNERS, 422), anonymous=LOGIN), "POST", {"sha256": "0" * 64}
        ),
    }
)


# An organization's administration: its own administrators only (the world's is the provider's). A person, role,
# team or routing rule the person sees but does not administer is forbidden; one they do not see, not found.
ADMINISTRATOR_ONLY = given(403, anonymous=LOGIN, administrator=200)
# The sample person is the provider's resolver; the requester sees them (they replied on the ticket).
ON_PERSON = ((("vendor-engineer", "other-requester", "no-role"), 404),)
# The sample rule is the SSO rule of Globex's contract: seen by the parties' people with a role beyond requester.
ON_RULE = ((GLOBEX_PARTIES, 403),)
PAGES.update(
    {
        "accounts:set_password": Page(given(200)),  # a link that does not work says so, to anyone
        "accounts:two_factor": Page(given(200, anonymous=LOGIN)),
        "accounts:two_factor_setup": Page(given(200, anonymous=LOGIN)),
        # Nobody in the world has a second factor: the verification sends them on.
        "accounts:two_factor_verify": Page(given(302)),
        "accounts:two_factor_backup_codes": Page(given(302), method="POST"),
        "accounts:two_factor_remove": Page(given(302), method="POST"),
        # Nobody in the world has a passkey: the one named is nobody's.
        "accounts:passkey_remove": Page(given(404, anonymous=LOGIN), method="POST"),
        # The passkey ceremonies (django-otp-webauthn) answer JSON; without a ceremony begun, completing fails.
        "otp_webauthn:credential-registration-begin": Page(given(200, anonymous=LOGIN), method="POST"),
        "otp_webauthn:credential-registration-complete": Page(given(400, anonymous=LOGIN), method="POST"),
        "otp_webauthn:credential-authentication-begin": Page(given(200, anonymous=LOGIN), method="POST"),
        "otp_webauthn:credential-authentication-complete": Page(given(400, anonymous=LOGIN), method="POST"),
        "otp_webauthn:js-i18n-catalog": Page(given(200)),
        "organization:overview": Page(ADMINISTRATOR_ONLY),
        "organization:people": Page(ADMINISTRATOR_ONLY),
        "organization:person_new": Page(ADMINISTRATOR_ONLY),
        "organization:teams": Page(ADMINISTRATOR_ONLY),
        "organization:tokens": Page(ADMINISTRATOR_ONLY),
        "organization:routing": Page(ADMINISTRATOR_ONLY),
        "organization:person": Page(given(403, *ON_PERSON, anonymous=LOGIN, administrator=200)),
        "organization:person_change": Page(
            given(403, *ON_PERSON, anonymous=LOGIN, administrator=302),
            "POST",
            {
                "person-full_name": "Li Resolver",
                "person-timezone": "Asia/Shanghai",
                "person-language": "zh-hans",
                "person-identity_source": "local",
                "person-phone": "",
                "person-external_id": "",
            },
        ),
        "organization:person_role_add": Page(
            given(403, *ON_PERSON, anonymous=LOGIN, administrator=302),
            "POST",
            {"role-role": "agent", "role-team": TeamKey("service-desk")},
        ),
        "organization:person_deactivate": Page(given(403, *ON_PERSON, anonymous=LOGIN, administrator=302), "POST"),
        # The resolver is active: allowed, refused by the rules with a message on their page.
        "organization:person_reactivate": Page(given(403, *ON_PERSON, anonymous=LOGIN, administrator=302), "POST"),
        "organization:person_unlock": Page(given(403, *ON_PERSON, anonymous=LOGIN, administrator=302), "POST"),
        "organization:person_two_factor_reset": Page(
            given(403, *ON_PERSON, anonymous=LOGIN, administrator=302), "POST"
        ),
        "organization:person_password_link": Page(given(403, *ON_PERSON, anonymous=LOGIN, administrator=200), "POST"),
        "organization:membership_remove": Page(given(403, *ON_PERSON, anonymous=LOGIN, administrator=302), "POST"),
        "organization:team": Page(given(403, anonymous=LOGIN, administrator=200, no_role=404)),
        # The requester's own token: they may revoke it here too; nobody else sees it.
        "organization:token_revoke": Page(given(404, anonymous=LOGIN, requester=302), "POST"),
        "organization:routing_rule": Page(given(404, *ON_RULE, anonymous=LOGIN, requester=404, administrator=200)),
        "organization:routing_rule_delete": Page(
            given(404, *ON_RULE, anonymous=LOGIN, requester=404, administrator=302), "POST"
        ),
        # Sign-in settings: the world's organizations have no identity provider and no directory, so the pages
        # of one are not found (src/servicepact/accounts/tests/test_sign_in_settings.py tries them with one).
        "organization:sign_in": Page(ADMINISTRATOR_ONLY),
        "organization:provider_new": Page(ADMINISTRATOR_ONLY),
        "organization:directory_new": Page(ADMINISTRATOR_ONLY),
        "organization:provider": Page(given(404, anonymous=LOGIN)),
        "organization:provider_test": Page(given(404, anonymous=LOGIN), "POST"),
        "organization:directory_source": Page(given(404, anonymous=LOGIN)),
        "organization:directory_test": Page(given(404, anonymous=LOGIN), "POST"),
    }
)


# Checkpoints of the event logs: the page for whoever reads some contract's reports (Initech's manager reads
# Initech's); Globex's copy of checkpoint 1 (taken with the stored report) and Globex's events with their hashes
# for the readers of Globex's reports, else not found; the provider's public key for anyone.
PAGES.update(
    {
        "evidence:checkpoints": Page(given(403, (REPORT_READERS + ("other-manager",), 200), anonymous=LOGIN)),
        "evidence:copy": Page(given(404, (REPORT_READERS, 200), anonymous=LOGIN)),
        # The worker writes the events: the readers are sent to the page that follows it.
        "evidence:events": Page(given(404, (REPORT_READERS, 302), anonymous=LOGIN)),
        "evidence:public_key": Page(given(200)),
    }
)


@dataclass(frozen=True)
class NamespaceRule:
    """What every page of a namespace must do when it has no line of its own in PAGES."""

    anonymous: int  # the status an anonymous GET gets
    ticket_hidden: int | None = 404  # the status for people who may not see the ticket named in the URL
    description: str = ""


NAMESPACE_RULES = {
    "desk": NamespaceRule(LOGIN, 404, "desk pages need login, and a ticket one may not see is 404"),
    "slm": NamespaceRule(LOGIN, 404, "service level pages need login and ticket visibility"),
    "accounts": NamespaceRule(LOGIN, None, "account pages need login"),
    "contracts": NamespaceRule(LOGIN, None, "contract pages need login"),
    "organization": NamespaceRule(LOGIN, None, "an organization's administration needs login"),
}

# Django's admin: its own views, all behind admin_view (staff only); only its entry pages are requested.
SKIPPED_NAMESPACES = {"api": "covered operation by operation through the API table", "admin": "Django's admin"}

# Imports of history (servicepact/permissions/imports.py): a run is read by those who read the contract's
# reports; starting one is for the administrators of the contract's customer or provider (the world's is the
# provider's). The scene holds one finished run of Globex's contract. Sent without a file, an import is
# allowed and refused by the rules (422).
API.update(
    {
        "list_imports": given(200, anonymous=401, no_role=403),
        "get_import": given(404, (REPORT_READERS, 200), anonymous=401),
        "create_import": given(404, (GLOBEX_PARTIES, 403), administrator=422, anonymous=401),
    }
)
PAGES.update(
    {
        "imports:list": Page(given(403, (REPORT_READERS + ("other-manager",), 200), anonymous=LOGIN)),
        "imports:new": Page(
            given(403, administrator=422, anonymous=LOGIN), "POST", {"tool": "servicenow", "dry_run": "on"}
        ),
        "imports:run": Page(given(404, (REPORT_READERS, 200), anonymous=LOGIN)),
        "imports:progress": Page(given(404, (REPORT_READERS, 200), anonymous=LOGIN)),
    }
)
NAMESPACE_RULES["imports"] = NamespaceRule(LOGIN, None, "import pages need login")

# Capacity from demand (servicepact/capacity): computed from the tickets the reports count, for their readers;
# another tenant's contract is not found.
API["get_capacity"] = given(404, (REPORT_READERS, 200), anonymous=401)
PAGES["capacity:contract"] = Page(given(404, (REPORT_READERS, 200), anonymous=LOGIN))
NAMESPACE_RULES["capacity"] = NamespaceRule(LOGIN, 404, "capacity pages need login and the contract's reports")

# Dashboards (servicepact/permissions/dashboards.py): a team lead's over their own teams, a customer manager's
# over their own organization (Initech's manager sees Initech's); "home" sends each to theirs.
PAGES.update(
    {
        "dashboards:home": Page(given(403, (("team-lead", "customer-manager", "other-manager"), 302), anonymous=LOGIN)),
        "dashboards:lead": Page(given(403, team_lead=200, anonymous=LOGIN)),
        "dashboards:customer": Page(given(403, (("customer-manager", "other-manager"), 200), anonymous=LOGIN)),
    }
)
NAMESPACE_RULES["dashboards"] = NamespaceRule(LOGIN, None, "dashboards need login and their role")

# Outages of Globex's services (servicepact/permissions/availability.py): both parties read them (their people
# with a role beyond requester); the provider's staff record and end them. The scene holds one open outage of
# SAP ERP. A record sent with no form values is allowed and refused by the rules (422).
OUTAGE_READERS = ("customer-manager", "security-resolver", "agent", "resolver", "team-lead", "analyst", "administrator")
OUTAGE_RECORDERS = WORKS_TICKET
API.update(
    {
        "list_outages": given(404, (GLOBEX_PARTIES, 403), (OUTAGE_READERS, 200), anonymous=401),
        "record_outage": given(404, (GLOBEX_PARTIES, 403), (OUTAGE_RECORDERS, 201), anonymous=401),
        "get_outage": given(404, (OUTAGE_READERS, 200), anonymous=401),
        "end_outage": given(404, (OUTAGE_READERS, 403), (OUTAGE_RECORDERS, 200), anonymous=401),
        "correct_outage": given(404, (OUTAGE_READERS, 403), (OUTAGE_RECORDERS, 200), anonymous=401),
    }
)
PAGES.update(
    {
        "availability:outages": Page(given(404, (GLOBEX_PARTIES, 403), (OUTAGE_READERS, 200), anonymous=LOGIN)),
        "availability:record": Page(
            given(404, (GLOBEX_PARTIES, 403), (OUTAGE_RECORDERS, 422), anonymous=LOGIN), "POST"
        ),
        "availability:outage": Page(given(404, (OUTAGE_READERS, 200), anonymous=LOGIN)),
        "availability:end": Page(
            given(404, (OUTAGE_READERS, 403), (OUTAGE_RECORDERS, 302), anonymous=LOGIN),
            "POST",
            {"end-end": "2026-03-10T11:00"},
        ),
    }
)
NAMESPACE_RULES["availability"] = NamespaceRule(LOGIN, None, "outage pages need login")


# Problems and major incidents (servicepact/permissions/problems.py, major_incidents.py): read by the contract's
# readers of its tickets organization-wide (the provider's people with a role, the customer's managers); problems
# are worked by the provider's staff, major incidents run by its team leads and administrators, the recurrence
# threshold set by the provider's team leads and administrators (and the customer's administrators). The scene
# holds a problem raised from the ticket with its known error, an open suggestion and an active major incident
# (tests/authorization_problems.py). A ticket number, item, change or known error that does not exist is refused (422).
PROBLEM_READERS = REPORT_READERS
PROBLEM_WORKERS = WORKS_TICKET
COMMANDERS = ("team-lead", "administrator")
API.update(
    {
        "list_problems": given(200, anonymous=401, no_role=403),
        "get_problem": given(404, (PROBLEM_READERS, 200), anonymous=401),
        "create_problem": given(
            403, (PROBLEM_WORKERS, 201), (("other-requester", "other-manager"), 422), anonymous=401
        ),
        "diagnose_problem": given(404, (PROBLEM_READERS, 403), (PROBLEM_WORKERS, 200), anonymous=401),
        "link_problem_incidents": given(404, (PROBLEM_READERS, 403), (PROBLEM_WORKERS, 422), anonymous=401),
        "publish_known_error": given(404, (PROBLEM_READERS, 403), (PROBLEM_WORKERS, 200), anonymous=401),
        "close_problem": given(404, (PROBLEM_READERS, 403), (PROBLEM_WORKERS, 200), anonymous=401),
        "link_problem_change": given(404, (PROBLEM_READERS, 403), (PROBLEM_WORKERS, 422), anonymous=401),
        "link_problem_items": given(404, (PROBLEM_READERS, 403), (PROBLEM_WORKERS, 422), anonymous=401),
        "raise_problem_suggestion": given(404, (PROBLEM_READERS, 403), (PROBLEM_WORKERS, 201), anonymous=401),
        "dismiss_problem_suggestion": given(404, (PROBLEM_READERS, 403), (PROBLEM_WORKERS, 200), anonymous=401),
        "get_problem_recurrence": given(404, (GLOBEX_PARTIES, 403), (PROBLEM_READERS, 200), anonymous=401),
        "set_problem_recurrence": given(404, (GLOBEX_PARTIES, 403), (COMMANDERS, 200), anonymous=401),
        "list_known_errors": given(200, anonymous=401, no_role=403),
        "match_ticket_known_errors": on_ticket(200, WORKS_TICKET),
        "link_ticket_known_error": on_ticket(422, WORKS_TICKET),
        "list_problem_suggestions": given(200, anonymous=401, no_role=403),
        "list_major_incidents": given(200, anonymous=401, no_role=403),
        "get_major_incident": given(404, (PROBLEM_READERS, 200), anonymous=401),
        "declare_major_incident": given(
            403, (COMMANDERS, 201), (("other-requester", "other-manager"), 422), anonymous=401
        ),
        "post_major_incident_update": given(404, (PROBLEM_READERS, 403), (COMMANDERS, 201), anonymous=401),
        "add_major_incident_services": given(404, (PROBLEM_READERS, 403), (COMMANDERS, 200), anonymous=401),
        "link_major_incident_incidents": given(404, (PROBLEM_READERS, 403), (COMMANDERS, 422), anonymous=401),
        "resolve_major_incident": given(404, (PROBLEM_READERS, 403), (COMMANDERS, 200), anonymous=401),
        # The major incident is active: its review is allowed and refused by the rules (422).
        "review_major_incident": given(404, (PROBLEM_READERS, 403), (COMMANDERS, 422), anonymous=401),
    }
)
LISTS_PROBLEMS = given(403, (PROBLEM_READERS + ("other-manager",), 200), anonymous=LOGIN)
ON_PROBLEM = ((PROBLEM_READERS, 403),)
PAGES.update(
    {
        "problems:list": Page(LISTS_PROBLEMS),
        "problems:known_errors": Page(LISTS_PROBLEMS),
        "problems:suggestions": Page(LISTS_PROBLEMS),
        "problems:new": Page(given(403, (PROBLEM_WORKERS, 422), anonymous=LOGIN), "POST", {"title": "No contract"}),
        "problems:problem": Page(given(404, (PROBLEM_READERS, 200), anonymous=LOGIN)),
        "problems:known_error": Page(given(404, (PROBLEM_READERS, 200), anonymous=LOGIN)),
        "problems:diagnose": Page(
            given(404, *ON_PROBLEM, (PROBLEM_WORKERS, 302), anonymous=LOGIN),
            "POST",
            {"diagnose-cause": "configuration", "diagnose-workaround": "Open the posting period"},
        ),
        "problems:publish": Page(
            given(404, *ON_PROBLEM, (PROBLEM_WORKERS, 302), anonymous=LOGIN),
            "POST",
            {"known-symptoms": "F5 201 on posting", "known-workaround": "Open the posting period"},
        ),
        "problems:incidents": Page(
            given(404, *ON_PROBLEM, (PROBLEM_WORKERS, 422), anonymous=LOGIN),
            "POST",
            {"incidents-incidents": "INC9999999"},
        ),
        "problems:items": Page(
            given(404, *ON_PROBLEM, (PROBLEM_WORKERS, 422), anonymous=LOGIN), "POST", {"items-items": "sap-prod-db"}
        ),
        "problems:fix": Page(
            given(404, *ON_PROBLEM, (PROBLEM_WORKERS, 422), anonymous=LOGIN), "POST", {"fix-change": "CHG9999999"}
        ),
        "problems:close": Page(
            given(404, *ON_PROBLEM, (PROBLEM_WORKERS, 302), anonymous=LOGIN), "POST", {"close-closure": "Patched"}
        ),
        "problems:suggestion_raise": Page(
            given(404, *ON_PROBLEM, (PROBLEM_WORKERS, 302), anonymous=LOGIN), "POST", {"title": "Posting keeps failing"}
        ),
        "problems:suggestion_dismiss": Page(
            given(404, *ON_PROBLEM, (PROBLEM_WORKERS, 302), anonymous=LOGIN), "POST", {"reason": "A planned change"}
        ),
        "problems:recurrence": Page(
            given(404, (GLOBEX_PARTIES, 403), (COMMANDERS, 302), anonymous=LOGIN),
            "POST",
            {"threshold": "4", "window_days": "10"},
        ),
        # A known error that is not offered: the ticket's page again, with the error (nothing changes).
        "problems:ticket_link": Page(page_on_ticket(302, WORKS_TICKET), "POST", {"known_error": "0"}),
        "major_incidents:list": Page(LISTS_PROBLEMS),
        "major_incidents:declare": Page(
            given(403, (COMMANDERS, 422), anonymous=LOGIN), "POST", {"title": "No services"}
        ),
        "major_incidents:major_incident": Page(given(404, (PROBLEM_READERS, 200), anonymous=LOGIN)),
        "major_incidents:update": Page(
            given(404, *ON_PROBLEM, (COMMANDERS, 302), anonymous=LOGIN),
            "POST",
            {"update-text": "Failover in progress."},
        ),
        "major_incidents:services": Page(given(404, *ON_PROBLEM, (COMMANDERS, 422), anonymous=LOGIN), "POST"),
        "major_incidents:incidents": Page(
            given(404, *ON_PROBLEM, (COMMANDERS, 422), anonymous=LOGIN), "POST", {"incidents-incidents": "INC9999999"}
        ),
        "major_incidents:resolve": Page(
            given(404, *ON_PROBLEM, (COMMANDERS, 302), anonymous=LOGIN), "POST", {"resolve-resolution": "Failed over"}
        ),
        "major_incidents:review": Page(
            given(404, *ON_PROBLEM, (COMMANDERS, 422), anonymous=LOGIN),
            "POST",
            {"review-timeline": "09:12 Alerts", "review-cause": "Disk full", "review-actions": "Alert at 80 %"},
        ),
    }
)
NAMESPACE_RULES["problems"] = NamespaceRule(LOGIN, 404, "problem pages need login")
NAMESPACE_RULES["major_incidents"] = NamespaceRule(LOGIN, None, "major incident pages need login")

# Hours and invoices (servicepact/permissions/billing.py): the provider's staff log their own time, the
# customer's managers approve weeks, the provider's administrators and analysts issue invoices, the readers of
# the contract's reports read them. The world's contract has no billing section and no monthly report: the
# allowed writes are refused by the rules (422), and there is no invoice to find.
PROVIDER_STAFF = ("agent", "resolver", "team-lead", "administrator")
API.update(
    {
        "list_time_entries": given(200, anonymous=401, no_role=403),
        "create_time_entry": given(404, (GLOBEX_PARTIES, 403), (PROVIDER_STAFF, 422), anonymous=401),
        "approve_time_week": given(404, (GLOBEX_PARTIES, 403), customer_manager=422, anonymous=401),
        "list_invoices": given(404, (REPORT_READERS, 200), anonymous=401),
        "issue_invoice": given(404, (GLOBEX_PARTIES, 403), (("analyst", "administrator"), 422), anonymous=401),
        "get_invoice": given(404, anonymous=401),
        # The scene logged no hours: there is no entry to delete.
        "delete_time_entry": given(404, anonymous=401),
    }
)
PAGES.update(
    {
        "billing:index": Page(given(403, (PROVIDER_STAFF + REPORT_READERS + ("other-manager",), 200), anonymous=LOGIN)),
        "billing:time": Page(given(403, (PROVIDER_STAFF, 200), anonymous=LOGIN)),
        "billing:time_delete": Page(given(404, anonymous=LOGIN), "POST", {}),
        "billing:approvals": Page(given(404, (REPORT_READERS, 200), anonymous=LOGIN)),
        "billing:invoices": Page(given(404, (REPORT_READERS, 200), anonymous=LOGIN)),
        "billing:invoice": Page(given(404, anonymous=LOGIN)),
        "billing:invoice_pdf": Page(given(404, anonymous=LOGIN)),
        "billing:invoice_xlsx": Page(given(404, anonymous=LOGIN)),
    }
)
NAMESPACE_RULES["billing"] = NamespaceRule(LOGIN, None, "billing pages need login")


# The CMDB and change management (servicepact/permissions/cmdb.py, changes.py; the records in
# tests/authorization_cmdb.py). Items and changes are read by the contract's parties' people beyond requesters;
# items are kept by the customer's and provider's administrators and team leads; changes are raised by their
# staff and the customer's managers, decided by the board frozen onto the change (Globex's customer manager),
# implemented by the provider's staff. The change awaits approval: starting, finishing, reviewing or
# submitting it again is allowed and refused by the rules (409 in the API, 422 on the pages).
CMDB_READERS = tuple(person for person in GLOBEX_PARTIES if person != "requester")
CMDB_KEEPERS = ("team-lead", "administrator")
CHANGE_REQUESTERS = ("customer-manager", "security-resolver", "agent", "resolver", "team-lead", "administrator")
IMPLEMENTERS = ("agent", "resolver", "team-lead", "administrator")
CHANGE_REVIEWERS = CHANGE_REQUESTERS


def on_record(allowed_status: int, allowed, anonymous: int = 401) -> Expect:
    """An operation on a CMDB item, change or release: unseen 404, seen but not allowed 403."""
    return given(404, (CMDB_READERS, 403), (allowed, allowed_status), anonymous=anonymous)


def on_globex(allowed_status: int, allowed, anonymous: int = 401) -> Expect:
    """An operation on Globex's contract: its parties see it (403 unless allowed), others do not (404)."""
    return given(404, (GLOBEX_PARTIES, 403), (allowed, allowed_status), anonymous=anonymous)


API.update(
    {
        "list_configuration_items": given(200, anonymous=401, no_role=403),
        "get_configuration_item": on_record(200, CMDB_READERS),
        "create_configuration_item": on_globex(201, CMDB_KEEPERS),
        "update_configuration_item": on_record(200, CMDB_KEEPERS),
        "get_configuration_item_impact": on_record(200, CMDB_READERS),
        "list_configuration_item_relationships": on_record(200, CMDB_READERS),
        "relate_configuration_items": on_record(201, CMDB_KEEPERS),
        "delete_configuration_relationship": on_record(204, CMDB_KEEPERS),
        # Sent without a file: allowed, and refused by the rules (422).
        "import_configuration_items": on_globex(422, CMDB_KEEPERS),
        "export_configuration_items": on_globex(200, CMDB_READERS),
        "list_ticket_items": on_ticket(200, SEES_TICKET),
        "link_ticket_item": on_ticket(201, WORKS_TICKET),
        "unlink_ticket_item": on_ticket(204, WORKS_TICKET),
        "list_changes": given(200, anonymous=401, no_role=403),
        "get_change": on_record(200, CMDB_READERS),
        "create_change": on_globex(201, CHANGE_REQUESTERS),
        "submit_change": on_record(409, CHANGE_REQUESTERS),
        "decide_change": on_record(200, ("customer-manager",)),
        "start_change": on_record(409, IMPLEMENTERS),
        "finish_change": on_record(409, IMPLEMENTERS),
        "review_change": on_record(409, CHANGE_REVIEWERS),
        "cancel_change": on_record(200, CHANGE_REQUESTERS),
        "add_change_task": on_record(201, CHANGE_REVIEWERS),
        "complete_change_task": on_record(200, IMPLEMENTERS),
        # No such ticket: allowed, and refused by the rules (422).
        "link_change_ticket": on_record(422, CHANGE_REQUESTERS),
        "list_releases": given(200, anonymous=401, no_role=403),
        "get_release": on_record(200, CMDB_READERS),
        "create_release": on_globex(201, CHANGE_REQUESTERS),
        "deploy_release": on_record(201, CHANGE_REQUESTERS),
        # No such change: allowed, and refused by the rules (422).
        "add_release_change": on_record(422, CHANGE_REQUESTERS),
    }
)
# Initech's manager reads Initech's CMDB and may raise changes there.
LISTS_RECORDS = given(403, (CMDB_READERS + ("other-manager",), 200), anonymous=LOGIN)
RAISES_SOMEWHERE = given(403, (CHANGE_REQUESTERS + ("other-manager",), 200), anonymous=LOGIN)


def page_on_record(allowed_status: int, allowed) -> Expect:
    return given(404, (CMDB_READERS, 403), (allowed, allowed_status), anonymous=LOGIN)


PAGES.update(
    {
        "cmdb:items": Page(LISTS_RECORDS),
        "cmdb:new_item": Page(given(403, (CMDB_KEEPERS, 200), anonymous=LOGIN)),
        "cmdb:import": Page(given(403, (CMDB_KEEPERS, 200), anonymous=LOGIN)),
        "cmdb:export": Page(given(404, (GLOBEX_PARTIES, 403), (CMDB_READERS, 200), anonymous=LOGIN)),
        "cmdb:item": Page(page_on_record(200, CMDB_READERS)),
        "cmdb:edit_item": Page(page_on_record(200, CMDB_KEEPERS)),
        "cmdb:relate": Page(page_on_record(302, CMDB_KEEPERS), "POST", {"kind": "connects_to", "target": "srv-2"}),
        "cmdb:unrelate": Page(page_on_record(302, CMDB_KEEPERS), "POST"),
        "cmdb:link_ticket": Page(page_on_ticket(302, WORKS_TICKET), "POST", {"item": "srv-2"}),
        "cmdb:unlink_ticket": Page(page_on_ticket(302, WORKS_TICKET), "POST"),
        "changes:list": Page(LISTS_RECORDS),
        "changes:calendar": Page(LISTS_RECORDS),
        "changes:releases": Page(LISTS_RECORDS),
        "changes:new": Page(RAISES_SOMEWHERE),
        "changes:new_release": Page(RAISES_SOMEWHERE),
        "changes:change": Page(page_on_record(200, CMDB_READERS)),
        "changes:release": Page(page_on_record(200, CMDB_READERS)),
        "changes:submit": Page(page_on_record(422, CHANGE_REQUESTERS), "POST"),
        "changes:decide": Page(
            page_on_record(302, ("customer-manager",)),
            "POST",
            {"decide-decision": "approve", "decide-comment": "Fine."},
        ),
        "changes:start": Page(page_on_record(422, IMPLEMENTERS), "POST"),
        "changes:finish": Page(page_on_record(422, IMPLEMENTERS), "POST", {"finish-outcome": "successful"}),
        "changes:review": Page(page_on_record(422, CHANGE_REVIEWERS), "POST", {"review-review": "Fine."}),
        "changes:cancel": Page(page_on_record(302, CHANGE_REQUESTERS), "POST"),
        "changes:task": Page(page_on_record(302, CHANGE_REVIEWERS), "POST", {"task-title": "Take a backup"}),
        "changes:task_done": Page(page_on_record(302, IMPLEMENTERS), "POST"),
        "changes:link": Page(
            page_on_record(422, CHANGE_REQUESTERS), "POST", {"link-ticket": "INC9999999", "link-relation": "fixes"}
        ),
        "changes:deploy": Page(
            page_on_record(302, CHANGE_REQUESTERS), "POST", {"deploy-environment": "test", "deploy-succeeded": "on"}
        ),
        "changes:add_change": Page(page_on_record(422, CHANGE_REQUESTERS), "POST", {"add-change": "999999"}),
    }
)
NAMESPACE_RULES["cmdb"] = NamespaceRule(LOGIN, 404, "CMDB pages need login")
NAMESPACE_RULES["changes"] = NamespaceRule(LOGIN, None, "change pages need login")


# Shifts, on-call and webhooks (servicepact/permissions/rosters.py, oncall.py, webhooks.py). Application support
# China (the provider's) is the sample team: everyone with a role sees it (the provider works for Globex and
# Initech); its shifts and rotations are planned by its leads and the provider's administrators. The scene holds
# a triggered page of that team, seen and answered by the provider's staff, and a webhook of the provider, for
# the provider's administrators only. A handover is allowed for the team's staff and refused by the rules (no
# follow-the-sun rule names the team: 409); an answer sent with no choice is refused with a message (302).
PROVIDER_STAFF = ("agent", "resolver", "team-lead", "administrator")
API.update(
    {
        "list_on_shift": given(200, anonymous=401, no_role=403),
        "list_team_shifts": given(200, anonymous=401, no_role=404),
        "hand_over_team": given(403, (("resolver", "team-lead", "administrator"), 409), anonymous=401, no_role=404),
        "get_on_call": given(200, anonymous=401, no_role=404),
        "list_pages": given(403, (STAFF, 200), anonymous=401),
        "start_page": given(403, (STAFF, 422), (PROVIDER_STAFF, 201), anonymous=401),
        "get_page": given(404, (PROVIDER_STAFF, 200), anonymous=401),
        "acknowledge_page": given(404, (PROVIDER_STAFF, 200), anonymous=401),
        "resolve_page": given(404, (PROVIDER_STAFF, 200), anonymous=401),
        "list_webhooks": given(403, anonymous=401, administrator=200),
        # The directory and inbound mail (servicepact/permissions/administration.py, mailin.py): for
        # administrators; the scene has no directory and no mail, so the operations on one find none.
        "list_directory_syncs": given(403, anonymous=401, administrator=200),
        "sync_directory": given(404, anonymous=401),
        "list_inbound_mail": given(403, anonymous=401, administrator=200),
        "retry_inbound_mail": given(404, anonymous=401),
        "create_webhook": given(403, anonymous=401, administrator=201),
        "list_webhook_deliveries": given(404, anonymous=401, administrator=200),
    }
)
PAGES.update(
    {
        "rosters:now": Page(given(200, anonymous=LOGIN, no_role=403)),
        "rosters:team": Page(given(200, anonymous=LOGIN, no_role=404)),
        "rosters:sun": Page(given(404, *ON_RULE, anonymous=LOGIN, requester=404, administrator=200)),
        "oncall:pages": Page(given(403, (STAFF, 200), anonymous=LOGIN)),
        "oncall:page": Page(given(404, (PROVIDER_STAFF, 200), anonymous=LOGIN)),
        "oncall:answer": Page(given(404, (PROVIDER_STAFF, 302), anonymous=LOGIN), "POST"),
        # The mailed link: a token that is not one is not found, for anyone.
        "oncall:link": Page(given(404)),
        "oncall:team": Page(given(200, anonymous=LOGIN, no_role=404)),
        "webhooks:list": Page(given(403, anonymous=LOGIN, administrator=200)),
        "webhooks:endpoint": Page(given(404, anonymous=LOGIN, administrator=200)),
    }
)
NAMESPACE_RULES["rosters"] = NamespaceRule(LOGIN, None, "shift pages need login")
NAMESPACE_RULES["oncall"] = NamespaceRule(LOGIN, None, "on-call pages need login")
NAMESPACE_RULES["webhooks"] = NamespaceRule(LOGIN, None, "webhook pages need login")

# Continuity plans (servicepact/permissions/continuity.py): read like outages; the provider's team leads and
# administrators write them and record their tests. The scene holds a plan of SAP ERP. A plan or a test sent
# with no form values is allowed and refused by the rules (422).
CONTINUITY_MANAGERS = ("team-lead", "administrator")
API.update(
    {
        "get_continuity_coverage": given(404, (GLOBEX_PARTIES, 403), (OUTAGE_READERS, 200), anonymous=401),
        # The scene's plan holds SAP ERP: a plan of SSO is written.
        "write_continuity_plan": given(404, (GLOBEX_PARTIES, 403), (CONTINUITY_MANAGERS, 201), anonymous=401),
        "get_continuity_plan": given(404, (OUTAGE_READERS, 200), anonymous=401),
        "record_continuity_test": given(404, (OUTAGE_READERS, 403), (CONTINUITY_MANAGERS, 201), anonymous=401),
    }
)
PAGES.update(
    {
        "continuity:gaps": Page(given(403, (OUTAGE_READERS + ("other-manager",), 200), anonymous=LOGIN)),
        "continuity:contract": Page(given(404, (GLOBEX_PARTIES, 403), (OUTAGE_READERS, 200), anonymous=LOGIN)),
        "continuity:new_plan": Page(
            given(404, (GLOBEX_PARTIES, 403), (CONTINUITY_MANAGERS, 422), anonymous=LOGIN), "POST"
        ),
        "continuity:plan": Page(given(404, (OUTAGE_READERS, 200), anonymous=LOGIN)),
        "continuity:new_test": Page(
            given(404, (OUTAGE_READERS, 403), (CONTINUITY_MANAGERS, 422), anonymous=LOGIN), "POST"
        ),
    }
)
NAMESPACE_RULES["continuity"] = NamespaceRule(LOGIN, None, "continuity pages need login")

# Satisfaction (servicepact/permissions/surveys.py): results for the contract's report readers; a round is
# opened by either party's administrators and reporting analysts (an empty form: 422). The scene has no
# survey: its ticket is not resolved, and no relationship survey exists.
SURVEY_READERS = REPORT_READERS
ROUND_OPENERS = ("analyst", "administrator")
API.update(
    {
        "satisfaction_results": given(404, (GLOBEX_PARTIES, 403), (SURVEY_READERS, 200), anonymous=401),
        "answer_survey": given(404, (SEES_TICKET, 403), requester=404, anonymous=401),
    }
)
PAGES.update(
    {
        "surveys:answer": Page(given(404)),
        "surveys:answer_from_portal": Page(given(404, (SEES_TICKET, 403), requester=404, anonymous=LOGIN), "POST"),
        "surveys:results": Page(given(404, (GLOBEX_PARTIES, 403), (SURVEY_READERS, 200), anonymous=LOGIN)),
        "surveys:open_round": Page(given(404, (GLOBEX_PARTIES, 403), (ROUND_OPENERS, 422), anonymous=LOGIN), "POST"),
        "surveys:round": Page(given(404, anonymous=LOGIN)),
        "slm:report_scores": Page(given(404, (REPORT_READERS, 200), anonymous=LOGIN)),
    }
)

# Knowledge (servicepact/permissions/knowledge.py): a contract's articles for its parties; the provider's
# staff write them. The scene has no article. Linking without an article says so and goes back (302).
ARTICLE_WRITERS = ("agent", "resolver", "team-lead", "administrator")
PAGES.update(
    {
        "knowledge:list": Page(given(404, (GLOBEX_PARTIES, 200), anonymous=LOGIN)),
        "knowledge:new": Page(given(404, (GLOBEX_PARTIES, 403), (ARTICLE_WRITERS, 200), anonymous=LOGIN)),
        "knowledge:article": Page(given(404, anonymous=LOGIN)),
        "knowledge:edit": Page(given(404, anonymous=LOGIN)),
        "knowledge:step": Page(given(404, anonymous=LOGIN), "POST"),
        "knowledge:suggest": Page(given(200, anonymous=LOGIN)),
        "knowledge:link": Page(given(404, (SEES_TICKET, 403), (WORKS_TICKET, 302), anonymous=LOGIN), "POST"),
    }
)

# In-app notices (servicepact/permissions/notices.py): everyone signed in has their own; none in the scene.
API.update({"list_notices": given(200, anonymous=401), "mark_notices_read": given(200, anonymous=401)})
PAGES.update(
    {
        "notify:notices": Page(given(200, anonymous=LOGIN)),
        "notify:bell": Page(given(200, anonymous=LOGIN)),
        "notify:read": Page(given(302, anonymous=LOGIN), "POST"),
        "notify:open": Page(given(404, anonymous=LOGIN)),
    }
)
