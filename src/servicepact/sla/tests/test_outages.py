"""The outage log (SLA-SPEC section 6): every error with its line, the reader's bounds, the canonical bytes."""

import hashlib
import tracemalloc

import pytest

from servicepact.sla.digest import outages_digest
from servicepact.sla.outages import MAX_REF_LENGTH, OutageLogError, canonical_outage_log, parse_outage_log

SERVICES = {"sap-erp": None, "sso": None, "mes-asia": None}
GOOD = '{"service": "sap-erp", "start": "2026-03-10T10:00:00Z", "end": "2026-03-10T11:00:00Z", "planned": false}'
SMALL_PEAK_BYTES = 8 * 1024 * 1024


def refused(*lines: str | bytes) -> list[str]:
    with pytest.raises(OutageLogError) as raised:
        parse_outage_log(lines, SERVICES, "OUTAGES")
    return raised.value.messages


@pytest.mark.parametrize(
    ("line", "messages"),
    [
        (
            '{"service": "erp", "start": "2026-03-10T10:00:00Z", "planned": false}',
            ["OUTAGES:2: unknown service 'erp' (allowed: mes-asia, sap-erp, sso)"],
        ),
        ('{"start": "2026-03-10T10:00:00Z", "planned": false}', ["OUTAGES:2: missing field 'service'"]),
        ('{"service": "sso", "planned": false}', ["OUTAGES:2: missing field 'start'"]),
        ('{"service": "sso", "start": "2026-03-10T10:00:00Z"}', ["OUTAGES:2: missing field 'planned'"]),
        (
            '{"service": "sso", "start": "2026-03-10T10:00:00", "planned": false}',
            ["OUTAGES:2: field 'start': instant '2026-03-10T10:00:00' has no offset (add Z or +HH:MM)"],
        ),
        (
            '{"service": "sso", "start": "2026-03-10T10:00:00Z", "end": "2026-03-10T11:00:00", "planned": true}',
            ["OUTAGES:2: field 'end': instant '2026-03-10T11:00:00' has no offset (add Z or +HH:MM)"],
        ),
        (
            '{"service": "sso", "start": "2026-03-10T10:00:00Z", "end": "2026-03-10T11:00:00+01:00", "planned": true}',
            ["OUTAGES:2: 'end' (2026-03-10T11:00:00+01:00) is not after 'start' (2026-03-10T10:00:00Z)"],
        ),
        (
            '{"service": "sso", "start": "2026-03-10T10:00:00Z", "end": "2026-03-10T09:00:00Z", "planned": true}',
            ["OUTAGES:2: 'end' (2026-03-10T09:00:00Z) is not after 'start' (2026-03-10T10:00:00Z)"],
        ),
        (
            '{"service": "sso", "start": "2026-03-10T10:00:00Z", "planned": false, "reason": "disk"}',
            ["OUTAGES:2: unknown key 'reason' (allowed: service, start, end, planned, ref)"],
        ),
        (
            '{"service": "sso", "start": "2026-03-10T10:00:00Z", "planned": "no"}',
            ["OUTAGES:2: field 'planned' must be true or false, got string"],
        ),
        (
            '{"service": 7, "start": 1773136800, "planned": false, "ref": 12}',
            [
                "OUTAGES:2: field 'service' must be a string, got number",
                "OUTAGES:2: field 'start' must be a string, got number",
                "OUTAGES:2: field 'ref' must be a string, got number",
            ],
        ),
        (
            '{"service": "sso", "start": "2026-03-10T10:00:00Z", "planned": false, "ref": ""}',
            ["OUTAGES:2: field 'ref' is empty"],
        ),
        (
            '{"service": "sso", "start": "2026-03-10T10:00:00Z", "planned": false, "ref": "' + "R" * 65 + '"}',
            [f"OUTAGES:2: field 'ref' has 65 characters; a reference has at most {MAX_REF_LENGTH}"],
        ),
        (
            '{"service": "sso", "start": "2200-01-01T00:00:00Z", "planned": false}',
            [
                "OUTAGES:2: field 'start': instant '2200-01-01T00:00:00Z' lies outside the supported range, "
                "1970-01-01T00:00:00Z to 2199-12-31T23:59:59Z"
            ],
        ),
        ('["sso"]', ["OUTAGES:2: an outage must be a JSON object, got array"]),
    ],
    ids=[
        "unknown-service",
        "no-service",
        "no-start",
        "no-planned",
        "no-offset",
        "end-no-offset",
        "end-equal",
        "end-before",
        "unknown-key",
        "planned-text",
        "types",
        "empty-ref",
        "long-ref",
        "out-of-range",
        "not-object",
    ],
)
def test_each_error_has_its_line(line, messages):
    assert refused(GOOD, line, GOOD) == messages


