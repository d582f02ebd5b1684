"""Event logs, stored reports and restatements never change, by any path."""

import pytest
from django.core.exceptions import ValidationError

from servicepact.desk.models import TicketEvent
from servicepact.slm.models import Restatement, StoredReport


@pytest.mark.django_db
@pytest.mark.parametrize("model", [TicketEvent, StoredReport, Restatement])
def test_bulk_updates_and_deletes_are_refused(model):
    with pytest.raises(TypeError, match="written once"):
        model.objects.all().update(pk=1)
    with pytest.raises(TypeError, match="written once"):
        model.objects.all().delete()


@pytest.mark.parametrize(
    "model, refusal", [(TicketEvent, TypeError), (Restatement, TypeError), (StoredReport, ValidationError)]
)
def test_deleting_one_is_refused(model, refusal):
    with pytest.raises(refusal):
        model(pk=1).delete()
