"""Every management command answers input it cannot use with exit code 2 and a message, never a traceback
(the kernel's commands are held to it in sla/tests/test_hostile_input.py)."""

import pytest
from django.core.management import CommandError, call_command

from servicepact.testing.factories import EXAMPLE_CONTRACT

CASES = [
    (["demo", "--months", "99"], "--months 99 is outside 0-24"),
    (["demo", "--months", "\u0663"], "is not a whole number from 0 to 24"),
    (["demo", "--months", "9" * 5000], "is not a whole number from 0 to 24"),
    (["contract", "sign", "globex-ito", "\u00b3", "--as", "administrator@example.test"], "is not a version number"),
    (["contract", "sign", "globex-ito", "9" * 30, "--as", "administrator@example.test"], "is not a version number"),
    (["contract", "versions", "\x01"], "no contract"),
    (["events", "export", "--since", "9999-01-01T00:00:00Z"], "lies outside the supported range"),
    (["events", "export", "--since", "2026-0\u0663-01T00:00:00Z"], "not an RFC 3339 instant"),
    (["events", "verify", "--ticket", "x" * 5000], "no ticket"),
]


@pytest.mark.parametrize(("argv", "message"), CASES, ids=[" ".join(argv)[:40] for argv, _ in CASES])
def test_bad_input_is_exit_two_with_its_message(world, argv, message):
    with pytest.raises(CommandError) as refused:
        call_command(*argv)
    assert refused.value.returncode == 2
    assert message in str(refused.value)


def test_the_demo_refuses_a_database_that_holds_data_with_exit_two(world):
    with pytest.raises(CommandError) as refused:
        call_command("demo", "--months", "0")
    assert refused.value.returncode == 2


def test_registering_a_hostile_contract_is_exit_two(world, tmp_path, capsys):
    draft = tmp_path / "draft.yaml"
    draft.write_text(EXAMPLE_CONTRACT.read_text().replace("version: 1", "version: !!int abc"))
    with pytest.raises(CommandError) as refused:
        call_command("contract", "register", "globex-ito", str(draft), "--as", "administrator@example.test")
    assert refused.value.returncode == 2
    assert "'abc' is not a whole number" in str(refused.value) + capsys.readouterr().err
