"""Readers of a message: a person reads in their language and zone, an address of nobody in the service's
defaults; each address once; instants named in the reader's zone; a key per reader."""

from datetime import UTC, datetime

from django.utils import translation
from django.utils.translation import gettext as _

from servicepact.notify.recipients import recipients_of


def test_people_and_addresses_each_once_in_their_language_and_zone(world):
    resolver = world.people["resolver"]
    resolver.language, resolver.timezone = "zh-hans", "Asia/Shanghai"
    resolver.save(update_fields=["language", "timezone"])
    readers = recipients_of(
        [resolver, "Resolver@Example.test", None, " ", "desk@northwind.example", "agent@example.test"]
    )
    assert [(r.address, r.language, r.zone) for r in readers] == [
        ("resolver@example.test", "zh-hans", "Asia/Shanghai"),
        ("desk@northwind.example", "en", "UTC"),  # nobody's address: the service's defaults
        ("agent@example.test", "en", "UTC"),  # a person's address: that person
    ]
    chinese = readers[0]
    with translation.override("en"), chinese.speaking():
        assert _("Open it: %(url)s") % {"url": "x"} == "打开：x"
    assert chinese.moment(datetime(2026, 3, 2, 16, 30, tzinfo=UTC)) == "2026-03-03 00:30 (Asia/Shanghai)"
    assert chinese.key("update:1") != readers[1].key("update:1")
    assert chinese.key("update:1") == recipients_of(["RESOLVER@example.test"])[0].key("update:1")
