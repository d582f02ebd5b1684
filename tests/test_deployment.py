"""The deployment files in deploy/ are real: units systemd accepts, a container file and a compose file whose
commands are servicepact's own with options it knows, and only variables the environment reference names."""

import ast
import configparser
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").iterdir())
INSTALLED = "/opt/servicepact/.venv/bin/servicepact"


def settings_variables() -> set[str]:
    """Every variable settings.py reads: the first argument of each call of the environment's helpers."""
    tree = ast.parse((ROOT / "src/servicepact/settings.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "env"
            and node.func.attr.startswith("get_")
        ):
            names.add(ast.literal_eval(node.args[0]))
    return names


def documented_variables() -> set[str]:
    text = (ROOT / "docs/environment.md").read_text()
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", text, flags=re.MULTILINE))


def parse_servicepact(arguments: list[str]) -> None:
    """Parse a servicepact command line as the command itself would; raises on an unknown command or option."""
    name, *options = arguments
    assert name in get_commands(), f"servicepact has no command {name!r}"
    parser = load_command_class(get_commands()[name], name).create_parser("servicepact", name)
    parser.parse_args(options)


def test_the_reference_names_every_variable_the_settings_read_and_no_other():
    read, documented = settings_variables(), documented_variables()
    assert read - documented == set(), f"add to docs/environment.md: {sorted(read - documented)}"
    assert documented - read == set(), f"no longer read by settings.py: {sorted(documented - read)}"


def unit_files(tmp_path: Path) -> list[Path]:
    """The units with this checkout's program and example environment in place of the installed paths."""
    copies = []
    for unit in UNITS:
        text = unit.read_text().replace(INSTALLED, str(Path(sys.executable).parent / "servicepact"))
        text = text.replace("/etc/servicepact/servicepact.env", str(DEPLOY / "servicepact.env.example"))
        copy = tmp_path / unit.name
        copy.write_text(text)
        copies.append(copy)
    return copies


def test_systemd_accepts_the_units(tmp_path):
    assert {unit.name for unit in UNITS} >= {
        "servicepact-migrate.service",
        "servicepact-web.service",
        "servicepact-worker@.service",
        "servicepact-backup.service",
        "servicepact-backup.timer",
    }
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed; test_unit_commands_are_servicepact_s parses them")
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *map(str, unit_files(tmp_path))],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    # systemd only warns (exit 0) about unknown keys and bad values: any line about our units fails.
    ours = [line for line in (result.stdout + result.stderr).splitlines() if "servicepact" in line]
    assert result.returncode == 0 and ours == [], result.stdout + result.stderr


def test_unit_commands_are_servicepact_s_with_options_it_knows():
    for unit in UNITS:
        parser = configparser.ConfigParser(strict=False, interpolation=None)
        parser.optionxform = str
        parser.read_string(unit.read_text())
        assert parser.has_section("Unit"), unit.name
        if not parser.has_section("Service"):
            continue
        service = parser["Service"]
        assert service["EnvironmentFile"] == "/etc/servicepact/servicepact.env", unit.name
        command = shlex.split(service["ExecStart"].replace("%i", "1").replace("%H", "host"))
        if command[0] == "/bin/sh":
            command = shlex.split(command[2].replace("%%", "%"))[1:]
        assert command[0] == INSTALLED, unit.name
        parse_servicepact(command[1:])


def containerfile_instructions() -> list[tuple[str, str]]:
    text = (DEPLOY / "Containerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    return [(line.split(None, 1)[0], line.split(None, 1)[1]) for line in lines]


def test_the_container_file_builds_from_the_repository_and_runs_servicepact():
    instructions = containerfile_instructions()
    known = {"FROM", "RUN", "COPY", "ENV", "WORKDIR", "USER", "VOLUME", "EXPOSE", "STOPSIGNAL", "HEALTHCHECK"}
    known |= {"ENTRYPOINT", "CMD", "ARG", "LABEL"}
    assert instructions[0][0] == "FROM"
    assert {keyword for keyword, _ in instructions} <= known
    for keyword, value in instructions:
        if keyword == "COPY":
            *sources, _ = value.split()
            assert all((ROOT / source).exists() for source in sources), value
        if keyword == "ENV":
            for name in re.findall(r"([A-Z][A-Z0-9_]+)=", value):
                assert name in documented_variables() | {"PATH", "PYTHONUNBUFFERED"}, name
    found = dict(instructions)
    assert json.loads(found["ENTRYPOINT"]) == ["servicepact"]
    parse_servicepact(json.loads(found["CMD"]))
    # Every system package the service needs to run (the Makefile's RUN_PACKAGES) is installed.
    makefile = (ROOT / "Makefile").read_text()
    needed = re.search(r"^RUN_PACKAGES := (.*)$", makefile, flags=re.MULTILINE).group(1).split()
    installs = " ".join(value for keyword, value in instructions if keyword == "RUN")
    for entry in needed:
        assert entry.split(":")[0] in installs, entry


def test_the_compose_file_runs_the_database_redis_migration_web_and_workers():
    compose = YAML(typ="safe").load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "redis", "migrate", "web", "worker"}
    for name, service in services.items():
        for needed in service.get("depends_on", {}):
            assert needed in services, (name, needed)
        for volume in service.get("volumes", []):
            assert volume.split(":")[0] in compose["volumes"], volume
    for name in ("migrate", "web", "worker"):
        service = services[name]
        assert service["build"]["dockerfile"] == "deploy/Containerfile"
        assert (DEPLOY / service["build"]["context"] / service["build"]["dockerfile"]).exists()
        parse_servicepact(service["command"])
        assert set(service["environment"]) <= documented_variables(), name
    assert services["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert services["web"]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert services["worker"]["deploy"]["replicas"] >= 2


def test_the_example_environment_sets_only_documented_variables():
    lines = (DEPLOY / "servicepact.env.example").read_text().splitlines()
    names = {line.lstrip("# ").split("=", 1)[0] for line in lines if re.match(r"^#? ?[A-Z][A-Z0-9_]+=", line)}
    assert names and names <= documented_variables(), names - documented_variables()
