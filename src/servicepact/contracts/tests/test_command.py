"""``servicepact contract register|sign|versions``: the same actions from the command line, with exit codes."""

import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from servicepact.contracts.management.commands.contract import Command
from servicepact.contracts.models import ContractVersion, VersionStatus
from servicepact.sla.cli import is_kernel_command
from servicepact.testing.factories import EXAMPLE_CONTRACT

TEXT = EXAMPLE_CONTRACT.read_text()
SECOND = TEXT.replace("version: 1\n", "version: 2\n", 1).replace(
    "P2: {within: 8h,  calendar: service}", "P2: {within: 6h,  calendar: service}"
)


@pytest.fixture
def second_file(tmp_path):
    path = tmp_path / "globex-ito-v2.yaml"
    path.write_text(SECOND)
    return path


def refused(*args: str) -> CommandError:
    with pytest.raises(CommandError) as raised:
        call_command("contract", *args)
    return raised.value


def test_register_prints_the_draft_and_its_changes_since_the_signed_version(world, second_file, capsys):
    call_command("contract", "register", "globex-ito", str(second_file), "--as", "administrator@example.test")
    out = capsys.readouterr().out
    assert "globex-ito v2 registered as a draft: effective 2026-01-01 to 2027-12-31" in out
    assert "clocks.resolution: target P2: 8h service -> 6h service" in out
    assert ContractVersion.objects.get(contract=world.contract, number=2).status == VersionStatus.DRAFT


def test_sign_by_both_parties_then_versions_lists_them(world, second_file, capsys):
    call_command("contract", "register", "globex-ito", str(second_file), "--as", "customer-manager@example.test")
    call_command("contract", "sign", "globex-ito", "2", "--as", "customer-manager@example.test")
    assert (
        "signed for the customer by customer-manager@example.test; waiting for the provider" in capsys.readouterr().out
    )
    call_command("contract", "sign", "globex-ito", "2", "--as", "administrator@example.test", "--party", "provider")
    assert "signed by both parties, effective 2026-01-01 to 2027-12-31" in capsys.readouterr().out
    call_command("contract", "versions", "globex-ito")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("version  status")
    assert lines[2].startswith("2        signed  2026-01-01 to 2027-12-31")
    assert "customer-manager@example.test" in lines[2] and "administrator@example.test" in lines[2]


def test_a_bad_text_exits_2_naming_each_line(world, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SECOND.replace("tier: 3", "tier: three"))
    line = 1 + SECOND[: SECOND.index("tier: 3")].count("\n")
    error = refused("register", "globex-ito", str(bad), "--as", "administrator@example.test")
    assert error.returncode == 2
    assert f"globex-ito.yaml:{line}:" in str(error)
    assert not ContractVersion.objects.filter(number=2).exists()


@pytest.mark.parametrize(
    "args, code, message",
    [
        (("register", "nope-ito", "FILE", "--as", "administrator@example.test"), 2, "SLUG: no contract 'nope-ito'"),
        (
            ("register", "globex-ito", "/nonexistent.yaml", "--as", "administrator@example.test"),
            2,
            "FILE: /nonexistent.yaml: cannot read the file",
        ),
        (("register", "globex-ito", "FILE", "--as", "nobody@example.test"), 2, "--as: no person"),
        (
            ("sign", "globex-ito", "two", "--as", "administrator@example.test"),
            2,
            "NUMBER: 'two' is not a version number",
        ),
        (
            ("sign", "globex-ito", "9", "--as", "administrator@example.test"),
            2,
            "NUMBER: contract globex-ito has no version 9",
        ),
        (("versions", "nope-ito"), 2, "SLUG: no contract 'nope-ito' (contracts: globex-ito, initech-ito)"),
        # Refused by the rules: not allowed, or signed already.
        (("register", "globex-ito", "FILE", "--as", "agent@example.test"), 1, "You may not register versions"),
        (("sign", "globex-ito", "1", "--as", "administrator@example.test"), 1, "Version 1 is signed already"),
    ],
)
def test_refusals_exit_with_a_message_and_change_nothing(world, second_file, args, code, message):
    args = tuple(str(second_file) if arg == "FILE" else arg for arg in args)
    before = list(ContractVersion.objects.values_list("pk", "status", "sha256"))
    error = refused(*args)
    assert error.returncode == code
    assert message in str(error)
    assert list(ContractVersion.objects.values_list("pk", "status", "sha256")) == before


def test_signing_for_the_other_side_exits_1(world, second_file):
    call_command("contract", "register", "globex-ito", str(second_file), "--as", "administrator@example.test")
    error = refused("sign", "globex-ito", "2", "--as", "customer-manager@example.test", "--party", "provider")
    assert (error.returncode, str(error)) == (1, "You may not sign for the provider.")


def test_the_service_runs_register_sign_and_versions_the_kernel_the_rest():
    for word in ("register", "sign", "versions"):
        assert not is_kernel_command(["contract", word, "globex-ito"])
    for word in ("check", "schema", "diff"):
        assert is_kernel_command(["contract", word])


def test_the_kernel_subcommands_still_answer_through_the_management_command(capsys):
    with pytest.raises(SystemExit) as exited:
        call_command_from_argv(["contract", "check", str(EXAMPLE_CONTRACT)])
    assert exited.value.code == 0
    assert "globex-ito v1:" in capsys.readouterr().out


def call_command_from_argv(argv: list[str]) -> None:
    Command().run_from_argv(["servicepact", *argv])


def test_the_real_command_exits_2_with_one_line_and_no_traceback(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SERVICEPACT_") and key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["SERVICEPACT_DATA_DIR"] = str(tmp_path)

    def servicepact(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "servicepact", *args], env=env, capture_output=True, text=True, timeout=300
        )

    assert servicepact("migrate", "--no-input", "--skip-checks").returncode == 0
    result = servicepact("contract", "versions", "globex-ito")
    assert result.returncode == 2
    # The message is the last line (start-up notices of installed apps may come before it), never a traceback.
    assert result.stderr.strip().splitlines()[-1] == "CommandError: SLUG: no contract 'globex-ito' (contracts: none)"
    assert "Traceback" not in result.stderr
    result = servicepact("contract", "sign", "globex-ito")
    assert result.returncode == 2 and "the following arguments are required: number, --as" in result.stderr
    assert "Traceback" not in result.stderr
