"""``{% request_panel ticket %}``: a service request's answers, approval and fulfilment tasks on its
ticket's page, with the approver's decision form, a tick for each task one may do now, and the
resolve form once every task is done."""

from django import template
from django.utils.translation import get_language

from servicepact.catalog.forms import DecisionForm, ResolveForm
from servicepact.catalog.models import Approval, RequestTask, ServiceRequest, TaskOrder
from servicepact.desk.models import Status
from servicepact.permissions.catalog import can_decide_request, can_fulfil_request, can_tick_task

register = template.Library()


@register.inclusion_tag("catalog/request_panel.html", takes_context=True)
def request_panel(context, ticket) -> dict:
    user = context["request"].user
    found = (
        ServiceRequest.objects.visible_to(user).filter(ticket_id=ticket.pk).select_related("item", "approver").first()
    )
    if found is None:
        return {"hidden": True}
    language = get_language()
    tasks = list(RequestTask.objects.visible_to(user).filter(request=found).select_related("team", "done_by"))
    finished = ticket.status in (Status.RESOLVED, Status.CLOSED)
    workable = not finished and found.approval in (Approval.NOT_NEEDED, Approval.APPROVED)
    first_open = next((task for task in tasks if task.done_at is None), None)
    rows = []
    for task in tasks:
        turn = found.task_order == TaskOrder.PARALLEL or task is first_open
        may_tick = workable and task.done_at is None and turn and can_tick_task(user, task)
        rows.append({"task": task, "title": task.title_in(language), "may_tick": may_tick, "waits": not turn})
    all_done = bool(tasks) and first_open is None
    may_resolve = workable and (all_done or not tasks) and can_fulfil_request(user, found)
    return {
        "request": context["request"],
        "found": found,
        "ticket": ticket,
        "item_name": found.item.name_in(language),
        "rows": rows,
        "done": sum(1 for task in tasks if task.done_at),
        "all_done": all_done,
        "may_decide": can_decide_request(user, found),
        "may_resolve": may_resolve,
        "decision_form": DecisionForm(),
        "resolve_form": ResolveForm(),
        "in_order": found.task_order == TaskOrder.SEQUENCE,
    }
