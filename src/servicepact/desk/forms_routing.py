"""The form of a responsibility matrix's rule, as an administrator fills it: the empty choices mean "any"."""

from django import forms
from django.utils.translation import gettext_lazy as _

from servicepact.accounts.models import Team
from servicepact.contracts.models import Contract, Service, attach_terms
from servicepact.desk.actions.routing_rules import PRECEDENCE_MAX
from servicepact.desk.models import RoutingRule

REQUESTER = "requester"


class ServiceChoiceField(forms.ModelChoiceField):
    # The services' names from the contract's text, read once for all of them (``attach_terms``).
    names: dict[int, str] = {}

    def label_from_instance(self, service: Service) -> str:
        name = self.names.get(service.pk)
        return f"{name} ({service.key})" if name and name != service.key else service.key


class RoutingRuleForm(forms.Form):
    service = ServiceChoiceField(
        label=_("Service"), queryset=Service.objects.none(), required=False, empty_label=_("Any service")
    )
    category = forms.ChoiceField(label=_("Category"), required=False, choices=())
    destination = forms.ChoiceField(label=_("Queue"), choices=())
    precedence = forms.IntegerField(
        label=_("Precedence"),
        min_value=0,
        max_value=PRECEDENCE_MAX,
        initial=100,
        help_text=_("Among the rules that match a ticket, the lowest number wins."),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)

    def __init__(
        self, *args, contract: Contract, services, categories, teams, rule: RoutingRule | None = None, **kwargs
    ):
        if rule is not None:
            kwargs.setdefault(
                "initial",
                {
                    "service": rule.service_id,
                    "category": rule.category,
                    "precedence": rule.precedence,
                    "description": rule.description,
                    "destination": REQUESTER if rule.to_requester else f"team:{rule.team_id}",
                },
            )
        super().__init__(*args, **kwargs)
        self.contract = contract
        self.fields["service"].queryset = services
        self.fields["service"].names = {service.pk: service.name for service in attach_terms(services)}
        self.fields["category"].choices = [("", _("Any category"))] + [
            (category.key, category.name or category.key) for category in categories
        ]
        self.teams = {team.pk: team for team in teams}
        groups: dict[str, list[tuple[str, str]]] = {}
        for team in self.teams.values():
            groups.setdefault(team.organization.name, []).append((f"team:{team.pk}", team.name))
        self.fields["destination"].choices = (
            [("", "—")] + list(groups.items()) + [(REQUESTER, _("Back to the requester (the customer's own IT)"))]
        )

    def clean_destination(self) -> tuple[Team | None, bool]:
        value = self.cleaned_data["destination"]
        if value == REQUESTER:
            return None, True
        team = self.teams.get(int(value.split(":", 1)[1])) if value.startswith("team:") else None
        if team is None:
            raise forms.ValidationError(_("Choose a team or the requester."))
        return team, False

    def action_arguments(self) -> dict:
        team, to_requester = self.cleaned_data["destination"]
        return {
            "service": self.cleaned_data["service"],
            "category": self.cleaned_data["category"],
            "team": team,
            "to_requester": to_requester,
            "precedence": self.cleaned_data["precedence"],
            "description": self.cleaned_data["description"],
        }


class ContractChoiceForm(forms.Form):
    contract = forms.ModelChoiceField(
        label=_("Contract"), queryset=Contract.objects.none(), to_field_name="slug", empty_label=None
    )

    def __init__(self, *args, contracts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = contracts
