"""CSV import and export (dry run, every bad row, one transaction), the pages and the API of the CMDB."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from servicepact.cmdb import csv_io
from servicepact.cmdb.models import ConfigurationItem, Relationship
from servicepact.cmdb.tests.factories import build_cmdb
from servicepact.desk import actions as desk_actions
from servicepact.history.models import HistoryEntry

pytestmark = pytest.mark.django_db

ITEMS = """key,name,class,owner_team,tier,location,timezone,lifecycle,os,engine,cpu_cores
web-1,web01,server,app-support-cn,2,Frankfurt,Europe/Berlin,live,Ubuntu 24.04,,8
pg-1,orders db,database,,2,Frankfurt,Europe/Berlin,live,,postgresql,
"""
RELATIONSHIPS = """source,kind,target
pg-1,runs_on,web-1
sap-erp,depends_on,pg-1
"""
BAD_ITEMS = """key,name,class,owner_team,tier,location,timezone,lifecycle,os,engine,cpu_cores
web-1,web01,server,no-such-team,7,Frankfurt,Mars/Base,live,,,eight
pg-1,,database,,2,,,,,,
pg-1,dup,database,,2,,UTC,,,oracle,
"""


@pytest.fixture
def items(world):
    return build_cmdb(world)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_dry_run_lists_every_bad_row_and_changes_nothing(world, items):
    before = ConfigurationItem.objects.count(), HistoryEntry.objects.count()
    with pytest.raises(csv_io.ImportRefusedError) as refused:
        csv_io.import_csv(
            world.contract,
            actor=world.people["administrator"],
            items_text=BAD_ITEMS,
            relationships_text="source,kind,target\nweb-1,hosts,nowhere\n",
            dry_run=True,
        )
    found = {(p.file, p.line, p.field) for p in refused.value.report.problems}
    assert ("items", 2, "owner_team") in found
    assert ("items", 2, "tier") in found
    assert ("items", 3, "name") in found
    assert ("items", 4, "key") in found
    assert ("relationships", 2, "kind") in found
    assert ("relationships", 2, "target") in found
    assert (ConfigurationItem.objects.count(), HistoryEntry.objects.count()) == before


def test_attributes_are_checked_per_class_with_the_line(world, items):
    text = "key,name,class,os,engine\nx-1,X,server,,\ny-1,Y,database,,db2\nz-1,Z,network_device,Linux,\n"
    with pytest.raises(csv_io.ImportRefusedError) as refused:
        csv_io.import_csv(world.contract, actor=world.people["administrator"], items_text=text, dry_run=False)
    problems = [(p.line, p.field, p.message) for p in refused.value.report.problems]
    assert [line for line, *_ in problems] == [2, 3, 4]
    assert "server needs the attribute os" in problems[0][2]
    assert "engine must be one of" in problems[1][2]
    assert "takes no attribute os" in problems[2][2]
    assert not ConfigurationItem.objects.filter(key__in=["x-1", "y-1", "z-1"]).exists()


def test_a_real_run_imports_everything_and_export_gives_it_back(world, items):
    admin = world.people["administrator"]
    dry = csv_io.import_csv(
        world.contract, actor=admin, items_text=ITEMS, relationships_text=RELATIONSHIPS, dry_run=True
    )
    assert (dry.created, dry.related) == (2, 2)
    assert not ConfigurationItem.objects.filter(key="web-1").exists()
    report = csv_io.import_csv(
        world.contract, actor=admin, items_text=ITEMS, relationships_text=RELATIONSHIPS, dry_run=False
    )
    assert (report.created, report.related) == (2, 2)
    web = ConfigurationItem.objects.get(key="web-1")
    assert web.attributes == {"os": "Ubuntu 24.04", "cpu_cores": 8}
    assert web.owner_team == world.teams["app-cn"]
    assert Relationship.objects.filter(source__key="sap-erp", target__key="pg-1").exists()
    exported = csv_io.export_items(ConfigurationItem.objects.filter(contract=world.contract).order_by("key"))
    relations = csv_io.export_relationships(Relationship.objects.filter(source__contract=world.contract))
    again = csv_io.import_csv(
        world.contract, actor=admin, items_text=exported, relationships_text=relations, dry_run=False
    )
    assert (again.created, again.updated, again.related) == (0, 0, 0)


def test_the_item_page_draws_the_graph_and_lists_the_affected(world, items):
    response = client_of(world.people["agent"]).get(reverse("cmdb:item", args=[items["san-1"].pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body and body.count('class="node"') == 5
    assert "SAP ERP" in body
    assert (
        client_of(world.people["other-manager"]).get(reverse("cmdb:item", args=[items["san-1"].pk])).status_code == 404
    )


def test_the_impact_api_answers_like_the_page(world, items):
    response = client_of(world.people["agent"]).get(f"/api/cmdb/items/{items['san-1'].pk}/impact")
    assert response.status_code == 200
    answer = response.json()
    assert [service["key"] for service in answer["services"]] == ["sap-erp"]
    assert sorted(item["key"] for item in answer["upstream"]) == ["sap-app", "sap-db", "sap-erp", "sap-srv-1"]
    assert ["sap-db", "runs_on", "san-1"] in answer["relationships"]


def test_the_ticket_page_names_items_and_the_handlers_add_one(world, items):
    ticket = desk_actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Posting fails",
        impact="low",
        urgency="low",
    )
    agent = client_of(world.people["agent"])
    response = agent.post(reverse("cmdb:link_ticket", args=[ticket.number]), {"item": "sap-db"})
    assert response.status_code == 302
    page = agent.get(reverse("desk:ticket", args=[ticket.number])).content.decode()
    assert 'id="ticket-items"' in page and "SAP HANA" in page
    api = agent.get(f"/api/tickets/{ticket.number}/items").json()
    assert [item["key"] for item in api] == ["sap-db"]


def test_the_import_page_reports_bad_rows(world, items):
    admin = client_of(world.people["administrator"])
    upload = SimpleUploadedFile("items.csv", BAD_ITEMS.encode(), content_type="text/csv")
    response = admin.post(reverse("cmdb:import"), {"contract": world.contract.pk, "items": upload, "dry_run": "on"})
    assert response.status_code == 422
    assert "no-such-team" in response.content.decode()


def test_the_item_page_speaks_simplified_chinese(world, items):
    manager = world.people["customer-manager"]
    manager.language = "zh-hans"
    manager.save(update_fields=["language"])
    body = client_of(manager).get(reverse("cmdb:item", args=[items["san-1"].pk])).content.decode()
    assert "受影响的业务服务" in body and "如果它发生故障" in body
