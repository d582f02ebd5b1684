"""Background work of problem management: finding recurring incidents on every contract, periodically."""

from django_tasks import task

from servicepact.contracts.models import Contract
from servicepact.problems.actions import refresh_suggestions


@task()
def suggest_problems() -> dict[str, int]:
    """Refresh the suggestions of every contract; safe to run twice (an open suggestion only grows)."""
    touched = 0
    for contract in Contract.objects.order_by("pk"):
        touched += len(refresh_suggestions(contract=contract))
    return {"suggestions": touched}
