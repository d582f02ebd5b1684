"""The form of a catalogue item, built from its fields; the answers are checked by the action, whose
errors land on the fields they name."""

from django import forms
from django.utils.translation import gettext_lazy as _

from servicepact.catalog.models import CatalogItem, FieldKind, ItemField, TaskOrder

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


FIELD_LINE_HELP = _("One field a line: id | label | Chinese label | kind | required (yes/no) | options separated by ;")
TASK_LINE_HELP = _("One task a line: title | Chinese title | team id (empty: the item's team)")


class ItemEditForm(forms.Form):
    """A keeper's form of an item: its terms, and its fields and tasks as lines of text."""

    key = forms.SlugField(label=_("Item id"), max_length=64)
    name = forms.CharField(label=_("Name"), max_length=120)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=120, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    description_zh = forms.CharField(
        label=_("Description (Chinese)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    service = forms.ChoiceField(label=_("Service"))
    category = forms.ChoiceField(label=_("Category"), required=False)
    team = forms.ChoiceField(label=_("Fulfilling team"), required=False)
    priority = forms.ChoiceField(label=_("Priority"))
    needs_approval = forms.BooleanField(label=_("The requester's manager approves"), required=False)
    task_order = forms.ChoiceField(label=_("Tasks are done"), choices=TaskOrder.choices)
    active = forms.BooleanField(label=_("Offered to requesters"), required=False, initial=True)
    fields_text = forms.CharField(
        label=_("Form fields"), required=False, help_text=FIELD_LINE_HELP, widget=forms.Textarea(attrs={"rows": 5})
    )
    tasks_text = forms.CharField(
        label=_("Fulfilment tasks"), required=False, help_text=TASK_LINE_HELP, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, services=(), categories=(), teams=(), priorities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = list(services)
        self.fields["category"].choices = [("", "—"), *categories]
        self.fields["team"].choices = [("", _("the service desk")), *teams]
        self.fields["priority"].choices = [(priority, priority) for priority in priorities]

    def clean_fields_text(self) -> list[dict]:
        rows, problems = [], []
        for number, line in enumerate(self.cleaned_data["fields_text"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            parts += [""] * (6 - len(parts))
            key, label, label_zh, kind, required, options = parts[:6]
            if not key or not label:
                problems.append(_("Line %(line)d: a field needs an id and a label.") % {"line": number})
            elif kind not in FieldKind.values:
                problems.append(
                    _("Line %(line)d: kind %(kind)r is not one of: %(allowed)s.")
                    % {"line": number, "kind": kind, "allowed": ", ".join(FieldKind.values)}
                )
            elif kind == FieldKind.CHOICE and not options.strip(" ;"):
                problems.append(_("Line %(line)d: a choice needs its options.") % {"line": number})
            else:
                choices = "\n".join(option.strip() for option in options.split(";") if option.strip())
                rows.append(
                    {
                        "key": key,
                        "label": label,
                        "label_zh": label_zh,
                        "kind": kind,
                        "required": required.lower() in ("yes", "y", "true", "1", "是"),
                        "choices": choices,
                    }
                )
        if problems:
            raise forms.ValidationError(problems)
        return rows

    def clean_tasks_text(self) -> list[dict]:
        teams = {value for value, _label in self.fields["team"].choices if value}
        rows, problems = [], []
        for number, line in enumerate(self.cleaned_data["tasks_text"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")] + ["", ""]
            title, title_zh, team = parts[:3]
            if not title:
                problems.append(_("Line %(line)d: a task needs a title.") % {"line": number})
            elif team and team not in teams:
                problems.append(
                    _("Line %(line)d: team %(team)r works for no party of the contract.")
                    % {"line": number, "team": team}
                )
            else:
                rows.append({"title": title, "title_zh": title_zh, "team": team})
        if problems:
            raise forms.ValidationError(problems)
        return rows


def field_lines(item) -> str:
    lines = []
    for field in item.fields.all():
        options = "; ".join(field.options)
        required = "yes" if field.required else "no"
        lines.append(" | ".join([field.key, field.label, field.label_zh, field.kind, required, options]).rstrip(" |"))
    return "\n".join(lines)


def task_lines(item) -> str:
    return "\n".join(
        " | ".join([task.title, task.title_zh, task.team.slug if task.team_id else ""]).rstrip(" |")
        for task in item.tasks.select_related("team")
    )
