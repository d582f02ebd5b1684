"""Outages in the service: the actions and their history, the access layer, the export, and the stored
monthly report that counts them and keeps their log, so that it verifies offline.

March 2026 (Berlin) with ``march_outages``, by hand: sap-erp is measured around the clock, 743 hours
(2,674,800 s); the planned Sunday work takes 4 h of it in the maintenance window (AST 2,660,400 s) and
runs 1 h over; 2 h of the outage across the month's start fall in March; the overlapping pair covers 3 h:
downtime 6 h, 2,638,800 / 2,660,400 = 0.991881 < 0.999: 5 % credit. mes-asia is measured in cn-business
hours, 22 weekdays of 8 h (633,600 s), and is down from Tuesday 31 March 09:00 Shanghai time to the end
of the month, 8 h: 0.954545 < 0.995: 3 % credit. No ticket: the ticket measures are null. 8 % of
120,000 EUR is 9,600.00.
"""

import hashlib
import io
import json
from contextlib import redirect_stdout
from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from servicepact.availability import actions
from servicepact.availability.models import Outage
from servicepact.availability.tests.conftest import NOW, utc
from servicepact.history.models import HistoryEntry
from servicepact.history.verification import verify_all
from servicepact.refusals import ActionRefused
from servicepact.sla.commands import report as report_command
from servicepact.slm.models import ReportKind
from servicepact.slm.reporting.generation import ReportRequest, generate_report

pytestmark = pytest.mark.django_db
HOUR = 3600


def record(world, **changes) -> Outage:
    values = {
        "actor": world.people["agent"],
        "contract": world.contract,
        "service": world.services["sso"],
        "start": utc(2026, 3, 10, 9),
        "end": utc(2026, 3, 10, 10),
        "now": NOW,
    }
    return actions.record_outage(**(values | changes))


class TestActions:
    def test_recording_writes_the_outage_and_its_history(self, world):
        outage = record(world, reference=" CHG-42 ", description="Certificate rollover", planned=True)
        assert (outage.reference, outage.planned, outage.recorded_by) == ("CHG-42", True, world.people["agent"])
        entries = list(HistoryEntry.objects.of(outage))
        assert [(entry.seq, entry.type, entry.data["service"]) for entry in entries] == [(1, "recorded", "sso")]

    def test_ending_and_correcting_extend_the_chain(self, world):
        outage = record(world, end=None)
        actions.end_outage(outage, actor=world.people["resolver"], end=utc(2026, 3, 10, 11), now=NOW)
        with pytest.raises(ActionRefused) as again:
            actions.end_outage(outage, actor=world.people["resolver"], end=utc(2026, 3, 10, 12), now=NOW)
        assert again.value.status == 409
        actions.correct_outage(
            outage,
            actor=world.people["team-lead"],
            reason="Monitoring showed an earlier start",
            start=utc(2026, 3, 10, 8, 30),
            end=utc(2026, 3, 10, 11),
            planned=False,
            now=NOW,
        )
        entries = list(HistoryEntry.objects.of(outage).order_by("seq"))
        assert [entry.type for entry in entries] == ["recorded", "ended", "corrected"]
        assert entries[2].data["changes"] == {
            "start": {"from": "2026-03-10T09:00:00+00:00", "to": "2026-03-10T08:30:00+00:00"}
        }
        assert list(verify_all()) == []

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"end": utc(2026, 3, 10, 9)}, "end", "The end must be after the start."),
            ({"start": datetime(2026, 3, 10, 9)}, "start", "Give a time with its time zone."),
            ({"start": utc(2026, 5, 1), "end": None}, "start", "An outage is recorded once it has begun"),
            ({"start": None}, "start", "This field is required."),
            ({"reference": "R" * 65}, "reference", "A reference has at most 64 characters."),
            ({"service": None}, "service", "This field is required."),
        ],
    )
    def test_bad_values_are_refused_by_field_and_change_nothing(self, world, changes, field, message):
        with pytest.raises(ActionRefused) as refused:
            record(world, **changes)
        assert refused.value.errors[field][0].startswith(message)
        assert not Outage.objects.exists() and not HistoryEntry.objects.exists()

    def test_a_service_of_another_contract_is_refused(self, world):
        other = world.other_contract.services.get(key="sap-erp")
        with pytest.raises(ActionRefused) as refused:
            record(world, service=other)
        assert refused.value.errors["service"] == ["Choose a service of this contract."]

    @pytest.mark.parametrize("person", ["customer-manager", "requester", "analyst", "vendor-engineer"])
    def test_only_the_providers_staff_record(self, world, person):
        with pytest.raises(PermissionDenied):
            record(world, actor=world.people[person])


