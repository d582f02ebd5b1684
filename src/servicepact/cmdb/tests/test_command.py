"""``servicepact cmdb import|export``: every bad row on standard error and nothing changed, then one import."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from servicepact.cmdb.models import ConfigurationItem
from servicepact.cmdb.tests.factories import build_cmdb

pytestmark = pytest.mark.django_db


def test_import_dry_run_then_real_then_export(world, tmp_path, capsys):
    build_cmdb(world)
    bad = tmp_path / "bad.csv"
    bad.write_text("key,name,class,os\nw-1,W,server,\nw-2,,server,Linux\n")
    with pytest.raises(CommandError) as refused:
        call_command(
            "cmdb", "import", "--contract", "globex-ito", "--items", str(bad), "--as", "administrator@example.test"
        )
    assert refused.value.returncode == 2
    errors = capsys.readouterr().err
    assert f"{bad}:2: attributes:" in errors and f"{bad}:3: name:" in errors
    assert not ConfigurationItem.objects.filter(key__in=["w-1", "w-2"]).exists()
    good = tmp_path / "good.csv"
    good.write_text("key,name,class,os\nw-1,W,server,Linux\n")
    call_command(
        "cmdb",
        "import",
        "--contract",
        "globex-ito",
        "--items",
        str(good),
        "--as",
        "administrator@example.test",
        "--dry-run",
    )
    assert "dry run" in capsys.readouterr().out and not ConfigurationItem.objects.filter(key="w-1").exists()
    call_command(
        "cmdb", "import", "--contract", "globex-ito", "--items", str(good), "--as", "administrator@example.test"
    )
    assert ConfigurationItem.objects.get(key="w-1").attributes == {"os": "Linux"}
    out = tmp_path / "out.csv"
    call_command("cmdb", "export", "--contract", "globex-ito", "--output", str(out))
    assert "w-1,W,server" in out.read_text()
    call_command("cmdb", "export", "--contract", "globex-ito", "--relationships")
    assert "sap-app,runs_on,sap-srv-1" in capsys.readouterr().out


def test_a_person_who_may_not_keep_items_is_refused(world, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("key,name,class,os\nw-1,W,server,Linux\n")
    with pytest.raises(CommandError) as refused:
        call_command("cmdb", "import", "--contract", "globex-ito", "--items", str(good), "--as", "agent@example.test")
    assert refused.value.returncode == 1
