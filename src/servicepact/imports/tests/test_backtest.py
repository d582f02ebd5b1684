"""Backtesting a draft on an imported history: the page and the command take one import's tickets."""

import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from servicepact.imports.actions import import_history
from servicepact.imports.tests.conftest import HISTORY_TEXT, write_servicenow
from servicepact.imports.tests.conftest import servicenow_row as row
from servicepact.slm.models import BacktestRun
from servicepact.slm.reporting.backtesting import history_tickets
from servicepact.slm.tasks_backtest import run_backtest

# A draft of the history contract: P3 tickets resolved within 8 business hours instead of 24.
DRAFT = HISTORY_TEXT.replace("version: 1", "version: 2").replace(
    "P3: {within: 24h, calendar: service}", "P3: {within: 8h, calendar: service}"
)


@pytest.fixture
def imported(tmp_path, history_contract, importer, servicenow_mapping, world):
    # Resolved after 18 business hours (Monday 08:16-18:00 and Tuesday 08:00-16:00 in Berlin): met within
    # 24, breached within 8. Another one is resolved within the hour.
    rows = [
        row("0000001", "New", 0, "29/2/2016 01:23"),
        row("0000001", "Resolved", 1, "1/3/2016 12:00"),
        row("0000002", "Active", 0, "2/3/2016 06:10", opened="2/3/2016 06:00"),
        row("0000002", "Resolved", 1, "2/3/2016 06:40", opened="2/3/2016 06:00"),
    ]
    path = write_servicenow(tmp_path / "incidents.csv", rows)
    run = import_history(actor=importer, contract=history_contract, path=path, mapping=servicenow_mapping)
    # A ticket of the contract that did not come from this import stays out of its history.
    other = write_servicenow(
        tmp_path / "other.csv", [row("0000009", "New", 0, "3/3/2016 10:00", opened="3/3/2016 10:00")]
    )
    import_history(actor=importer, contract=history_contract, path=other, mapping=servicenow_mapping)
    return run


def number_of(reference: str) -> str:
    from servicepact.imports.models import ImportedTicket

    return ImportedTicket.objects.select_related("ticket").get(reference=reference).ticket.number


def test_the_history_of_an_import_is_its_files_tickets(imported, history_contract):
    assert sorted(history_tickets(history_contract, imported).values_list("number", flat=True)) == sorted(
        [number_of("0000001"), number_of("0000002")]
    )
    assert history_tickets(history_contract).count() == 3


def test_the_backtest_page_tries_a_draft_on_an_import(client, world, imported, history_contract):
    client.force_login(world.people["analyst"])
    url = reverse("slm:backtest", args=[history_contract.slug])
    page = client.get(url, {"history": imported.pk}).content.decode()
    assert f'<option value="{imported.pk}" selected>' in page
    response = client.post(url, {"draft": DRAFT, "first": "2016-02", "last": "2016-03", "history": imported.pk})
    run = BacktestRun.objects.get()
    assert response.status_code == 302 and run.history == imported
    run_backtest.call(run.pk)  # the worker's turn
    page = client.get(run.get_absolute_url()).content.decode()
    assert f"on the tickets of import {imported.pk}" in page
    # the flipping clock, beside the source tool's own verdict (ServiceNow's made_sla)
    flip = re.search(rf"{number_of('0000001')}</a></td>(.*?)</tr>", page, re.S).group(1)
    assert re.findall(r">([\w-]+)</td>", flip) == ["resolution", "2016-03", "met", "breached", "met"]
    assert "Source tool" in page
    assert number_of("0000009") not in page


def test_the_command_takes_an_import_as_history(tmp_path, imported, capsys):
    draft = tmp_path / "draft.yaml"
    draft.write_text(DRAFT)
    call_command(
        "backtest", "--contract", str(draft), "--import", str(imported.pk), "--from", "2016-02", "--to", "2016-03"
    )
    result = json.loads(capsys.readouterr().out)
    march = result["months"][1]
    assert march["flips"] == [
        {"ticket": number_of("0000001"), "clock": "resolution", "baseline": "met", "draft": "breached"}
    ]
    resolution = next(m for m in march["measures"] if m["id"] == "resolution-compliance")
    assert (resolution["baseline"]["value"], resolution["draft"]["value"]) == (1, 0.5)
    assert result["totals"]["flips_to_breached"] == 1
    with pytest.raises(CommandError, match="has no import 999"):
        call_command("backtest", "--contract", str(draft), "--import", "999", "--from", "2016-02", "--to", "2016-03")
