"""Finding the contract a page's or an API operation's address names, among those the person sees.

``seen_contract``, ``seen_service`` and ``signed_versions`` keep their answers per process under the caches'
generation (``servicepact.runtime.generation``): a change of a contract, its parties, services or versions,
or of anyone's memberships, is seen by the next request. Each answer is a new model instance, built from
the kept values, so that a caller may change it without touching the cache.
"""

from functools import cache

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Model
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from servicepact.contracts.models import Contract, ContractVersion, Service
from servicepact.permissions import principal_of
from servicepact.runtime.generation import ProcessCache

_kept = ProcessCache()


def visible_contract(request: HttpRequest, slug: str) -> Contract:
    """The contract ``slug`` if the person sees it, else 404: the API's authenticated person
    (``request.auth``, a token or a session) or the page's (``request.user``)."""
    who = getattr(request, "auth", None) or request.user
    return get_object_or_404(Contract.objects.visible_to(who).select_related("customer", "provider"), slug=slug)


def seen_contract(user, slug: str, generation: int | None) -> Contract | None:
    """The contract ``slug`` if ``user`` sees it, kept under ``generation`` (None: read now)."""
    who = principal_of(user)
    values = _kept.get(
        generation, ("contract", who, slug), lambda: _values(Contract.objects.visible_to(who).filter(slug=slug))
    )
    return _built(Contract, values)


def seen_service(user, contract: Contract, key: str, generation: int | None) -> Service | None:
    """The service ``key`` of ``contract`` if ``user`` sees it, kept under ``generation``."""
    who = principal_of(user)
    values = _kept.get(
        generation,
        ("service", who, contract.pk, key),
        lambda: _values(Service.objects.visible_to(who).filter(contract=contract, key=key)),
    )
    return _built(Service, values)


def signed_versions(contract: Contract, generation: int | None) -> list[ContractVersion]:
    """Every signed version of ``contract`` (a signed version never changes; a new signature changes the
    generation), kept under ``generation``."""

    def read() -> list[tuple]:
        rows = ContractVersion.objects.signed().filter(contract=contract).order_by("number")
        return list(rows.values_list(*_names(ContractVersion)))

    return [_built(ContractVersion, values) for values in _kept.get(generation, ("versions", contract.pk), read)]


@cache
def _names(model: type[Model]) -> tuple[str, ...]:
    return tuple(field.attname for field in model._meta.concrete_fields)


def _values(rows) -> tuple | None:
    return rows.values_list(*_names(rows.model)).first()


def _built(model: type[Model], values: tuple | None):
    return None if values is None else model.from_db(DEFAULT_DB_ALIAS, _names(model), values)
