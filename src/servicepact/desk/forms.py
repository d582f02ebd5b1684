"""Forms of the desk's pages: each one collects what one action needs and nothing more.

The forms check shape (required, lengths, choices among what the person may see); the rules of the
ticket's life (transitions, reopen window, reasons) are the actions' to enforce.
"""

from functools import lru_cache

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from servicepact.accounts.models import Membership, Team, User
from servicepact.contracts.models import Category, ContractVersion, Service, attach_terms
from servicepact.desk.models import Impact, Kind, Status, Ticket, Urgency
from servicepact.desk.transitions import ALLOWED
from servicepact.permissions import COUNTED_MEMBERSHIPS
from servicepact.sla.contract import load_contract

BODY_MAX = 20000


@lru_cache(maxsize=32)
def _priorities_of_text(sha256: str, source: str) -> tuple[str, ...]:
    return tuple(load_contract(source, filename=f"contract-{sha256[:12]}.yaml").priorities)


def contract_priorities(version: ContractVersion) -> list[str]:
    """The priorities the ticket's pinned contract version defines (P1, P2 …), parsed once per text."""
    return list(_priorities_of_text(version.sha256, version.source))


def contract_teams(ticket: Ticket) -> QuerySet[Team]:
    """Teams that may hold a ticket of this contract: its customer's, provider's and other vendors' teams."""
    contract = ticket.contract
    parties = [contract.customer_id, contract.provider_id, *contract.vendors.values_list("pk", flat=True)]
    return Team.objects.filter(organization_id__in=parties).select_related("organization")


