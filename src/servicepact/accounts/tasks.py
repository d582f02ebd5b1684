"""Background work of accounts: the scheduled directory synchronization."""

from django_tasks import task

from servicepact.accounts.directory import synchronize_all


@task()
def sync_directories() -> dict[str, int]:
    runs = synchronize_all()
    return {"synchronized": sum(1 for run in runs if not run.error), "failed": sum(1 for run in runs if run.error)}
