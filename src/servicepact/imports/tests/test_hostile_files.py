"""Hostile import files: a cell beyond the CSV reader's limit, bytes that are not UTF-8, a mapping that is a
billion-laughs YAML; each refused with its line and nothing changed, never a traceback."""

import pytest

from servicepact.desk.models import Ticket
from servicepact.imports.actions import ImportRefused, import_history
from servicepact.imports.mapping import MappingError, load_mapping
from servicepact.imports.tests.test_sources import AUDIT_MAPPING, CSV_MAPPING

HUGE_CELL = "x" * 200_000


def refused(world, tmp_path, name: str, content: bytes, mapping_text: str) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportRefused) as error:
        import_history(
            actor=world.people["administrator"], contract=world.contract, path=path, mapping=load_mapping(mapping_text)
        )
    assert not Ticket.objects.exists()
    return str(error.value) + " " + repr(getattr(error.value, "report", ""))


@pytest.mark.parametrize(
    ("layout", "mapping"),
    [
        ("events", CSV_MAPPING % "events"),
        ("tickets", CSV_MAPPING % "tickets"),
        ("sys_audit", AUDIT_MAPPING % ("sys_audit", "")),
    ],
)
def test_a_cell_beyond_the_csv_limit_is_refused_with_its_line(world, tmp_path, layout, mapping):
    content = f"reference,at,opened_at,documentkey,fieldname,newvalue,sys_created_on\n{HUGE_CELL},x,x,x,x,x,x\n"
    message = refused(world, tmp_path, "export.csv", content.encode(), mapping)
    assert "line 2: not CSV that can be read: field larger than field limit" in message


@pytest.mark.parametrize(
    ("layout", "mapping"),
    [
        ("events", CSV_MAPPING % "events"),
        ("sys_audit", AUDIT_MAPPING % ("sys_audit", "")),
    ],
)
def test_bytes_that_are_not_utf8_are_refused(world, tmp_path, layout, mapping):
    message = refused(world, tmp_path, "export.csv", b"reference,at\n\xff\xfe\x00,x\n", mapping)
    assert "not UTF-8 text" in message


def test_a_billion_laughs_mapping_is_refused_at_its_alias():
    laughs = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
        f"{name}: &{name} [{','.join([f'*{previous}'] * 9)}]\n" for previous, name in zip("abcdefgh", "bcdefghi")
    )
    with pytest.raises(MappingError) as error:
        load_mapping(laughs)
    assert "aliases repeat more than 10000 values" in str(error.value)
