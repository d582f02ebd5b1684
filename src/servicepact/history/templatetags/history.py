"""``{% history_timeline entries %}``: a record's history as a timeline, each entry named by its model's
``history_types`` (a ``TextChoices`` of the entry types the record's actions write)."""

from django import template
from django.contrib.contenttypes.models import ContentType

register = template.Library()


def label_of(entry) -> str:
    model = ContentType.objects.get_for_id(entry.subject_type_id).model_class()
    types = getattr(model, "history_types", None)
    if types is not None and entry.type in types.values:
        return types(entry.type).label
    return entry.type


@register.inclusion_tag("history/timeline.html")
def history_timeline(entries) -> dict:
    return {"rows": [(entry, label_of(entry)) for entry in entries]}
