from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from servicepact.desk.models import Ticket


@login_required
def home(request):
    tickets = Ticket.objects.visible_to(request.user).by_due()[:50]
    return render(request, "desk/home.html", {"tickets": tickets})


@login_required
def ticket_detail(request, number: str):
    ticket = get_object_or_404(Ticket.objects.visible_to(request.user), number=number)
    return render(request, "desk/ticket.html", {"ticket": ticket})
