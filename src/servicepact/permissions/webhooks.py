"""Outgoing webhooks: an organization's endpoints, their secrets and delivery log are its administrators'.

Nobody else sees them, not a partner's administrators and not the platform's superusers through the
pages (they have Django's admin). What a payload holds is decided for the endpoint's organization as
if one of its administrators read it (``webhooks.payloads``).
"""

from django.db.models import QuerySet

from servicepact.permissions.administration import is_administrator
from servicepact.permissions.principal import Principal, principal_of


def administers_webhooks(user) -> bool:
    return is_administrator(principal_of(user))


def can_manage_endpoint(user, endpoint) -> bool:
    who = principal_of(user)
    return is_administrator(who) and endpoint.organization_id == who.organization_id


def visible_endpoints(endpoints: QuerySet, who: Principal) -> QuerySet:
    if not is_administrator(who):
        return endpoints.none()
    return endpoints.filter(organization_id=who.organization_id)


def visible_deliveries(deliveries: QuerySet, who: Principal) -> QuerySet:
    if not is_administrator(who):
        return deliveries.none()
    return deliveries.filter(endpoint__organization_id=who.organization_id)
