"""Hostile files cost little and never raise anything but the kernel's own errors, with their place.

Each case here is a file someone could hand the service or the command line: a contract (YAML), an event
log, a period label. Each is refused with ``FILE:LINE:COL: message`` (contracts) or ``EVENTS:LINE:
message`` (logs), after little work: the memory a refusal took is measured with tracemalloc, and only
that it stays small is asserted (times are for bench/, never for tests).
"""

import io
import subprocess
import sys
import tracemalloc
from pathlib import Path

import orjson
import pytest

from servicepact.sla.clock_batch_log import read_log_columns
from servicepact.sla.commands import backtest as backtest_command
from servicepact.sla.commands import contract as contract_command
from servicepact.sla.commands import replay as replay_command
from servicepact.sla.commands import report as report_command
from servicepact.sla.commands.replay import write_replay
from servicepact.sla.contract import MAX_CONTRACT_BYTES, ContractError, load_contract
from servicepact.sla.contract_model import Contract
from servicepact.sla.events import MAX_TICKET_ID_LENGTH, EventLogError, parse_event_log
from servicepact.sla.tests.cases.contracts import REFERENCE_PATH
from servicepact.sla.timefmt import InstantError, parse_instant
from servicepact.sla.yamlsource import MAX_ALIAS_VALUES, MAX_DEPTH, load_yaml

REFERENCE = REFERENCE_PATH.read_text(encoding="utf-8")
# The 340 bytes that held a web worker for 15 s at 1.5 GB: nine levels of nine aliases each.
BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{name}: &{name} [{','.join([f'*{previous}'] * 9)}]\n" for previous, name in zip("abcdefgh", "bcdefghi")
)
SMALL_PEAK_BYTES = 8 * 1024 * 1024


def refusal(text: str | bytes, filename: str = "c.yaml") -> tuple[list[str], int]:
    """The error lines of loading ``text``, and the peak memory the loading took."""
    tracemalloc.start()
    try:
        load_contract(text, filename)
    except ContractError as error:
        errors = [str(d) for d in error.diagnostics if d.severity == "error"]
    else:
        errors = []
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return errors, peak


def reference_with(old: str, new: str) -> str:
    assert old in REFERENCE, old
    return REFERENCE.replace(old, new, 1)


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


