"""``visible_to(user)``: the one way views, the API and exports reach tenant data.

Every tenant model's manager is built on ``AccessQuerySet``; its ``visible_to`` applies the rule this
table names for the model, first thing, before any other filter (NetBox's ``restrict()``). A model
missing from the table cannot be read through the access layer at all (KeyError), so a new tenant model
must say who sees it here. The rules live in this package, beside the predicates of the same names.
"""

from collections.abc import Callable

from django.db import models

from servicepact.permissions import (
    administration,
    billing,
    catalog,
    changes,
    checkpoints,
    cmdb,
    contracts,
    imports,
    knowledge,
    links,
    major_incidents,
    oncall,
    people,
    problems,
    reports,
    rosters,
    surveys,
    tickets,
    webhooks,
)
from servicepact.permissions.availability import visible_outages
from servicepact.permissions.backtests import visible_backtest_runs, visible_prepared_downloads
from servicepact.permissions.continuity import of_visible_plans, visible_plans
from servicepact.permissions.history import visible_history
from servicepact.permissions.idempotency import visible_idempotency_keys
from servicepact.permissions.mailin import visible_inbound_messages, visible_mailboxes
from servicepact.permissions.notices import visible_notices, visible_outbox_attachments
from servicepact.permissions.principal import Principal, principal_of
from servicepact.permissions.saved_views import visible_canned_replies, visible_saved_views

Scope = Callable[[models.QuerySet, Principal], models.QuerySet]

SCOPES: dict[str, Scope] = {
    "accounts.Organization": people.visible_organizations,
    "accounts.Team": people.visible_teams,
    "accounts.User": people.visible_people,
    "accounts.Membership": people.visible_memberships,
    "accounts.ApiToken": people.visible_tokens,
    "accounts.AdministrationRecord": administration.visible_records,
    "accounts.IdentityProvider": administration.visible_records,
    "accounts.DirectorySource": administration.visible_records,
    "accounts.DirectorySync": administration.visible_records,
    "mailin.Mailbox": visible_mailboxes,
    "mailin.InboundMessage": visible_inbound_messages,
    "contracts.Contract": contracts.visible_contracts,
    "contracts.ContractVersion": contracts.of_visible_contracts,
    "contracts.Service": contracts.of_visible_contracts,
    "contracts.Category": contracts.of_visible_contracts,
    "desk.RoutingRule": contracts.visible_routing_rules,
    "desk.SavedView": visible_saved_views,
    "desk.CannedReply": visible_canned_replies,
    "desk.Ticket": tickets.visible_tickets,
    "desk.TicketEvent": tickets.visible_events,
    "desk.Attachment": tickets.visible_attachments,
    "desk.TicketTeam": tickets.visible_ticket_teams,
    "desk.TicketLink": links.visible_links,
    "desk.TicketMerge": links.visible_merges,
    "slm.ClockState": tickets.visible_clock_states,
    "slm.Restatement": tickets.visible_restatements,
    "notify.Outbox": tickets.visible_outbox,
    "notify.OutboxAttachment": visible_outbox_attachments,
    "idempotency.IdempotencyKey": visible_idempotency_keys,
    "slm.StoredReport": reports.visible_reports,
    "slm.ReportSubscription": reports.visible_subscriptions,
    "slm.ReportDelivery": reports.visible_deliveries,
    "slm.ReportLog": reports.visible_report_logs,
    "slm.BacktestRun": visible_backtest_runs,
    "slm.PreparedDownload": visible_prepared_downloads,
    "evidence.Checkpoint": checkpoints.visible_checkpoints,
    "evidence.CheckpointGroup": checkpoints.visible_checkpoint_groups,
    "evidence.HeadSet": checkpoints.visible_head_sets,
    "imports.ImportRun": imports.visible_import_runs,
    "imports.ImportedTicket": imports.visible_imported_tickets,
    "billing.TimeEntry": billing.visible_time,
    "billing.WeekApproval": billing.visible_time,
    "billing.Invoice": billing.visible_invoices,
    "rosters.ShiftPattern": rosters.of_visible_teams,
    "rosters.ShiftChange": rosters.of_visible_patterns,
    "rosters.RosterEntry": rosters.of_visible_patterns,
    "rosters.ShiftSwap": rosters.of_visible_patterns,
    "rosters.SunTeam": rosters.visible_sun_teams,
    "oncall.Rotation": rosters.of_visible_teams,
    "oncall.RotationMember": oncall.of_visible_rotations,
    "oncall.Override": oncall.of_visible_rotations,
    "oncall.EscalationPolicy": rosters.of_visible_teams,
    "oncall.EscalationStep": oncall.of_visible_policies,
    "oncall.Page": oncall.visible_pages,
    "oncall.PageNotice": oncall.visible_page_notices,
    "webhooks.Endpoint": webhooks.visible_endpoints,
    "webhooks.Delivery": webhooks.visible_deliveries,
    "surveys.TicketSurvey": surveys.visible_ticket_surveys,
    "surveys.RelationshipRound": surveys.visible_rounds,
    "surveys.RelationshipAnswer": surveys.visible_relationship_answers,
    "cmdb.ConfigurationItem": cmdb.visible_items,
    "cmdb.Relationship": cmdb.visible_relationships,
    "cmdb.TicketItem": cmdb.visible_ticket_items,
    "changes.Change": changes.visible_changes,
    "changes.StandardChange": changes.visible_changes,
    "changes.Release": changes.visible_changes,
    "changes.Approval": changes.of_visible_changes,
    "changes.ChangeTask": changes.of_visible_changes,
    "changes.ChangeTicket": changes.of_visible_changes,
    "changes.Deployment": changes.of_visible_releases,
    "knowledge.Article": knowledge.visible_articles,
    "knowledge.ArticleText": knowledge.visible_article_parts,
    "knowledge.ArticleLink": knowledge.visible_article_parts,
    "knowledge.ArticleView": knowledge.visible_article_parts,
    "knowledge.ArticleTerm": knowledge.visible_article_terms,
    "notify.Notice": visible_notices,
    "history.HistoryEntry": visible_history,
    "availability.Outage": visible_outages,
    "continuity.ContinuityPlan": visible_plans,
    "continuity.PlanTest": of_visible_plans,
    "problems.Problem": problems.visible_problems,
    "problems.ProblemIncident": problems.visible_problem_incidents,
    "problems.KnownError": problems.visible_known_errors,
    "problems.TicketKnownError": problems.visible_ticket_known_errors,
    "problems.RecurrenceSettings": problems.visible_problems,
    "problems.ProblemSuggestion": problems.visible_problems,
    "major_incidents.MajorIncident": major_incidents.visible_major_incidents,
    "major_incidents.CommunicationUpdate": major_incidents.of_visible_major_incidents,
    "major_incidents.PostIncidentReview": major_incidents.of_visible_major_incidents,
    "history.HistoryHead": visible_history,
    "catalog.CatalogItem": catalog.visible_items,
    "catalog.ItemField": catalog.visible_item_parts,
    "catalog.ItemTask": catalog.visible_item_parts,
    "catalog.ServiceRequest": catalog.visible_requests,
    "catalog.RequestTask": catalog.visible_request_tasks,
}


class AccessQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AccessQuerySet":
        """The rows ``user`` (a user, anonymous, or a ``Principal``) may see; nothing for anonymous people."""
        who = principal_of(user)
        if who.is_anonymous:
            return self.none()
        return SCOPES[self.model._meta.label](self, who)
