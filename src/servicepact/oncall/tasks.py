"""Background work of paging: each page's next step at its instant, and a sweep for any timer lost."""

from django_tasks import task

from servicepact.oncall.escalation import due_pages, run_due_step
from servicepact.oncall.models import Page


def schedule_next_step(page: Page) -> None:
    """Queue the timer of the page's next step (call it once the transaction that set it committed)."""
    if page.next_step_at is None:
        return
    if run_page_step.get_backend().supports_defer:
        run_page_step.using(run_after=page.next_step_at).enqueue(page.pk, page.next_step)
    # else: a backend that cannot defer a task leaves the step to the periodic escalate_due_pages


@task()
def run_page_step(page_id: int, step: int) -> bool:
    """Run the page's step if it is still its turn (safe to run twice, and in several workers)."""
    page = run_due_step(page_id, step)
    if page is not None:
        schedule_next_step(page)
    return page is not None


@task()
def escalate_due_pages() -> int:
    """Run every step whose turn has come (periodic: a timer lost with a worker is not a lost page)."""
    ran = 0
    for page_id, step in due_pages():
        page = run_due_step(page_id, step)
        if page is not None:
            ran += 1
            schedule_next_step(page)
    return ran