class TestAccess:
    def test_both_parties_see_the_outages_and_nobody_else(self, world):
        outage = record(world)
        seen_by = {
            name for name, person in world.people.items() if Outage.objects.visible_to(person).filter(pk=outage.pk)
        }
        assert seen_by == {
            "customer-manager",
            "security-resolver",
            "agent",
            "resolver",
            "team-lead",
            "analyst",
            "administrator",
        }
        assert HistoryEntry.objects.visible_to(world.people["customer-manager"]).of(outage).count() == 1
        assert not HistoryEntry.objects.visible_to(world.people["other-manager"]).of(outage).exists()


class TestExport:
    def test_events_export_outages_writes_the_canonical_outage_log(self, world, march_outages):
        out = io.StringIO()
        call_command("events", "export", "--outages", "--contract", "globex-ito", stdout=out)
        lines = out.getvalue().splitlines()
        assert (
            lines[0] == '{"end":null,"planned":false,"ref":"MI-3","service":"mes-asia","start":"2026-03-31T01:00:00Z"}'
        )
        assert lines[1] == (
            '{"end":"2026-03-01T01:00:00Z","planned":false,"ref":"GLX-1","service":"sap-erp","start":"2026-02-28T22:00:00Z"}'
        )
        assert len(lines) == 5 and '"ref"' not in lines[3]

    def test_since_leaves_out_outages_ended_before_it(self, world, march_outages):
        out = io.StringIO()
        call_command("events", "export", "--outages", "--since", "2026-03-10T12:30:00Z", stdout=out)
        assert [json.loads(line).get("ref") for line in out.getvalue().splitlines()] == ["MI-3", None]

    def test_a_bad_since_is_exit_2(self, world):
        with pytest.raises(CommandError) as refused:
            call_command("events", "export", "--outages", "--since", "2026-03-10T12:30:00")
        assert refused.value.returncode == 2 and "has no offset" in str(refused.value)


def march_report(world):
    return generate_report(ReportRequest(world.contract, ReportKind.MONTHLY, "2026-03"))


class TestStoredReport:
    def test_the_month_counts_the_outages_with_their_credits(self, world, march_outages):
        stored = march_report(world)
        body = json.loads(stored.body)
        measures = {measure["id"]: measure for measure in body["measures"]}
        erp, mes = measures["erp-availability"], measures["mes-availability"]
        assert (erp["numerator"], erp["denominator"], erp["value"], erp["met"]) == (2638800, 2660400, 0.991881, False)
        assert (mes["numerator"], mes["denominator"], mes["value"]) == (604800, 633600, 0.954545)
        assert body["credits"]["applied"] == [
            {"measure": "erp-availability", "percent": 5},
            {"measure": "mes-availability", "percent": 3},
        ]
        assert body["credits"]["amount"] == "9600.00"
        assert body["availability"]["erp-availability"]["maintenance_s"] == 4 * HOUR

    def test_the_report_keeps_its_outage_log_and_verifies_offline(self, world, march_outages, tmp_path):
        stored = march_report(world)
        kept = stored.outage_log.content()
        assert hashlib.sha256(kept).hexdigest() == json.loads(stored.body)["digest"]["outages_sha256"]
        # a correction after the report changes the live outages, not what the report keeps
        actions.end_outage(march_outages[4], actor=world.people["agent"], end=utc(2026, 3, 31, 3), now=NOW)
        files = {
            "report.json": stored.body.encode(),
            "v1.yaml": world.version.source.encode(),
            "v2.yaml": stored.contract_version.source.encode(),
            "events.jsonl": stored.log.content(),
            "outages.jsonl": kept,
        }
        for name, content in files.items():
            (tmp_path / name).write_bytes(content)
        arguments = ["verify", str(tmp_path / "report.json"), "--contract", str(tmp_path / "v1.yaml")]
        arguments += ["--contract", str(tmp_path / "v2.yaml"), "--events", str(tmp_path / "events.jsonl")]
        out = io.StringIO()
        with redirect_stdout(out):
            code = report_command.main([*arguments, "--outages", str(tmp_path / "outages.jsonl")])
        assert (code, out.getvalue()) == (0, "MATCH\n")

    def test_outages_changed_after_the_report_are_named_on_its_page(self, world, march_outages):
        stored = march_report(world)
        client = Client()
        client.force_login(world.people["customer-manager"])
        assert b"outages-changed-since" not in client.get(stored.get_absolute_url()).content
        actions.end_outage(march_outages[4], actor=world.people["agent"], end=utc(2026, 3, 31, 3))
        page = client.get(stored.get_absolute_url()).content.decode()
        assert 'id="outages-changed-since"' in page and march_outages[4].get_absolute_url() in page

    def test_a_report_without_availability_measures_keeps_no_outage_log(self, world):
        stored = march_report(world)
        assert stored.outage_log is None and "outages_sha256" not in json.loads(stored.body)["digest"]