class BodyForm(forms.Form):
    """A public reply or an internal note."""

    body = forms.CharField(label=_("Message"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 4}))


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("Resolution"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the requester as a public reply."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(forms.Form):
    """A team of the contract and, optionally, one of that team's members.

    The person list holds the members of the chosen team only: changing the team asks the page (by HTMX) for
    the form again with that team's people, without assigning anything.
    """

    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    assignee = forms.ModelChoiceField(
        label=_("Person"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— nobody in particular —"),
        help_text=_("A member of the chosen team."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,
        help_text=_("Needed when the ticket moves from one resolver team to another; kept on the timeline."),
    )

    def __init__(self, *args, ticket: Ticket, team: Team | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        teams = contract_teams(ticket)
        self.fields["team"].queryset = teams
        chosen = team or self._posted_team(teams) or ticket.team
        self.fields["team"].initial = chosen.pk if chosen else None
        self.fields["team"].widget.attrs.update(
            {
                "hx-post": reverse("desk:assign", args=[ticket.number]),
                "hx-trigger": "change",
                "hx-target": "#action-assign",
                # Settled at once, so the new list's own team choice answers a change straight away.
                "hx-swap": "outerHTML settle:0ms",
                "hx-vals": '{"refresh": "team"}',
            }
        )
        self.fields["assignee"].queryset = team_members(chosen)
        if chosen is not None and chosen.pk == ticket.team_id:
            self.fields["assignee"].initial = ticket.assignee_id

    def _posted_team(self, teams: QuerySet[Team]) -> Team | None:
        value = self.data.get(self.add_prefix("team")) if self.is_bound else None
        if not value or not str(value).isdigit():
            return None
        return teams.filter(pk=int(value)).first()


def team_members(team: Team | None) -> QuerySet[User]:
    """The active people counted as members of ``team``, by name."""
    if team is None:
        return User.objects.none()
    members = Membership.objects.filter(COUNTED_MEMBERSHIPS, team=team, user__is_active=True).values("user_id")
    return User.objects.filter(pk__in=members).order_by("full_name", "email")


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def __init__(self, *args, ticket: Ticket, **kwargs):
        super().__init__(*args, **kwargs)
        # Resolving, reopening and closing have their own forms, which ask for what those moves need.
        reachable = ALLOWED.get(ticket.status, frozenset()) - {Status.NEW, Status.RESOLVED, Status.CLOSED}
        if ticket.status == Status.RESOLVED:
            reachable = frozenset()
        # No status is preselected: the first of the list is rarely the one meant, and a wrong one is an event.
        choices = [(value, label) for value, label in Status.choices if value in reachable]
        self.fields["status"].choices = [("", _("— choose —")), *choices]


class PriorityForm(forms.Form):
    impact = forms.ChoiceField(label=_("Impact"), choices=Impact.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, help_text=_("Leave empty to take the contract's matrix.")
    )
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args, ticket: Ticket, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["impact"].initial = ticket.impact
        self.fields["urgency"].initial = ticket.urgency
        choices = [(p, p) for p in contract_priorities(ticket.contract_version)]
        self.fields["priority"].choices = [("", _("from the matrix"))] + choices

    def action_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "impact": data["impact"],
            "urgency": data["urgency"],
            "priority": data["priority"] or None,
            "reason": data["reason"],
        }


@lru_cache(maxsize=32)
def _services_of_text(sha256: str, source: str) -> tuple[tuple[str, str], ...]:
    services = load_contract(source, filename=f"contract-{sha256[:12]}.yaml").services.values()
    return tuple((service.id, service.name) for service in sorted(services, key=lambda s: (s.tier, s.name)))


class CorrectionForm(forms.Form):
    """A corrected service or category: among those of the ticket's pinned version and contract, with a reason."""

    service = forms.ChoiceField(label=_("Service"))
    category = forms.ChoiceField(label=_("Category"), required=False)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Both parties read it on the ticket and in the exported event log."),
    )

    def __init__(self, *args, ticket: Ticket, **kwargs):
        super().__init__(*args, **kwargs)
        self.ticket = ticket
        version = ticket.contract_version
        self.fields["service"].choices = list(_services_of_text(version.sha256, version.source))
        self.fields["service"].initial = ticket.service.key
        categories = list(Category.objects.filter(contract_id=ticket.contract_id).values_list("key", "name"))
        if ticket.category and ticket.category not in dict(categories):
            categories.append((ticket.category, ticket.category))
        self.fields["category"].choices = [("", _("— none —")), *categories]
        self.fields["category"].initial = ticket.category

    def clean_service(self) -> Service:
        service = Service.objects.filter(contract_id=self.ticket.contract_id, key=self.cleaned_data["service"]).first()
        if service is None:
            raise forms.ValidationError(_("This service is not part of the ticket's contract."))
        return service

    def action_arguments(self) -> dict:
        data = self.cleaned_data
        return {"service": data["service"], "category": data["category"], "reason": data["reason"]}


class AttachmentForm(forms.Form):
    upload = forms.FileField(label=_("File"))
    public = forms.BooleanField(label=_("Visible to the requester"), required=False, initial=True)

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        limit = settings.SERVICEPACT_ATTACHMENT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("%(name)s is %(size)d bytes; the largest accepted file is %(limit)d bytes."),
                params={"name": upload.name, "size": upload.size, "limit": limit},
            )
        return upload


class ServiceChoices(forms.models.ModelChoiceIterator):
    """The services the version in force lists, most critical first, named as that version names them."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        services = [service for service in attach_terms(self.queryset) if service.in_force]
        for service in sorted(services, key=lambda s: (s.contract.slug, s.tier, s.name)):
            yield self.choice(service)

    def __len__(self):
        return len(list(iter(self)))


class ServiceChoiceField(forms.ModelChoiceField):
    iterator = ServiceChoices


class NewTicketForm(forms.Form):
    """The portal's form: report an incident or request a service."""

    service = ServiceChoiceField(label=_("Service"), queryset=Service.objects.none())
    category = forms.ChoiceField(label=_("Category"), required=False)
    impact = forms.ChoiceField(
        label=_("Impact"),
        choices=Impact.choices,
        initial=Impact.MEDIUM,
        help_text=_("How many people or how much business is affected."),
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        initial=Urgency.MEDIUM,
        help_text=_("How soon it hurts if nothing is done."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), max_length=BODY_MAX, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    attachment = forms.FileField(label=_("Attachment"), required=False)

    def __init__(self, *args, services: QuerySet[Service], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services.select_related("contract")
        categories = Category.objects.filter(contract__in=services.values("contract")).order_by("name")
        self.fields["category"].choices = [("", _("— not sure —"))] + [
            (category.key, category.name) for category in categories
        ]

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload and upload.size > settings.SERVICEPACT_ATTACHMENT_MAX_BYTES:
            raise forms.ValidationError(
                _("%(name)s is %(size)d bytes; the largest accepted file is %(limit)d bytes."),
                params={"name": upload.name, "size": upload.size, "limit": settings.SERVICEPACT_ATTACHMENT_MAX_BYTES},
            )
        return upload


BULK_STATUSES = (Status.ASSIGNED, Status.IN_PROGRESS, Status.PENDING_CUSTOMER, Status.PENDING_VENDOR)


class BulkForm(forms.Form):
    """A queue's bulk action over the ticked tickets: what to do, the team or status it needs, one reason."""

    action = forms.ChoiceField(
        label=_("With the ticked tickets"),
        choices=[
            ("assign", _("assign to a team")),
            ("route", _("route by the matrix")),
            ("status", _("change the status")),
        ],
    )
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False, empty_label="—")
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", "—"), *[(value, label) for value, label in Status.choices if value in BULK_STATUSES]],
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.visible_to(user).order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("action") == "assign" and not data.get("team"):
            self.add_error("team", gettext("Choose the team."))
        if data.get("action") == "status" and not data.get("status"):
            self.add_error("status", gettext("Choose the status."))
        return data


KIND_TITLES = {Kind.INCIDENT: _("Report an incident"), Kind.REQUEST: _("Request a service")}
