"""The CMDB's forms: an item (its attributes as ``name=value`` lines), a relationship, a ticket's item, and
the CSV import."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicepact.cmdb.classes import ItemClass
from servicepact.cmdb.models import Criticality, Lifecycle, RelationKind

MAX_CSV_BYTES = 5 * 1024 * 1024
CREATABLE_CLASSES = [choice for choice in ItemClass.choices if choice[0] != ItemClass.BUSINESS_SERVICE]


def parse_attribute_lines(text: str) -> tuple[dict, list[str]]:
    attributes, problems = {}, []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, equals, value = line.partition("=")
        if not equals:
            problems.append(_("line %(n)d: write name=value") % {"n": number})
            continue
        attributes[name.strip()] = value.strip()
    return attributes, problems


def attribute_lines(attributes: dict) -> str:
    return "\n".join(f"{name}={value}" for name, value in sorted(attributes.items()))


class ItemForm(forms.Form):
    contract = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Contract"))
    key = forms.SlugField(label=gettext_lazy("Item id"), max_length=80)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    item_class = forms.ChoiceField(label=gettext_lazy("Class"), choices=CREATABLE_CLASSES)
    owner_team = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Owner team"), required=False)
    tier = forms.TypedChoiceField(
        label=gettext_lazy("Criticality tier"), choices=Criticality.choices, coerce=int, initial=3
    )
    location = forms.CharField(label=gettext_lazy("Location"), max_length=120, required=False)
    timezone = forms.CharField(label=gettext_lazy("Time zone"), max_length=64, initial="UTC")
    lifecycle = forms.ChoiceField(label=gettext_lazy("Lifecycle status"), choices=Lifecycle.choices, initial="live")
    attributes = forms.CharField(
        label=gettext_lazy("Attributes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("One per line, name=value (a server takes os, cpu_cores, memory_gb, ip_address…)."),
    )

    def __init__(self, *args, contracts, teams, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = contracts
        self.fields["owner_team"].queryset = teams
        if item is not None:
            for name in ("contract", "key", "item_class"):
                del self.fields[name]
            if item.is_business_service:
                del self.fields["name"]
                del self.fields["tier"]

    def clean_attributes(self) -> dict:
        attributes, problems = parse_attribute_lines(self.cleaned_data["attributes"])
        if problems:
            raise forms.ValidationError(problems)
        return attributes


class RelateForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("This item"), choices=RelationKind.choices)
    target = forms.CharField(label=gettext_lazy("Item id"), max_length=80)


class LinkItemForm(forms.Form):
    item = forms.CharField(label=gettext_lazy("Configuration item id"), max_length=80)


class ImportForm(forms.Form):
    contract = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Contract"))
    items = forms.FileField(label=gettext_lazy("Items (CSV)"), required=False)
    relationships = forms.FileField(label=gettext_lazy("Relationships (CSV)"), required=False)
    dry_run = forms.BooleanField(
        label=gettext_lazy("Dry run: check only, change nothing"), required=False, initial=True
    )

    def __init__(self, *args, contracts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = contracts

    def _text(self, name: str) -> str:
        upload = self.cleaned_data.get(name)
        if not upload:
            return ""
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError({name: _("The file is larger than 5 MiB.")})
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError as error:
            raise forms.ValidationError({name: _("The file is not UTF-8 text.")}) from error

    def clean(self):
        data = super().clean()
        if not self.errors:
            data["items_text"] = self._text("items")
            data["relationships_text"] = self._text("relationships")
            if not data["items_text"] and not data["relationships_text"]:
                raise forms.ValidationError(_("Choose a file of items, of relationships, or both."))
        return data
