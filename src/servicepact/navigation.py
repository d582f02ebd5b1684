"""The header's sections: which parts of the service a person may enter, and which one a page belongs to.

Each section is offered by the same rule that guards its pages, so a link never leads to a refusal:
the workspace to people who work tickets, the portal to requesters and the customer's people (and to
anyone the home page sends there), the reports to the roles that read some contract's reports, the
contracts to the people who read some contract's text, an organization's administration to its
administrators, and Django's admin (the platform operator's) to people the admin site admits.
"""

from dataclasses import dataclass

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from servicepact.accounts.models import Role
from servicepact.permissions import imports_somewhere, principal_of, reads_contracts, reads_reports
from servicepact.permissions.administration import administers_organization
from servicepact.permissions.billing import reads_billing
from servicepact.permissions.changes import reads_changes
from servicepact.permissions.dashboards import has_dashboard

WORKSPACE, PORTAL, REPORTS, CONTRACTS, ORGANIZATION, ADMIN = (
    "workspace",
    "portal",
    "reports",
    "contracts",
    "organization",
    "admin",
)

# Pages that belong to a section by their URL name; a ticket's page belongs to the workspace or the
# portal depending on who looks, so its template names the section itself.
SECTION_OF_PAGE = {
    "desk:queue": WORKSPACE,
    "desk:portal": PORTAL,
    "desk:new_ticket": PORTAL,
}
SECTION_OF_NAMESPACE = {
    "slm": REPORTS,
    "evidence": REPORTS,
    "contracts": CONTRACTS,
    "organization": ORGANIZATION,
    "admin": ADMIN,
}


# History brought from other tools: a section of its own for those who may import it.
IMPORTS = "imports"
SECTION_OF_NAMESPACE[IMPORTS] = IMPORTS
# Capacity is read from the tickets the reports count, by the same people.
SECTION_OF_NAMESPACE["capacity"] = REPORTS
# Shifts and on-call belong to the workspace of the people who work tickets; webhooks to the administration.
SECTION_OF_NAMESPACE["rosters"] = WORKSPACE
SECTION_OF_NAMESPACE["oncall"] = WORKSPACE
SECTION_OF_NAMESPACE["webhooks"] = ORGANIZATION
# Hours and invoices: for those who log time and those who read a contract's commercials.
BILLING = "billing"
SECTION_OF_NAMESPACE[BILLING] = BILLING
# Outages are read beside the reports whose availability measures count them.
SECTION_OF_NAMESPACE["availability"] = REPORTS
SECTION_OF_NAMESPACE["continuity"] = REPORTS
# Problems and major incidents are read by the same people as the reports, which list them per period.
SECTION_OF_NAMESPACE["problems"] = REPORTS
SECTION_OF_NAMESPACE["major_incidents"] = REPORTS
# A team lead's and a customer manager's dashboard.
DASHBOARD = "dashboard"
SECTION_OF_NAMESPACE["dashboards"] = DASHBOARD
# Changes and the configuration items they touch: for the parties' people beyond requesters.
CHANGES = "changes"
SECTION_OF_NAMESPACE[CHANGES] = CHANGES
SECTION_OF_NAMESPACE["cmdb"] = CHANGES
# The request catalogue is where requesters ask for services: part of the portal.
SECTION_OF_NAMESPACE["catalog"] = PORTAL


@dataclass(frozen=True)
class Section:
    key: str
    label: str | Promise
    url: str
    active: bool


def offered_sections(request: HttpRequest) -> list[str]:
    """The keys of the sections ``request.user`` may enter, in header order."""
    user = request.user
    if not user.is_authenticated:
        return []
    who = principal_of(user)
    offered = []
    # A team lead's or a customer manager's own dashboard comes first: it is where they land.
    if has_dashboard(user):
        offered.append(DASHBOARD)
    if who.is_staff_member:
        offered.append(WORKSPACE)
    # The home page sends everyone who does not work tickets to the portal, so they always see it.
    if who.is_customer or who.has(Role.REQUESTER) or not who.is_staff_member:
        offered.append(PORTAL)
    if reads_reports(user):
        offered.append(REPORTS)
    if reads_contracts(user):
        offered.append(CONTRACTS)
    if reads_changes(user):
        offered.append(CHANGES)
    if imports_somewhere(user):
        offered.append(IMPORTS)
    if reads_billing(user):
        offered.append(BILLING)
    if administers_organization(user):
        offered.append(ORGANIZATION)
    if admin.site.has_permission(request):
        offered.append(ADMIN)
    return offered


def page_section(request: HttpRequest) -> str:
    """The section the requested page belongs to by its URL, or "" when its URL does not say."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    return SECTION_OF_PAGE.get(match.view_name, SECTION_OF_NAMESPACE.get(match.namespace, ""))


# Each section's label and the page its link opens.
LINKS = {
    DASHBOARD: (_("Dashboard"), "dashboards:home", []),
    WORKSPACE: (_("Workspace"), "desk:queue", ["triage"]),
    PORTAL: (_("Portal"), "desk:portal", []),
    REPORTS: (_("Reports"), "slm:reports", []),
    CONTRACTS: (_("Contracts"), "contracts:list", []),
    CHANGES: (_("Changes"), "changes:list", []),
    IMPORTS: (_("Imports"), "imports:list", []),
    BILLING: (_("Billing"), "billing:index", []),
    ORGANIZATION: (_("Administration"), "organization:overview", []),
    ADMIN: (_("Platform"), "admin:index", []),
}


def header_sections(request: HttpRequest) -> list[Section]:
    """The header's links, the one of the requested page's section marked active."""
    active = page_section(request)
    sections = []
    for key in offered_sections(request):
        label, url_name, args = LINKS[key]
        sections.append(Section(key, label, reverse(url_name, args=args), key == active))
    return sections
