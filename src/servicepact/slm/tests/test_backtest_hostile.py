"""The backtest page and command with hostile drafts and months: each refused with the kernel's message
(``draft.yaml:LINE:COL: ...`` or the month's), never a 500 or a traceback, with little work."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from servicepact.slm.tests.report_world import play_week
from servicepact.testing.factories import EXAMPLE_CONTRACT

REFERENCE = EXAMPLE_CONTRACT.read_text()
BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{name}: &{name} [{','.join([f'*{previous}'] * 9)}]\n" for previous, name in zip("abcdefgh", "bcdefghi")
)

HOSTILE_DRAFTS = [
    (REFERENCE.replace("version: 1", "version: !!int abc"), "draft.yaml:6:10: 'abc' is not a whole number"),
    (REFERENCE.replace("version: 1", "version: 0b_"), "draft.yaml:6:10: '0b_' is not a whole number"),
    (REFERENCE.replace("version: 1", "version: " + "9" * 5000), "has 5000 digits; a whole number has at most 18"),
    (BILLION_LAUGHS, "draft.yaml:5:8: YAML syntax error: aliases repeat more than 10000 values"),
    ("a: " + "[" * 5000, "nest deeper than 32 levels"),
    (REFERENCE.replace("title: ", "title: \x00"), "character U+0000 is not allowed"),
]
HOSTILE_MONTHS = [
    ("2500-01", "2500-02", "period '2500-01': year must be 1970 to 2199, not 2500"),
    ("9999-13", "9999-13", "period '9999-13': year must be 1970 to 2199, not 9999"),
    ("2026-01", "2500-01", "period '2500-01': year must be 1970 to 2199, not 2500"),
    ("\u0662\u0660\u0662\u0666-01", "2026-02", "expected an ISO week like 2026-W10"),
    ("1970-01", "2199-12", "Backtest at most 24 months at a time."),
]


@pytest.fixture
def analyst_client(client, world):
    play_week(world)
    client.force_login(world.people["analyst"])
    return client


def post_backtest(client, world, draft: str, first: str = "2026-03", last: str = "2026-03"):
    return client.post(
        reverse("slm:backtest", args=[world.contract.slug]), {"draft": draft, "first": first, "last": last}
    )


@pytest.mark.parametrize(("draft", "message"), HOSTILE_DRAFTS)
def test_the_page_refuses_a_hostile_draft_with_its_place(analyst_client, world, draft, message):
    response = post_backtest(analyst_client, world, draft)
    assert response.status_code == 422
    if "\x00" in draft:  # the form refuses it before the kernel reads it
        message = "Null characters are not allowed."
    assert message in html.unescape(response.content.decode())


@pytest.mark.parametrize(("first", "last", "message"), HOSTILE_MONTHS)
def test_the_page_refuses_months_out_of_range(analyst_client, world, first, last, message):
    response = post_backtest(analyst_client, world, REFERENCE.replace("version: 1", "version: 2"), first, last)
    assert response.status_code == 422
    assert message in html.unescape(response.content.decode())


def test_an_uploaded_hostile_draft_is_refused_too(analyst_client, world):
    upload = SimpleUploadedFile("draft.yaml", BILLION_LAUGHS.encode(), "application/yaml")
    response = analyst_client.post(
        reverse("slm:backtest", args=[world.contract.slug]), {"upload": upload, "first": "2026-03", "last": "2026-03"}
    )
    assert response.status_code == 422
    assert "aliases repeat more than 10000 values" in html.unescape(response.content.decode())


@pytest.mark.parametrize(("draft", "message"), HOSTILE_DRAFTS[:4])
def test_the_command_exits_two_with_the_message(world, tmp_path, capsys, draft, message):
    path = tmp_path / "draft.yaml"
    path.write_text(draft)
    events = tmp_path / "events.jsonl"
    events.write_text("")
    with pytest.raises(CommandError) as refused:
        call_command(
            "backtest", "--contract", str(path), "--events", str(events), "--from", "2026-03", "--to", "2026-03"
        )
    assert refused.value.returncode == 2
    assert message.replace("draft.yaml", str(path)) in str(refused.value)


@pytest.mark.parametrize(("first", "last", "message"), HOSTILE_MONTHS[:4])
def test_the_command_refuses_months_out_of_range(world, tmp_path, capsys, first, last, message):
    path = tmp_path / "draft.yaml"
    path.write_text(REFERENCE.replace("version: 1", "version: 2"))
    events = tmp_path / "events.jsonl"
    events.write_text("")
    with pytest.raises(CommandError) as refused:
        call_command("backtest", "--contract", str(path), "--events", str(events), "--from", first, "--to", last)
    assert refused.value.returncode == 2
    assert message in capsys.readouterr().err