class TestContractBounds:
    def test_billion_laughs_is_refused_at_the_alias_that_passes_the_bound_with_little_memory(self):
        assert len(BILLION_LAUGHS.encode()) < 400
        errors, peak = refusal(BILLION_LAUGHS)
        assert len(errors) == 1
        assert errors[0].startswith("c.yaml:5:8: YAML syntax error: aliases repeat more than")
        assert f"more than {MAX_ALIAS_VALUES} values" in errors[0]
        assert peak < SMALL_PEAK_BYTES

    def test_a_few_aliases_still_work(self):
        text = reference_with('mon-fri: ["08:00-18:00"]', 'mon-fri: &office ["08:00-18:00"]')
        text = text.replace(
            'mon-fri: ["09:00-12:00", "13:00-18:00"]', 'mon-fri: ["09:00-12:00", "13:00-18:00"]\n      sat: *office', 1
        )
        assert "sat: *office" in text
        assert load_yaml(text).data["calendars"]["cn-business"]["hours"]["sat"] == ["08:00-18:00"]
        assert load_contract(text, "c.yaml").id == "globex-ito"

    def test_an_alias_to_the_value_that_holds_it_is_refused(self):
        errors, _ = refusal("a: &loop [1, *loop]\n")
        assert errors == ["c.yaml:1:14: YAML syntax error: alias *loop refers to a value that contains it"]

    @pytest.mark.parametrize(
        "text",
        [
            "a: " + "[" * 3000 + "]" * 3000 + "\n",
            "a: " + "{b: " * 3000 + "1" + "}" * 3000 + "\n",
            "".join(" " * depth + "k:\n" for depth in range(200)) + " " * 200 + "k: 1\n",
            "a: " + "[" * 100_000 + "\n",
        ],
        ids=["flow-lists", "flow-mappings", "block-mappings", "unclosed"],
    )
    def test_deep_nesting_is_refused_without_a_recursion_error(self, text):
        errors, peak = refusal(text)
        assert len(errors) == 1
        assert f"nest deeper than {MAX_DEPTH} levels" in errors[0]
        assert errors[0].startswith("c.yaml:")
        assert peak < SMALL_PEAK_BYTES

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            ("9" * 5000, "'99999999999999999999...99999999' has 5000 digits; a whole number has at most 18"),
            ("!!int abc", "'abc' is not a whole number"),
            ("0b_", "'0b_' is not a whole number"),
            ("!!int 0x", "'0x' is not a whole number"),
            ("1_000_000_000_000_000_000", "is too large; a whole number has at most 18 digits"),
            ("1e999999999", "'1e999999999' is out of range"),
            ("0." + "1" * 40, "is out of range"),
            ("!!float 12abc", "'12abc' is out of range"),
        ],
    )
    def test_numbers_beyond_the_bounds_are_refused_where_they_stand(self, value, message):
        errors, peak = refusal(f"contract: x\nversion: {value}\n")
        assert [error for error in errors if error.startswith("c.yaml:2:10: ")] != [], errors
        assert any(message in error for error in errors), errors
        assert peak < SMALL_PEAK_BYTES

    def test_unknown_tags_are_refused_with_their_place(self):
        text = reference_with("title: ", "title: !python/object:os.system ")
        text = text.replace("customer: ", "customer: !!binary ", 1)
        errors, _ = refusal(text)
        assert f"c.yaml:{line_of(text, 'title:')}:8: unsupported YAML tag '!python/object:os.system'" in errors
        assert f"c.yaml:{line_of(text, 'customer:')}:11: unsupported YAML tag 'tag:yaml.org,2002:binary'" in errors

    @pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b"])
    def test_control_characters_are_refused_with_their_line_and_column(self, character):
        text = reference_with("title: ", f"title: ab{character}")
        errors, _ = refusal(text)
        where = f"c.yaml:{line_of(text, 'title:')}:10"
        assert errors == [f"{where}: YAML syntax error: character U+{ord(character):04X} is not allowed in a YAML file"]

    def test_a_file_larger_than_a_contract_can_be_is_refused_before_it_is_read(self):
        text = REFERENCE + "# padding\n" * (MAX_CONTRACT_BYTES // 10)
        errors, peak = refusal(text)
        assert errors == [
            f"c.yaml:1:1: the file has {len(text.encode())} bytes; a contract may have at most {MAX_CONTRACT_BYTES}"
        ]
        assert peak < 4 * MAX_CONTRACT_BYTES

    @pytest.mark.parametrize(
        ("old", "new", "message"),
        [
            ("within: 80h", "within: 9999999999999999999h", "is too long; a duration is at most 100000h"),
            ("within: 80h", "within: " + "9" * 5000 + "h", "is too long; a duration is at most 100000h"),
            ("within: 80h", "within: 100001h", '"100001h" is too long'),
            ("within: 80h", "within: \u0668\u0660h", "is not a duration"),
            ("amount: 120000", "amount: '" + "9" * 5000 + "'", "is not an amount of money"),
            ("amount: 120000", "amount: 1e300", "is out of range"),
            ("amount: 120000", "amount: '1e300'", "is not an amount of money"),
            ("amount: 120000", "amount: 99999999999999999", "is too large an amount of money"),
        ],
    )
    def test_values_beyond_their_bounds_are_refused_with_their_field(self, old, new, message):
        errors, _ = refusal(reference_with(old, new))
        assert any(message in error for error in errors), errors

    def test_a_percent_in_digits_of_another_script_is_not_a_number(self):
        text = reference_with('">= 0.95"', '">= \u0669\u0665%"')
        errors, _ = refusal(text)
        assert any("is not a number" in error for error in errors), errors

    def test_a_calendar_that_is_never_open_is_refused(self):
        start = REFERENCE.index("  eu-business:")
        hours = REFERENCE.index("    hours:", start)
        end = REFERENCE.index("\n    holidays:", hours)
        text = REFERENCE[:hours] + "    hours: {}" + REFERENCE[end:]
        errors, _ = refusal(text)
        assert any("calendar 'eu-business' is never open" in error for error in errors), errors

    def test_priorities_named_with_other_digits_load(self):
        # '³'.isdigit() holds, but int('³') fails: ordering priorities must not trip over it
        text = REFERENCE.replace("P4", "P\u00b3")
        assert load_contract(text, "c.yaml").priorities[-1] == "P\u00b3"


def created(ticket: str, at: str = "2026-03-02T09:00:00Z") -> bytes:
    return orjson.dumps({"ticket": ticket, "at": at, "type": "created", "priority": "P2", "service": "sso"})


@pytest.fixture(scope="module")
def reference() -> Contract:
    return load_contract(REFERENCE, "c.yaml")


class TestEventLogBounds:
    """Each bad line has its message; the batch reader declines the same logs (parse_event_log then words them)."""

    def refused(self, lines: list[bytes], contract) -> list[str]:
        with pytest.raises(EventLogError) as error:
            parse_event_log(lines, contract, "EVENTS")
        assert read_log_columns(b"\n".join(lines) + b"\n", contract) is None
        return error.value.messages

    @pytest.mark.parametrize(
        ("at", "message"),
        [
            ("1969-12-31T23:59:59Z", "lies outside the supported range, 1970-01-01T00:00:00Z to 2199-12-31T23:59:59Z"),
            ("1970-01-01T00:30:00+01:00", "lies outside the supported range"),
            ("2200-01-01T00:00:00Z", "lies outside the supported range"),
            ("9999-12-31T23:59:59Z", "lies outside the supported range"),
            ("0000-01-01T00:00:00Z", "lies outside the supported range"),
            ("2026-03-02T\u06609:00:00Z", "not an RFC 3339 instant"),
            ("\uff12\uff10\uff12\uff16-03-02T09:00:00Z", "not an RFC 3339 instant"),
            (
                "2026-03-02T09:00:00." + "9" * 10_000 + "Z",
                "not an RFC 3339 instant: '2026-03-02T09:00:00.99999999999999999999'... (10021 characters)",
            ),
        ],
    )
    def test_instants_outside_the_range_or_in_other_digits_are_bad_lines(self, reference, at, message):
        lines = [created("T-1"), created("T-2", at)]
        messages = self.refused(lines, reference)
        assert messages[0].startswith("EVENTS:2: field 'at': ")
        assert message in messages[0]

    def test_the_range_ends_are_read(self, reference):
        lines = [created("T-1", "1970-01-01T00:00:00Z"), created("T-2", "2199-12-31T23:59:59Z")]
        events = parse_event_log(lines, reference, "EVENTS")
        assert [events["T-1"][0].at, events["T-2"][0].at] == [0, 7258118399]
        columns = read_log_columns(b"\n".join(lines), reference)
        assert columns is not None and columns.at.tolist() == [0, 7258118399]

    @pytest.mark.parametrize("length", [MAX_TICKET_ID_LENGTH + 1, 100_000])
    def test_oversized_ticket_ids_are_bad_lines(self, reference, length):
        lines = [created("T-1"), created("T" * length)]
        messages = self.refused(lines, reference)
        assert messages == [
            f"EVENTS:2: field 'ticket' has {length} characters; a ticket id has at most {MAX_TICKET_ID_LENGTH}"
        ]

    def test_the_longest_ticket_id_is_read_by_both_readers(self, reference):
        ticket = "T" * MAX_TICKET_ID_LENGTH
        lines = [created(ticket)]
        assert list(parse_event_log(lines, reference, "EVENTS")) == [ticket]
        assert read_log_columns(lines[0] + b"\n", reference).tickets == [ticket]

    @pytest.mark.parametrize(
        ("line", "message"),
        [
            (b"[" * 1500 + b"]" * 1500, "invalid JSON: "),
            (
                b'{"ticket": "T-2", "at": "2026-03-02T09:00:00Z", "type": "responded", "n": ' + b"9" * 5000 + b"}",
                "invalid JSON: ",
            ),
            (
                b'{"ticket": "T-2", "at": "2026-03-02T09:00:00Z", "type": "responded", "x": '
                + b"[" * 1500
                + b"]" * 1500
                + b"}",
                "invalid JSON: ",
            ),
            (b'{"ticket": "T-2\x00", "at": "2026-03-02T09:00:00Z", "type": "created"}', "invalid JSON: "),
        ],
        ids=["deep-array", "huge-number", "deep-field", "nul-in-string"],
    )
    def test_deep_or_huge_json_is_a_bad_line(self, reference, line, message):
        tracemalloc.start()
        try:
            messages = self.refused([created("T-1"), line], reference)
        finally:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        assert messages[0].startswith("EVENTS:2: " + message)
        assert peak < SMALL_PEAK_BYTES


class TestInstants:
    @pytest.mark.parametrize("text", ["2026-03-02T09:00:00Z", "1970-01-01T00:00:00Z", "2199-12-31T23:59:59+00:00"])
    def test_in_range(self, text):
        assert isinstance(parse_instant(text), int)

    @pytest.mark.parametrize(
        "text",
        [
            "1969-12-31T23:59:59Z",
            "2200-01-01T00:00:00Z",
            "2199-12-31T23:00:00-01:00",
            "2026-0\u0663-02T09:00:00Z",
            "2026-03-02T09:00:00+0\u0661:00",
            "x" * 1_000_000,
        ],
    )
    def test_out_of_range_or_other_digits_are_refused(self, text):
        with pytest.raises(InstantError):
            parse_instant(text)


def test_module_paths_exist():
    # the reference the cases change is the one the documentation names
    assert Path(REFERENCE_PATH).name == "globex-ito.yaml"


class TestRangeEnds:
    """Instants at the end of the range still have clocks and reports; a deadline beyond the calendars is null."""

    def late_log(self, tmp_path) -> Path:
        log = tmp_path / "late.jsonl"
        log.write_bytes(created("T-1", "2199-12-31T10:00:00Z") + b"\n")
        return log

    def test_a_ticket_at_the_end_of_the_range_has_its_clocks_and_its_month(self, tmp_path, capsys):
        log = self.late_log(tmp_path)
        assert (
            replay_command.main(
                ["replay", "--contract", str(REFERENCE_PATH), "--events", str(log), "--at", "2199-12-31T12:00:00Z"]
            )
            == 0
        )
        lines = [orjson.loads(line) for line in capsys.readouterr().out.splitlines()]
        # the response clock breached at 10:30 on the last day; the resolution clock is due in 2200
        assert [(line["clock"], line["state"], line["due_at"]) for line in lines] == [
            ("response", "breached", "2199-12-31T10:30:00Z"),
            ("resolution", "running", "2200-01-01T08:00:00Z"),
        ]
        assert (
            report_command.main(["--contract", str(REFERENCE_PATH), "--events", str(log), "--period", "2199-12"]) == 0
        )
        assert orjson.loads(capsys.readouterr().out)["open"] == 1

    def test_a_deadline_beyond_the_calendars_is_null_on_both_paths(self, tmp_path, capsys, reference):
        contract_file = tmp_path / "long.yaml"
        contract_file.write_text(reference_with("within: 80h", "within: 100000h"), encoding="utf-8")
        log = self.late_log(tmp_path)
        log.write_bytes(created("T-1", "2199-12-31T10:00:00Z").replace(b'"P2"', b'"P4"') + b"\n")
        assert (
            replay_command.main(
                ["replay", "--contract", str(contract_file), "--events", str(log), "--at", "2199-12-31T12:00:00Z"]
            )
            == 0
        )
        replayed = capsys.readouterr().out.encode()
        assert (
            b'"clock":"resolution","priority":"P4","calendar":"eu-business","target_s":360000000,"elapsed_s":7200,"state":"running","breached_at":null,"due_at":null'
            in replayed
        )
        contract = load_contract(contract_file.read_bytes(), "long.yaml")
        by_event = io.BytesIO()
        write_replay(
            contract,
            parse_event_log([log.read_bytes()], contract, "EVENTS"),
            parse_instant("2199-12-31T12:00:00Z"),
            by_event,
        )
        assert by_event.getvalue() == replayed

    @pytest.mark.parametrize(
        "dates", ["{from: 0001-01-01, to: 9999-12-31}", "{from: 2026-01-01, to: 2200-01-01}", "{from: 1969-12-31}"]
    )
    def test_contract_dates_outside_the_range_are_refused(self, dates):
        errors, _ = refusal(reference_with("{from: 2026-01-01, to: 2027-12-31}", dates))
        assert errors and all(
            "is out of range; dates lie from 1970-01-01 to 2199-12-31" in error for error in errors
        ), errors


class TestCommandsExitTwo:
    """Every kernel command answers bad input with exit 2 and its message, never a traceback."""

    @pytest.fixture
    def files(self, tmp_path) -> dict[str, str]:
        found = {"contract": str(REFERENCE_PATH), "events": str(Path(__file__).parent / "reports" / "march-2026.jsonl")}
        for name, data in {
            "laughs.yaml": BILLION_LAUGHS.encode(),
            "intabc.yaml": b"version: !!int abc\n",
            "nul.yaml": b"a: \x00\n",
            "deep.jsonl": b"[" * 5000 + b"\n",
            "late.jsonl": created("T-1", "9999-01-01T00:00:00Z") + b"\n",
            "deep.json": b'{"period": "2026-03", "x": ' + b"[" * 100_000 + b"}",
            "extra.json": b'{"period": "2026-03", "extra_measures": 5}',
            "nested.json": b'{"period": "2026-03", "x": ' + b"[" * 100 + b"]" * 100 + b"}",
        }.items():
            (tmp_path / name).write_bytes(data)
            found[name.replace(".", "_")] = str(tmp_path / name)
        found["directory"] = str(tmp_path)
        return found

    CASES = (
        (contract_command, ["check", "{laughs_yaml}"], "laughs.yaml:5:8: YAML syntax error: aliases repeat"),
        (contract_command, ["check", "{nul_yaml}"], "nul.yaml:1:4: YAML syntax error: character U+0000"),
        (contract_command, ["check", "{directory}"], "cannot read the file"),
        (contract_command, ["diff", "{intabc_yaml}", "{contract}"], "intabc.yaml:1:10: 'abc' is not a whole number"),
        (replay_command, ["replay", "--contract", "{laughs_yaml}", "--events", "{events}"], "aliases repeat more than"),
        (
            replay_command,
            ["replay", "--contract", "{contract}", "--events", "{deep_jsonl}"],
            "deep.jsonl:1: invalid JSON: depth limit exceeded",
        ),
        (
            replay_command,
            ["replay", "--contract", "{contract}", "--events", "{late_jsonl}"],
            "late.jsonl:1: field 'at': instant '9999-01-01T00:00:00Z' lies outside",
        ),
        (
            replay_command,
            ["replay", "--contract", "{contract}", "--events", "{events}", "--at", "2026-0\u0663-01T00:00:00Z"],
            "--at: not an RFC 3339 instant",
        ),
        (replay_command, ["replay", "--contract", "{contract}", "--events", "{directory}"], "cannot read events file"),
        (
            report_command,
            ["--contract", "{contract}", "--events", "{events}", "--period", "2500-01"],
            "period '2500-01': year must be 1970 to 2199",
        ),
        (
            report_command,
            ["--contract", "{contract}", "--events", "{events}", "--period", "9999-13"],
            "period '9999-13': year must be 1970 to 2199",
        ),
        (
            report_command,
            ["--contract", "{contract}", "--events", "{events}", "--period", "\u00b3"],
            "period '\u00b3': expected an ISO week",
        ),
        (
            report_command,
            ["--contract", "{contract}", "--events", "{deep_jsonl}", "--period", "2026-03"],
            "deep.jsonl:1: invalid JSON",
        ),
        (
            report_command,
            ["--contract", "{contract}", "--events", "{events}", "--period", "2026-03", "--scores", "{deep_json}"],
            "deep.json: not JSON: it nests too deep",
        ),
        (
            report_command,
            ["verify", "{deep_json}", "--contract", "{contract}", "--events", "{events}"],
            "deep.json: not a JSON report: it nests too deep",
        ),
        (
            report_command,
            ["verify", "{nested_json}", "--contract", "{contract}", "--events", "{events}"],
            "nested.json: not a report: it nests deeper than 32 levels",
        ),
        (
            report_command,
            ["verify", "{extra_json}", "--contract", "{contract}", "--events", "{events}"],
            "extra.json: 'extra_measures' must be a list",
        ),
        (
            backtest_command,
            [
                "--contract",
                "{contract}",
                "--baseline",
                "{contract}",
                "--events",
                "{events}",
                "--from",
                "2500-01",
                "--to",
                "2500-02",
            ],
            "period '2500-01': year must be",
        ),
        (
            backtest_command,
            [
                "--contract",
                "{contract}",
                "--baseline",
                "{contract}",
                "--events",
                "{events}",
                "--from",
                "\u0662\u0660\u0662\u0666-01",
                "--to",
                "2026-02",
            ],
            "expected an ISO week",
        ),
        (
            backtest_command,
            [
                "--contract",
                "{intabc_yaml}",
                "--baseline",
                "{contract}",
                "--events",
                "{events}",
                "--from",
                "2026-01",
                "--to",
                "2026-02",
            ],
            "'abc' is not a whole number",
        ),
        (
            backtest_command,
            [
                "--contract",
                "{contract}",
                "--baseline",
                "{contract}",
                "--events",
                "{directory}",
                "--from",
                "2026-01",
                "--to",
                "2026-02",
            ],
            "cannot read events file",
        ),
    )

    @pytest.mark.parametrize(
        ("command", "arguments", "message"),
        CASES,
        ids=[f"{case[0].__name__.rsplit('.', 1)[-1]}-{index}" for index, case in enumerate(CASES)],
    )
    def test_bad_input_exits_two_with_its_message(self, files, capsys, command, arguments, message):
        code = command.main([argument.format(**files) for argument in arguments])
        out, err = capsys.readouterr()
        assert code == 2, err
        assert message in err
        assert "Traceback" not in err and out == ""

    def test_through_the_servicepact_command(self, files):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "servicepact",
                "report",
                "--contract",
                files["contract"],
                "--events",
                files["events"],
                "--period",
                "2026-03",
                "--scores",
                files["deep_json"],
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert (result.returncode, result.stdout) == (2, "")
        assert "not JSON: it nests too deep" in result.stderr and "Traceback" not in result.stderr
