"""The classes of configuration items and the attributes each class takes, checked per class.

A class lists its attributes with their kind; an attribute outside the list, a value of the wrong kind or
a missing required one is refused with the attribute's name. Plain Python: the forms, the API and the CSV
import check attributes through ``check_attributes``.
"""

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlparse

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class ItemClass(models.TextChoices):
    BUSINESS_SERVICE = "business_service", gettext_lazy("Business service")
    APPLICATION = "application", gettext_lazy("Application")
    SERVER = "server", gettext_lazy("Server")
    DATABASE = "database", gettext_lazy("Database")
    NETWORK_DEVICE = "network_device", gettext_lazy("Network device")
    END_USER_DEVICE = "end_user_device", gettext_lazy("End-user device")
    STORAGE = "storage", gettext_lazy("Storage")


ENVIRONMENTS = ("production", "staging", "test", "development")


@dataclass(frozen=True)
class Attribute:
    kind: str  # text, integer, ip, url, or one of: a tuple of allowed values
    required: bool = False
    choices: tuple[str, ...] = ()


ATTRIBUTES: dict[str, dict[str, Attribute]] = {
    ItemClass.BUSINESS_SERVICE: {},
    ItemClass.APPLICATION: {
        "version": Attribute("text"),
        "vendor": Attribute("text"),
        "url": Attribute("url"),
        "environment": Attribute("choice", choices=ENVIRONMENTS),
    },
    ItemClass.SERVER: {
        "os": Attribute("text", required=True),
        "cpu_cores": Attribute("integer"),
        "memory_gb": Attribute("integer"),
        "ip_address": Attribute("ip"),
        "environment": Attribute("choice", choices=ENVIRONMENTS),
        "virtual": Attribute("choice", choices=("yes", "no")),
    },
    ItemClass.DATABASE: {
        "engine": Attribute("choice", required=True, choices=("postgresql", "oracle", "sqlserver", "mysql", "hana")),
        "version": Attribute("text"),
        "size_gb": Attribute("integer"),
        "environment": Attribute("choice", choices=ENVIRONMENTS),
    },
    ItemClass.NETWORK_DEVICE: {
        "model": Attribute("text"),
        "ip_address": Attribute("ip"),
        "ports": Attribute("integer"),
        "role": Attribute("choice", choices=("router", "switch", "firewall", "load_balancer", "access_point")),
    },
    ItemClass.END_USER_DEVICE: {
        "model": Attribute("text"),
        "serial": Attribute("text", required=True),
        "assigned_to": Attribute("text"),
    },
    ItemClass.STORAGE: {
        "capacity_tb": Attribute("integer"),
        "model": Attribute("text"),
    },
}


def _checked(name: str, attribute: Attribute, value) -> tuple[object, str | None]:
    text = str(value).strip() if value is not None else ""
    if attribute.kind == "integer":
        if isinstance(value, bool):
            return value, _("%(name)s must be a whole number") % {"name": name}
        try:
            number = int(text)
        except ValueError:
            return value, _("%(name)s must be a whole number, not %(value)s") % {"name": name, "value": text}
        if number < 0:
            return value, _("%(name)s may not be negative") % {"name": name}
        return number, None
    if attribute.kind == "ip":
        try:
            return str(ipaddress.ip_address(text)), None
        except ValueError:
            return value, _("%(name)s is not an IP address: %(value)s") % {"name": name, "value": text}
    if attribute.kind == "url":
        parsed = urlparse(text)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            return value, _("%(name)s is not an http(s) address: %(value)s") % {"name": name, "value": text}
        return text, None
    if attribute.kind == "choice" and text not in attribute.choices:
        return value, _("%(name)s must be one of %(choices)s, not %(value)s") % {
            "name": name,
            "choices": ", ".join(attribute.choices),
            "value": text,
        }
    if len(text) > 200:
        return value, _("%(name)s is longer than 200 characters") % {"name": name}
    return text, None


def check_attributes(item_class: str, attributes: dict) -> tuple[dict, list[str]]:
    """The attributes cleaned for ``item_class`` (empty values dropped), and every problem found."""
    allowed = ATTRIBUTES.get(item_class)
    if allowed is None:
        return {}, [_("unknown class %(value)s") % {"value": item_class}]
    cleaned, problems = {}, []
    for name, value in attributes.items():
        if value is None or str(value).strip() == "":
            continue
        if name not in allowed:
            known = ", ".join(sorted(allowed)) or _("none")
            problems.append(
                _("%(class)s takes no attribute %(name)s (it takes: %(known)s)")
                % {"class": item_class, "name": name, "known": known}
            )
            continue
        value, problem = _checked(name, allowed[name], value)
        if problem:
            problems.append(problem)
        else:
            cleaned[name] = value
    for name, attribute in allowed.items():
        given = attributes.get(name) is not None and str(attributes.get(name)).strip() != ""
        if attribute.required and not given:
            problems.append(_("%(class)s needs the attribute %(name)s") % {"class": item_class, "name": name})
    return cleaned, problems
