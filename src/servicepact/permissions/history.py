"""Who reads a record's history: whoever may see the record (``visible_to`` of the record's model).

The models that keep a history say so (``keeps_history = True``); their entries are readable exactly
where their records are.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from servicepact.permissions.principal import Principal


def _of_visible_subjects(who: Principal) -> Q:
    condition = Q(pk__in=[])
    for model in apps.get_models():
        if getattr(model, "keeps_history", False):
            subject_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
            visible = model.objects.visible_to(who).values("pk")
            condition |= Q(subject_type=subject_type, subject_id__in=visible)
    return condition


def visible_history(queryset: QuerySet, who: Principal) -> QuerySet:
    """History entries and heads of the records ``who`` may see."""
    return queryset.filter(_of_visible_subjects(who))