def test_every_bad_line_is_reported_at_once_and_blank_lines_are_skipped():
    messages = refused(GOOD, "", "   ", '{"service": "x", "start": "2026-03-10T10:00:00Z", "planned": true}', "{")
    assert [message.split(": ")[0] for message in messages] == ["OUTAGES:4", "OUTAGES:5"]
    assert messages[1].startswith("OUTAGES:5: invalid JSON: ")


def test_standard_input_is_named():
    with pytest.raises(OutageLogError) as raised:
        parse_outage_log(["{"], SERVICES, "-")
    assert raised.value.messages[0].startswith("<stdin>:1: invalid JSON: ")


@pytest.mark.parametrize(
    "line",
    [
        b"[" * 1500 + b"]" * 1500,
        b'{"service": "sso", "start": "2026-03-10T10:00:00Z", "planned": false, "ref": ' + b"9" * 5000 + b"}",
        b'{"service": "sso", "start": "2026-03-10T10:00:00Z", "planned": false, "x": '
        + b"[" * 1500
        + b"]" * 1500
        + b"}",
        b'{"service": "sso\x00", "start": "2026-03-10T10:00:00Z", "planned": false}',
        b'{"service": "sso", "start": "2026-03-10T10:00:00Z", "planned": false, "ref": "\xff"}',
    ],
    ids=["deep-array", "huge-number", "deep-field", "nul-in-string", "not-utf8"],
)
def test_hostile_lines_are_bad_lines_with_little_memory(line):
    tracemalloc.start()
    try:
        messages = refused(GOOD.encode(), line)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert messages[0].startswith("OUTAGES:2: invalid JSON: ")
    assert peak < SMALL_PEAK_BYTES


def test_a_long_unknown_key_is_shortened_in_its_message():
    message = refused('{"service": "sso", "start": "2026-03-10T10:00:00Z", "planned": false, "' + "k" * 5000 + '": 1}')
    assert len(message[0]) < 200


LOG = [
    '{"service": "sso", "start": "2026-03-10T10:00:00Z", "planned": false, "ref": "GLX-9"}',
    '{"service": "sap-erp", "start": "2026-03-08T02:00:00+01:00", "end": "2026-03-08T06:00:00+01:00", "planned": true,'
    ' "ref": "CHG-1"}',
    '{"service": "sap-erp", "start": "2026-03-08T01:00:00Z", "end": null, "planned": false}',
    '{"service": "sap-erp", "start": "2026-03-08T01:00:00Z", "end": "2026-03-08T03:00:00Z", "planned": false,'
    ' "ref": "变更-2"}',
]
CANONICAL = (
    '{"end":"2026-03-08T03:00:00Z","planned":false,"ref":"变更-2","service":"sap-erp","start":"2026-03-08T01:00:00Z"}\n'
    '{"end":"2026-03-08T05:00:00Z","planned":true,"ref":"CHG-1","service":"sap-erp","start":"2026-03-08T01:00:00Z"}\n'
    '{"end":null,"planned":false,"service":"sap-erp","start":"2026-03-08T01:00:00Z"}\n'
    '{"end":null,"planned":false,"ref":"GLX-9","service":"sso","start":"2026-03-10T10:00:00Z"}\n'
).encode()


def canonical(lines):
    return canonical_outage_log(parse_outage_log(lines, SERVICES, "OUTAGES"))


class TestCanonicalLog:
    def test_the_exact_bytes(self):
        # by service, then start, then end with the open end last; end always present; UTC instants
        assert canonical(LOG) == CANONICAL

    def test_the_digest_is_the_sha256_of_those_bytes(self):
        outages = parse_outage_log(LOG, SERVICES, "OUTAGES")
        assert outages_digest(outages) == hashlib.sha256(CANONICAL).hexdigest()

    def test_an_empty_log_is_zero_bytes(self):
        assert canonical([]) == b""
        assert outages_digest([]) == hashlib.sha256(b"").hexdigest()

    def test_order_offsets_and_an_absent_end_do_not_change_it(self):
        rewritten = [
            LOG[3].replace("2026-03-08T01:00:00Z", "2026-03-08T02:00:00+01:00"),
            LOG[0].replace(', "planned"', ', "end": null, "planned"'),
            LOG[2].replace('"end": null, ', ""),
            LOG[1],
        ]
        assert canonical(rewritten) == CANONICAL

    def test_ties_keep_their_file_order(self):
        first = '{"service": "sso", "start": "2026-03-10T10:00:00Z", "planned": false, "ref": "A"}'
        second = '{"service": "sso", "start": "2026-03-10T10:00:00Z", "planned": false, "ref": "B"}'
        assert canonical([first, second]) != canonical([second, first])

    @pytest.mark.parametrize(
        ("old", "new"),
        [('"ref": "GLX-9"', '"ref": "GLX-8"'), ("10:00:00Z", "10:00:01Z"), ('"planned": false', '"planned": true')],
    )
    def test_any_change_changes_it(self, old, new):
        assert canonical([LOG[0].replace(old, new), *LOG[1:]]) != CANONICAL
