"""The YAML source: positions, YAML 1.2 meanings, duplicate keys, safety limits, bad input."""

from __future__ import annotations

import math
import re
import textwrap
import time
import tracemalloc
from pathlib import Path

import pytest
from conftest import (
    GOOD_CONFIG,
    GOOD_TOUCHPOINTS,
    MUTATIONS,
    codes,
    make_project,
    mutate,
    where,
    write_files,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tpm import yamlsource
from tpm.findings import Location
from tpm.project import load
from tpm.yamlsource import MAX_ALIAS_NODES, MAX_BYTES, MAX_DEPTH, load_string, load_yaml


@pytest.fixture(autouse=True, params=["libyaml", "python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test runs with both parsers: libyaml (when PyYAML has it) and pure Python."""
    if request.param == "python":
        monkeypatch.setattr(yamlsource, "_Loader", yamlsource._PureLoader)
    elif not yamlsource.HAVE_LIBYAML:
        pytest.skip("PyYAML without libyaml")
    return str(request.param)


def parse(text: str):  # type: ignore[no-untyped-def]
    return load_string(textwrap.dedent(text), "f.yaml")


def write(tmp_path: Path, data: bytes, name: str = "f.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# -- positions ------------------------------------------------------------------------------


def test_libyaml_is_used_when_pyyaml_has_it() -> None:
    import yaml

    assert yaml.__with_libyaml__ == yamlsource.HAVE_LIBYAML


def _lc(location: Location) -> tuple[int, int]:
    return location.line, location.column


def test_positions_of_keys_and_values_are_one_based() -> None:
    s = parse(
        """\
        name: x
        units:
          - id: board
            level: 0
        """
    )
    assert s.ok and not s.findings
    assert _lc(s.at(("name",), key=True)) == (1, 1)
    assert _lc(s.at(("name",))) == (1, 7)
    assert _lc(s.at(("units",), key=True)) == (2, 1)
    assert _lc(s.at(("units",))) == (3, 3)  # the list starts at its first dash
    assert _lc(s.at(("units", 0))) == (3, 5)  # the mapping starts at its first key
    assert _lc(s.at(("units", 0, "id"), key=True)) == (3, 5)
    assert _lc(s.at(("units", 0, "id"))) == (3, 9)
    assert _lc(s.at(("units", 0, "level"), key=True)) == (4, 5)
    assert _lc(s.at(("units", 0, "level"))) == (4, 12)
    assert _lc(s.at(())) == (1, 1)


def test_columns_count_code_points_after_multibyte_characters() -> None:
    # "Jürgen Weiß: " is 13 code points but 15 bytes in UTF-8.
    s = parse("Jürgen Weiß: x\nöl: {größe: 1, ä: ü}\n")
    assert _lc(s.at(("Jürgen Weiß",))) == (1, 14)
    assert _lc(s.at(("öl",), key=True)) == (2, 1)
    assert _lc(s.at(("öl", "größe"), key=True)) == (2, 6)
    assert _lc(s.at(("öl", "größe"))) == (2, 13)
    assert _lc(s.at(("öl", "ä"), key=True)) == (2, 16)
    assert _lc(s.at(("öl", "ä"))) == (2, 19)


def test_emoji_counts_as_one_column() -> None:
    s = parse("a: 🙂🙂\nb: [🙂, x]\n")
    assert _lc(s.at(("b", 1))) == (2, 8)


def test_at_falls_back_to_the_nearest_ancestor() -> None:
    s = parse("a:\n  b: 1\n")
    assert s.at(("a", "b")).line == 2
    loc = s.at(("a", "missing", "deeper"))
    assert (loc.path, loc.line, loc.column) == ("f.yaml", 2, 3)  # the value of a
    assert s.at(("nothing",)).line == 1
    assert s.at(("a", "b"), key=True).column == 3


def test_positions_with_crlf_line_ends(tmp_path: Path) -> None:
    s = load_yaml(write(tmp_path, b"a: 1\r\nb:\r\n  c: x\r\n  d: [1, 2]\r\n"), "f.yaml")
    assert s.ok and s.data == {"a": 1, "b": {"c": "x", "d": [1, 2]}}
    assert _lc(s.at(("b", "c"), key=True)) == (3, 3)
    assert _lc(s.at(("b", "d", 1))) == (4, 10)


def test_byte_order_mark_is_accepted_and_not_counted(tmp_path: Path) -> None:
    s = load_yaml(write(tmp_path, b"\xef\xbb\xbfa: 1\nb: two\n"), "f.yaml")
    assert s.ok and not s.findings
    assert s.data == {"a": 1, "b": "two"}
    assert _lc(s.at(("a",), key=True)) == (1, 1)
    assert _lc(s.at(("b",))) == (2, 4)


# -- YAML 1.2 core schema -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("no", "no"),
        ("yes", "yes"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("No", "No"),
        ("true", True),
        ("True", True),
        ("TRUE", True),
        ("false", False),
        ("False", False),
        ("~", None),
        ("null", None),
        ("Null", None),
        ("", None),
        ("42", 42),
        ("-7", -7),
        ("+5", 5),
        ("012", 12),  # YAML 1.2: decimal, not octal
        ("0o17", 15),
        ("0x1F", 31),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        ("-.5", -0.5),
        (".inf", math.inf),
        ("-.Inf", -math.inf),
        ("2026-01-02", "2026-01-02"),  # dates stay strings
        ("2026-02-30", "2026-02-30"),
        ("2026-01-02T10:00:00", "2026-01-02T10:00:00"),
        ("12:30", "12:30"),  # no sexagesimal numbers in YAML 1.2
        ("1_000", "1_000"),  # no underscores in YAML 1.2 numbers
        ("0b101", "0b101"),
        ("'42'", "42"),  # quoted numbers stay strings
        ('"1.0"', "1.0"),
        ("'true'", "true"),
        ("'null'", "null"),
        ("'~'", "~"),
        ("!!str 12", "12"),
        ("!!int '5'", 5),
        ("!!float 3", 3.0),
    ],
)
def test_yaml_1_2_core_schema_meanings(text: str, value: object) -> None:
    s = load_string(f"v: {text}\n")
    assert s.ok and not s.findings
    got = s.data["v"]
    assert got == value
    assert type(got) is type(value)


def test_nan_is_a_float() -> None:
    value = load_string("v: .nan\n").data["v"]
    assert isinstance(value, float) and math.isnan(value)


def test_an_id_no_stays_no() -> None:
    s = parse("units:\n  - id: no\n    name: Norway\n")
    assert s.data["units"][0]["id"] == "no"


def test_scalar_keys_mean_the_text_as_written() -> None:
    s = parse("1: a\ntrue: b\nnull: c\n0x10: d\n")
    assert s.data == {"1": "a", "true": "b", "null": "c", "0x10": "d"}
    assert not s.findings


def test_a_collection_as_key_is_a_finding() -> None:
    s = parse("a: 1\n[x, y]: 2\n? {k: v}\n: 3\n")
    assert s.data == {"a": 1}
    assert where(s.findings) == [("TPM002", "f.yaml", 2, 1), ("TPM002", "f.yaml", 3, 3)]


def test_an_empty_file_is_no_data_and_no_finding(tmp_path: Path) -> None:
    for content in (b"", b"\n\n", b"# only a comment\n", b"\xef\xbb\xbf"):
        s = load_yaml(write(tmp_path, content), "f.yaml")
        assert s.ok and s.data is None and not s.findings


# -- duplicate keys -------------------------------------------------------------------------


def test_duplicate_key_is_reported_at_both_places_and_the_first_value_is_kept() -> None:
    s = parse(
        """\
        units:
          - id: board
            name: First
            level: 0
            name: Second
        """
    )
    assert s.ok
    assert s.data["units"][0]["name"] == "First"
    assert where(s.findings) == [("TPM003", "f.yaml", 3, 5), ("TPM003", "f.yaml", 5, 5)]
    first, second = s.findings
    assert "'name'" in first.message and "line 5, column 5" in first.message
    assert "line 3, column 5" in second.message
    assert "first value is used" in first.message


def test_duplicate_key_in_a_flow_mapping() -> None:
    s = parse("a: {x: 1, y: 2, x: 3}\n")
    assert s.data == {"a": {"x": 1, "y": 2}}
    assert where(s.findings) == [("TPM003", "f.yaml", 1, 5), ("TPM003", "f.yaml", 1, 17)]


def test_keys_equal_as_text_are_duplicates() -> None:
    s = parse("1: a\n'1': b\n")
    assert codes(s.findings) == ["TPM003", "TPM003"]
    assert s.data == {"1": "a"}


def test_the_value_of_a_duplicate_key_is_not_walked() -> None:
    # the second value holds a forbidden tag: it is dropped, not read
    s = parse("a: 1\na: !!python/object:os.system x\n")
    assert codes(s.findings) == ["TPM003", "TPM003"]


# -- safety limits ---------------------------------------------------------------------------


def nested_lists(depth: int) -> str:
    return "[" * depth + "]" * depth


def nested_mappings(depth: int) -> str:
    return "".join(f"{'  ' * i}k{i}:\n" for i in range(depth - 1)) + f"{'  ' * (depth - 1)}k: v\n"


@pytest.mark.parametrize("build", [nested_lists, nested_mappings])
def test_depth_64_is_accepted_and_65_rejected(build) -> None:  # type: ignore[no-untyped-def]
    ok = load_string(build(MAX_DEPTH), "f.yaml")
    assert ok.ok and not ok.findings
    depth, value = 0, ok.data
    while isinstance(value, list | dict) and value:
        value = value[0] if isinstance(value, list) else next(iter(value.values()))
        depth += 1
    assert depth in (MAX_DEPTH - 1, MAX_DEPTH)  # the innermost list is empty
    bad = load_string(build(MAX_DEPTH + 1), "f.yaml")
    assert not bad.ok and bad.data is None
    assert codes(bad.findings) == ["TPM001"]
    assert "64 levels" in bad.findings[0].message
    assert bad.findings[0].line >= 1 and bad.findings[0].column >= 1


def test_depth_of_lists_counts_collections() -> None:
    assert MAX_DEPTH == 64
    assert load_string(nested_lists(64)).ok
    rejected = load_string(nested_lists(65))
    assert where(rejected.findings) == [("TPM001", "<string>", 1, 65)]


def billion_laughs(levels: int = 9, width: int = 10) -> str:
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_rejected_quickly_with_small_memory() -> None:
    text = billion_laughs()  # 10**10 strings when expanded
    tracemalloc.start()
    started = time.perf_counter()
    try:
        s = load_string(text, "bomb.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - started
    assert not s.ok and s.data is None
    assert codes(s.findings) == ["TPM001"]
    assert "100,000 nodes" in s.findings[0].message
    # where the expansion crosses the limit: in a4's list (line 5), at its 8th alias
    # (a1, a2, a3 and seven of a4's aliases expand to 110 + 1110 + 11110 + 7 * 11111 nodes)
    assert where(s.findings) == [("TPM001", "bomb.yaml", 5, 5)]
    assert peak < 20 * 1024 * 1024
    assert elapsed < 5  # generous: the point is that it stops early, not how fast it is


def test_aliases_below_the_limit_are_read_and_shared_values_are_equal() -> None:
    s = load_string(billion_laughs(levels=3, width=10))  # 10 + 100 + 1000 nodes: fine
    assert s.ok and not s.findings
    assert len(s.data["a3"]) == 10 and s.data["a3"][0] == s.data["a2"]


def test_alias_limit_is_counted_in_nodes() -> None:
    # one anchored list of 1000 scalars (1001 nodes) used n times through aliases
    base = "base: &b [" + ", ".join(["x"] * 1000) + "]\n"
    under = base + "uses: [" + ", ".join(["*b"] * (MAX_ALIAS_NODES // 1001)) + "]\n"
    over = base + "uses: [" + ", ".join(["*b"] * (MAX_ALIAS_NODES // 1001 + 1)) + "]\n"
    assert load_string(under).ok
    rejected = load_string(over)
    assert not rejected.ok and codes(rejected.findings) == ["TPM001"]


@pytest.mark.parametrize(
    ("text", "column"),
    [("a: &x [1, *x]\n", 4), ("a: &x {b: *x}\n", 4), ("a: &x [[[*x]]]\n", 9)],
)
def test_a_self_referring_alias_is_rejected_where_it_is_used(text: str, column: int) -> None:
    s = load_string(text, "f.yaml")
    assert not s.ok and s.data is None
    assert where(s.findings) == [("TPM001", "f.yaml", 1, column)]
    assert "refers to a node that contains it" in s.findings[0].message


def test_a_file_over_10_mib_is_rejected_by_its_size(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as handle:  # sparse: costs no disk and no parse
        handle.write(b"a: 1\n")
        handle.truncate(MAX_BYTES + 1)
    s = load_yaml(path, "big.yaml")
    assert not s.ok and s.data is None
    assert where(s.findings) == [("TPM001", "big.yaml", 1, 1)]
    assert "10 MiB" in s.findings[0].message


def test_the_size_limit_is_inclusive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the boundary, with a small limit so that the test stays fast
    monkeypatch.setattr(yamlsource, "MAX_BYTES", 100)
    at_limit = b"a: 1\n#" + b"x" * (100 - 7) + b"\n"
    assert len(at_limit) == 100
    assert load_yaml(write(tmp_path, at_limit), "f.yaml").ok
    over = load_yaml(write(tmp_path, at_limit + b"\n"), "f.yaml")
    assert codes(over.findings) == ["TPM001"]


# -- unreadable input ------------------------------------------------------------------------


def test_latin_1_is_reported_at_its_line_and_column_with_a_hint(tmp_path: Path) -> None:
    content = "a: 1\nname: Jürgen Weiß\n".encode("latin-1")
    s = load_yaml(write(tmp_path, content), "x/f.yaml")
    assert not s.ok and s.data is None
    assert where(s.findings) == [("TPM001", "x/f.yaml", 2, 8)]
    assert "save it as UTF-8" in s.findings[0].message
    assert "0xfc" in s.findings[0].message


def test_bad_byte_after_valid_multibyte_characters_counts_code_points(tmp_path: Path) -> None:
    content = "ä: 1\nöl: Mü".encode() + b"\xe4\n"  # a Latin-1 ä after UTF-8 text
    s = load_yaml(write(tmp_path, content), "f.yaml")
    assert where(s.findings) == [("TPM001", "f.yaml", 2, 7)]


def test_tabs_as_indentation_are_a_yaml_error_with_a_position() -> None:
    s = load_string("units:\n\t- id: board\n", "f.yaml")
    assert not s.ok and s.data is None
    assert where(s.findings) == [("TPM001", "f.yaml", 2, 1)]
    assert s.findings[0].message.startswith("invalid YAML: ")
    assert ": a tab cannot indent YAML, use spaces (the parser: " in s.findings[0].message


def test_a_nul_byte_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    s = load_yaml(write(tmp_path, b"a: 1\nb: x\x00y\n"), "f.yaml")
    assert not s.ok and s.data is None
    assert where(s.findings) == [("TPM001", "f.yaml", 2, 5)]


@pytest.mark.parametrize("char", ["\x01", "\x1b", "\ufffe"])
def test_other_unprintable_characters_are_findings(char: str) -> None:
    s = load_string(f"a: 1\nb: {char}\n", "f.yaml")
    assert where(s.findings) == [("TPM001", "f.yaml", 2, 4)]


def test_syntax_error_is_reported_at_its_position() -> None:
    s = load_string("a: 1\nb: [1, 2\nc: 3\n", "f.yaml")
    assert not s.ok and codes(s.findings) == ["TPM001"]
    f = s.findings[0]
    assert f.message.startswith("invalid YAML: ")
    assert (f.line, f.column) == (3, 2)


def test_mapping_value_in_a_plain_scalar() -> None:
    s = load_string("a: b: c\n", "f.yaml")
    assert where(s.findings) == [("TPM001", "f.yaml", 1, 5)]


def test_undefined_alias() -> None:
    s = load_string("a: *nothing\n", "f.yaml")
    assert where(s.findings) == [("TPM001", "f.yaml", 1, 4)]
    assert "undefined alias" in s.findings[0].message


@pytest.mark.parametrize("odd", ["\x85", "\u2028", "\u2029"])
def test_nel_ls_and_ps_do_not_end_a_line(odd: str) -> None:
    # PyYAML and libyaml count them as line breaks (YAML 1.1); editors and YAML 1.2 do not
    s = load_string(f"a: 1 # note{odd}{odd}\nb: [x, y]\nb: 2\nc: d: e\n", "f.yaml")
    assert where(s.findings) == [("TPM001", "f.yaml", 4, 5)]
    s = load_string(f"a: 1 # note{odd}{odd}\nb: [x, y]\nb: 2\n", "f.yaml")
    assert _lc(s.at(("b", 1))) == (2, 8)
    assert where(s.findings) == [("TPM003", "f.yaml", 2, 1), ("TPM003", "f.yaml", 3, 1)]
    assert "also at line 3, column 1" in s.findings[0].message


def test_positions_stay_inside_a_file_without_a_final_line_break() -> None:
    s = load_string("a: 1\nb:", "f.yaml")
    assert s.data == {"a": 1, "b": None}
    assert _lc(s.at(("b",))) == (2, 3)
    bad = load_string("a: [1", "f.yaml")
    assert where(bad.findings) == [("TPM001", "f.yaml", 1, 6)]


def test_two_documents_are_an_error() -> None:
    s = load_string("a: 1\n---\nb: 2\n", "f.yaml")
    assert not s.ok and codes(s.findings) == ["TPM001"]
    assert s.findings[0].line == 2
    assert "expected a single document" in s.findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object:os.system x\n",
        "a: !!python/object/apply:os.system [ls]\n",
        "a: !!python/name:os.system\n",
        "a: !custom x\n",
        "a: !!binary aGk=\n",
        "a: !!timestamp 2026-01-01\n",
        "a: !!set {x}\n",
        "a: !!omap [{x: 1}]\n",
        "a: !!bool yes\n",
        "a: !!int x\n",
    ],
)
def test_unsupported_tags_are_rejected(text: str) -> None:
    s = load_string(text, "f.yaml")
    assert not s.ok and s.data is None
    assert where(s.findings) == [("TPM001", "f.yaml", 1, 4)]


def test_python_object_tag_message_names_the_tag() -> None:
    s = load_string("x:\n  - !!python/object:os.system {}\n", "f.yaml")
    assert where(s.findings) == [("TPM001", "f.yaml", 2, 5)]
    assert "!!python/object:os.system" in s.findings[0].message


def test_a_top_level_list_is_data_for_the_loader_to_judge() -> None:
    s = load_string("- a\n- b\n")
    assert s.ok and s.data == ["a", "b"] and not s.findings


def test_a_top_level_list_in_a_project_file_is_tpm002(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {"tpm.yaml": GOOD_CONFIG, "touchpoints/list.yaml": "- id: a\n  name: A\n"},
    )
    project = load(root, cwd=root)
    assert where(project.findings) == [("TPM002", "touchpoints/list.yaml", 1, 1)]
    assert "mapping" in project.findings[0].message


# -- never raises: property tests -----------------------------------------------------------


def check_sane(source: yamlsource.Source, text: str | None = None) -> None:
    assert source.ok or source.findings
    # the lines as an editor shows them: only CR LF, CR and LF end a line
    lines = re.split(r"\r\n|\r|\n", text) if text is not None else None
    for f in source.findings:
        assert f.code in {"TPM001", "TPM002", "TPM003"}
        assert f.line >= 1 and f.column >= 1
        if lines is not None:
            assert f.line <= len(lines), (f, lines)
            assert f.column <= len(lines[f.line - 1]) + 1, (f, lines)
    if not source.ok:
        assert source.data is None
    for key, table in ((True, source.keys), (False, source.values)):
        for path in table:
            where = source.at(path, key=key)
            line, column = where.line, where.column
            assert line >= 1 and column >= 1
            if lines is not None:
                assert line <= len(lines) and column <= len(lines[line - 1]) + 1


YAMLISH = st.text(
    alphabet=st.sampled_from(list("ab:- \n\t[]{},&*!'\"#?|>%@`~0.é\r\x00\ufeff")),
    max_size=200,
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.one_of(st.text(max_size=200), YAMLISH))
def test_any_text_yields_data_or_findings(text: str) -> None:
    check_sane(load_string(text, "f.yaml"), text)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("scratch")


@pytest.mark.slow
@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=300))
def test_any_bytes_yield_data_or_findings(scratch: Path, data: bytes) -> None:
    path = scratch / "bytes.yaml"
    path.write_bytes(data)
    check_sane(load_yaml(path, "bytes.yaml"))


@pytest.fixture(scope="module")
def mutation_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("mut"), {"tpm.yaml": GOOD_CONFIG})


@pytest.mark.slow
@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=MUTATIONS)
def test_mutated_touchpoint_files_never_crash_the_loader(
    mutation_project: Path, ops: list[tuple[str, int, int, str]]
) -> None:
    text = mutate(GOOD_TOUCHPOINTS, ops)
    write_files(mutation_project, {"touchpoints/t.yaml": text}, dedent=False)
    project = load(mutation_project, cwd=mutation_project)
    for f in project.findings:
        assert f.path in ("tpm.yaml", "touchpoints/t.yaml")
        assert f.line >= 1 and f.column >= 1
        assert f.line <= text.count("\n") + text.count("\r") + 2
    assert not [f for f in project.findings if f.path == "tpm.yaml"]


def test_a_file_of_too_many_values_is_refused_before_parsing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The parser builds every node before tpm sees one: a file of a million tiny values is
    refused from its commas and line breaks, counted before parsing."""
    monkeypatch.setattr(yamlsource, "MAX_VALUES", 10)
    s = load_string("touchpoints: [" + ",".join(["1"] * 11) + "]\n")
    assert [(f.code, f.line, f.column) for f in s.findings] == [("TPM001", 1, 1)]
    assert s.findings[0].message == (
        "the file holds about 11 values, more than the 10 tpm reads in one file: "
        "split it into several files"
    )
    assert s.data is None
    assert load_string("touchpoints: [" + ",".join(["1"] * 10) + "]").ok
