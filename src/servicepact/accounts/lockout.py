"""Login throttling and lockout (django-axes): per account and per address, unlocked by an administrator.

Failed logins are counted twice, by the e-mail address tried (whatever its case) and by the client's
address. When the account's count reaches ``SERVICEPACT_LOGIN_FAILURE_LIMIT`` within the cool-off time,
that account cannot log in until the cool-off ends, from anywhere; when the address's count (all accounts
tried from it) reaches ``SERVICEPACT_LOGIN_ADDRESS_FAILURE_LIMIT``, nobody logs in from that address. A
login is then not even tried, and the page says so. The address's limit is the larger, so that one
office behind one address is not locked out by a few people's typos, while guessing across many
accounts from one address still stops. An administrator of the person's organization unlocks the account on the
person's page; the platform operator resets addresses with ``servicepact axes_reset_ip`` or in Django's
admin. Behind reverse proxies, ``SERVICEPACT_TRUSTED_PROXIES`` tells how many of the last
``X-Forwarded-For`` entries were added by one's own proxies, so that the address counted is the client's.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def login_username(request: HttpRequest, credentials: dict | None) -> str:
    """The account a login attempt is counted against: the e-mail address as the person typed it, in
    lower case, as accounts store it (``AXES_USERNAME_CALLABLE``)."""
    credentials = credentials or {}
    return (credentials.get("username") or credentials.get("email") or "").strip().lower()


def client_address(request: HttpRequest) -> str | None:
    """The client's address (``AXES_CLIENT_IP_CALLABLE``): REMOTE_ADDR, or behind N trusted proxies the
    N-th address from the right of X-Forwarded-For (the one the outermost own proxy saw)."""
    proxies = settings.SERVICEPACT_TRUSTED_PROXIES
    remote = request.META.get("REMOTE_ADDR")
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    return forwarded[-proxies] if len(forwarded) >= proxies else remote


def failed_logins(email: str) -> int:
    """The failed logins counted against the account of ``email`` now (within the cool-off time)."""
    attempts = AccessAttempt.objects.filter(username=email.lower())
    cool_off = get_cool_off()
    if cool_off:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def is_locked_out(email: str) -> bool:
    return failed_logins(email) >= get_failure_limit(None, None)


def clear_failed_logins(email: str) -> int:
    """Forget the failed logins counted against the account of ``email``: it may log in again."""
    return reset(username=email.lower())


def locked_out_among(emails: list[str]) -> set[str]:
    """Which of ``emails`` are locked out now, in one query (for a list of people)."""
    attempts = AccessAttempt.objects.filter(username__in=[email.lower() for email in emails])
    cool_off = get_cool_off()
    if cool_off:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    limit = get_failure_limit(None, None)
    totals = attempts.order_by().values("username").annotate(total=Sum("failures_since_start"))
    return {row["username"] for row in totals if row["total"] >= limit}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """The page a locked-out login gets (``AXES_LOCKOUT_CALLABLE``): 429, what happened, when to try again."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    response = render(
        request,
        "accounts/locked_out.html",
        {
            "failure_limit": get_failure_limit(request, credentials),
            "cooloff_minutes": minutes,
        },
        status=429,
    )
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


class LockoutHandler(AxesDatabaseHandler):
    """django-axes's database handler with a limit of its own for the address (``AXES_HANDLER``)."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        per_account, per_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if per_address >= settings.SERVICEPACT_LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(per_account, get_failure_limit(request, credentials))
        return per_account

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """A successful login clears its account's failures only: one valid login must not wipe the count of
        guesses made from its address at other accounts."""
        account_attempts = self.filter_user_attempts(request, credentials)[0]
        count, _deleted = account_attempts.delete()
        return count
