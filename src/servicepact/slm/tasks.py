"""Background work of service level management; the scheduler fires ``sweep_clocks`` periodically."""

from django_tasks import task

from servicepact.slm.sweep import sweep


@task()
def sweep_clocks() -> dict[str, int]:
    """Fire the breach warnings and record the breaches that time has brought since the last sweep."""
    result = sweep()
    return {"tickets": result.tickets, "warnings": result.warnings}
