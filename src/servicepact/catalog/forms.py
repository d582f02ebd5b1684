"""The form of a catalogue item, built from its fields; the answers are checked by the action, whose
errors land on the fields they name."""

from django import forms
from django.utils.translation import gettext_lazy as _

from servicepact.catalog.models import CatalogItem, FieldKind, ItemField

TEXT_LINES = 3


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the catalogue"), required=False, max_length=200)


class RequestForm(forms.Form):
    """One input per field of the item, in its order; every value is optional here (the action decides)."""

    def __init__(self, item: CatalogItem, fields: list[ItemField], language: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        for field in fields:
            label = field.label_in(language) + (" *" if field.required else "")
            self.fields[field.key] = _input(field, label)


def _input(field: ItemField, label: str) -> forms.Field:
    common = {"label": label, "required": False, "help_text": field.help_text}
    if field.kind == FieldKind.CHOICE:
        return forms.ChoiceField(choices=[("", "—"), *[(option, option) for option in field.options]], **common)
    if field.kind == FieldKind.YES_NO:
        return forms.ChoiceField(choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))], **common)
    if field.kind == FieldKind.DATE:
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if field.kind == FieldKind.PERSON:
        return forms.CharField(
            widget=forms.EmailInput(attrs={"placeholder": _("name@example.com"), "autocomplete": "off"}), **common
        )
    return forms.CharField(widget=forms.Textarea(attrs={"rows": TEXT_LINES}), max_length=4000, **common)


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to reject; the requester reads it."),
    )


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("Resolution"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