class TestPages:
    def client_of(self, world, person) -> Client:
        client = Client()
        client.force_login(world.people[person])
        return client

    def test_the_report_page_shows_availability_and_the_drilldown_lists_the_outages(self, world, march_outages):
        stored = march_report(world)
        client = self.client_of(world, "customer-manager")
        page = client.get(stored.get_absolute_url()).content.decode()
        assert 'data-availability="erp-availability"' in page and "99.1881 %" in page and "5 %" in page
        assert reverse("slm:report_outages", args=[stored.pk]) in page
        drill = client.get(reverse("slm:report_drilldown", args=[stored.pk, "erp-availability"])).content.decode()
        assert drill.count("data-outage-start=") == 4 and "CHG-7" in drill and "6 h 00 min 00 s" in drill
        download = client.get(reverse("slm:report_outages", args=[stored.pk]))
        assert download.content == stored.outage_log.content()

    def test_the_outage_list_for_each_party(self, world, march_outages):
        url = reverse("availability:outages", args=["globex-ito"])
        manager = self.client_of(world, "customer-manager").get(url)
        assert manager.status_code == 200 and b"MI-3" in manager.content and b"record-outage" not in manager.content
        agent = self.client_of(world, "agent").get(url)
        assert b"record-outage" in agent.content
        assert self.client_of(world, "requester").get(url).status_code == 403
        assert self.client_of(world, "other-manager").get(url).status_code == 404

    def test_the_pages_in_simplified_chinese(self, world, march_outages):
        agent = world.people["agent"]
        agent.language = "zh-hans"
        agent.save(update_fields=["language"])
        page = self.client_of(world, "agent").get(reverse("availability:outages", args=["globex-ito"]))
        text = page.content.decode()
        assert "记录中断" in text and "仍在中断" in text and "可用性指标在月度报告中统计这些中断。" in text

    def test_the_record_form_refuses_with_its_field_and_records(self, world, availability_version):
        client = self.client_of(world, "agent")
        url = reverse("availability:record", args=["globex-ito"])
        service = world.services["sap-erp"].pk
        bad = client.post(
            url, {"record-service": service, "record-start": "2026-03-10T10:00", "record-end": "2026-03-10T09:00"}
        )
        assert bad.status_code == 422 and "The end must be after the start." in bad.content.decode()
        assert not Outage.objects.exists()
        good = client.post(
            url, {"record-service": service, "record-start": "2026-03-10T10:00", "record-reference": "GLX-9"}
        )
        outage = Outage.objects.get()
        assert good.status_code == 302 and good["Location"] == outage.get_absolute_url()
        assert outage.end is None and outage.reference == "GLX-9"


class TestApi:
    def test_record_list_end(self, world, availability_version):
        agent = self.client_for(world, "agent")
        created = agent.post(
            "/api/contracts/globex-ito/outages",
            {"service": "sap-erp", "start": "2026-03-10T10:00:00+01:00", "planned": True, "reference": "CHG-1"},
            content_type="application/json",
        )
        assert created.status_code == 201, created.content
        body = created.json()
        assert (body["service"], body["end"], body["history"][0]["type"]) == ("sap-erp", None, "recorded")
        ended = agent.post(
            f"/api/outages/{body['id']}/end", {"end": "2026-03-10T11:00:00Z"}, content_type="application/json"
        )
        assert ended.status_code == 200 and [entry["type"] for entry in ended.json()["history"]] == [
            "recorded",
            "ended",
        ]
        listed = self.client_for(world, "customer-manager").get("/api/contracts/globex-ito/outages").json()
        assert [(item["service"], item["end"]) for item in listed] == [("sap-erp", "2026-03-10T11:00:00Z")]

    def test_refusals(self, world, availability_version):
        manager = self.client_for(world, "customer-manager")
        refused = manager.post(
            "/api/contracts/globex-ito/outages",
            {"service": "sap-erp", "start": "2026-03-10T10:00:00Z"},
            content_type="application/json",
        )
        assert refused.status_code == 403
        agent = self.client_for(world, "agent")
        unknown = agent.post(
            "/api/contracts/globex-ito/outages",
            {"service": "nope", "start": "2026-03-10T10:00:00Z", "colour": "red"},
            content_type="application/json",
        )
        assert unknown.status_code == 422
        assert not Outage.objects.exists()

    def client_for(self, world, person) -> Client:
        client = Client()
        client.force_login(world.people[person])
        return client
