"""Survey response files (docs/file-formats.md): the streaming reader, its rows and its findings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Mapping
from pathlib import Path

import pytest
from conftest import write_files

from tpm.project import Project, load
from tpm.responses import (
    Response,
    ResponseReader,
    response_files,
    validate_responses,
)

TPM_YAML = """\
organisation: Test AG
units:
  - {id: board, name: Board, level: 0}
  - {id: service, name: Customer service}
  - {id: service-agents, name: Service agents, parent: service}
people:
  - {id: anna, name: Anna, unit: board}
"""

TOUCHPOINTS = """\
touchpoints:
  - {id: all-hands, name: All-hands, from: board, to: all}
  - {id: huddle, name: Huddle, from: service, to: service-agents}
  - {id: broken, from: board, to: all}  # no name: a schema error, but the id exists
"""

HEADER = "touchpoint,dimension,score,date,unit,respondent\n"
D = dt.date(2026, 10, 2)


def make(root: Path, files: Mapping[str, str | bytes], cwd: Path | None = None) -> Project:
    """A project at `root` with the given response files (relative paths)."""
    files = {"tpm.yaml": TPM_YAML, "touchpoints/main.yaml": TOUCHPOINTS, **files}
    write_files(root, files, dedent=False)
    return load(root, cwd=cwd if cwd is not None else root)


def read(project: Project, extra: tuple[Path, ...] = ()) -> tuple[list[Response], ResponseReader]:
    reader = ResponseReader(project, response_files(project, extra))
    return list(reader.rows()), reader


def seen(reader: ResponseReader) -> list[tuple[str, int, int, str, str]]:
    """The findings as a user sees them: path, line, column, code, message."""
    return [(f.path, f.line, f.column, f.code, f.message) for f in reader.findings]


def r(
    touchpoint: str | None,
    dimension: str,
    score: float,
    unit: str | None = "service",
    respondent: str | None = "r-1",
    date: dt.date = D,
) -> Response:
    return Response(touchpoint, dimension, score, date, unit, respondent)


# -- the format ---------------------------------------------------------------------------


def test_comma_file_is_read_row_by_row(tmp_path: Path) -> None:
    project = make(
        tmp_path,
        {
            "responses/pulse.csv": HEADER
            + "all-hands,clarity,4,2026-10-02,service,r-1\n"
            + "huddle,dialogue,2.5,2026-10-02,service-agents,r-2\n"
            + ",enps,9,2026-10-02,service,r-1\n"
        },
    )
    rows, reader = read(project)
    assert rows == [
        r("all-hands", "clarity", 4.0),
        r("huddle", "dialogue", 2.5, unit="service-agents", respondent="r-2"),
        r(None, "enps", 9.0),
    ]
    assert reader.findings == []
    assert isinstance(rows[0].score, float)


def test_responses_are_frozen_and_compare_like_any_response(tmp_path: Path) -> None:
    project = make(tmp_path, {"responses/a.csv": HEADER + "all-hands,clarity,4,2026-10-02,,r-1\n"})
    (row,) = read(project)[0]
    assert type(row) is Response
    assert row == Response("all-hands", "clarity", 4.0, D, None, "r-1")
    assert hash(row) == hash(Response("all-hands", "clarity", 4.0, D, None, "r-1"))
    with pytest.raises(AttributeError):
        row.score = 5.0  # type: ignore[misc]


def test_semicolon_file_with_decimal_commas(tmp_path: Path) -> None:
    project = make(
        tmp_path,
        {
            "responses/export.csv": "touchpoint;dimension;score;date;unit;respondent\n"
            "all-hands;clarity;4,5;2026-10-02;service;r-1\n"
            "all-hands;dialogue;3;2026-10-02;service;r-1\n"
        },
    )
    rows, reader = read(project)
    assert [row.score for row in rows] == [4.5, 3.0]
    assert reader.findings == []


def test_quoted_decimal_comma_in_a_comma_file(tmp_path: Path) -> None:
    project = make(
        tmp_path, {"responses/a.csv": HEADER + 'all-hands,clarity,"3,5",2026-10-02,service,r-1\n'}
    )
    rows, reader = read(project)
    assert rows == [r("all-hands", "clarity", 3.5)]
    assert reader.findings == []


def test_byte_order_mark_and_crlf_line_endings(tmp_path: Path) -> None:
    content = (
        b"\xef\xbb\xbftouchpoint,dimension,score,date,unit,respondent\r\n"
        b"all-hands,clarity,4,2026-10-02,service,r-1\r\n"
        b"\r\n"
        b"all-hands,clarity,x,2026-10-02,service,r-1\r\n"
    )
    project = make(tmp_path, {"responses/excel.csv": content})
    rows, reader = read(project)
    assert rows == [r("all-hands", "clarity", 4.0)]
    assert seen(reader) == [
        (
            "responses/excel.csv",
            4,
            1,
            "TPM002",
            "score for clarity is not a number: expected a number on the scale [1, 5]",
        )
    ]


def test_header_names_are_matched_loosely_and_extra_columns_ignored(tmp_path: Path) -> None:
    # `wave` became a column of its own (docs/scoring.md, waves): it is read, not ignored
    project = make(
        tmp_path,
        {
            "responses/a.csv": " Comment , Date,SCORE , Dimension,Touchpoint,Wave\n"
            '"Zürich, großartig",2026-10-02,5,appreciation,huddle,w1\n'
        },
    )
    rows, reader = read(project)
    assert rows == [Response("huddle", "appreciation", 5.0, D, None, None, "w1")]
    assert reader.findings == []


def test_blank_lines_and_blank_rows_are_skipped_silently(tmp_path: Path) -> None:
    project = make(
        tmp_path,
        {
            "responses/a.csv": "\n"
            + HEADER
            + "\n   \n,,,,,\n"
            + "all-hands,clarity,4,2026-10-02,service,r-1\n\n"
            + "all-hands,clarity,9,2026-10-02,service,r-1\n"
        },
    )
    rows, reader = read(project)
    assert rows == [r("all-hands", "clarity", 4.0)]
    # the header is on line 2; the bad row on line 8
    assert [(f.line, f.code) for f in reader.findings] == [(8, "TPM002")]


def test_an_excel_sep_line_names_the_delimiter(tmp_path: Path) -> None:
    project = make(
        tmp_path,
        {
            "responses/a.csv": "sep=;\r\ntouchpoint;dimension;score;date;note\r\n"
            "all-hands;clarity;2,5;2026-10-02;a, b, c, d\r\n"
            "all-hands;clarity;9;2026-10-02;\r\n"
        },
    )
    rows, reader = read(project)
    assert rows == [r("all-hands", "clarity", 2.5, unit=None, respondent=None)]
    assert [(f.line, f.code) for f in reader.findings] == [(4, "TPM002")]


def test_values_with_spaces_around_them_are_accepted(tmp_path: Path) -> None:
    # the eNPS row names a respondent: a row without one in a file that has the column is a
    # finding and does not count (docs/privacy.md, rule 1)
    project = make(
        tmp_path,
        {
            "responses/a.csv": HEADER
            + " all-hands , clarity , 4 , 2026-10-02 , service , r-1 \n"
            + " all-hands , clarity , 4 , 2026-10-02 , service , r-1 \n"
            + "  ,ENPS,10,2026-10-02,, r-2 \n"
        },
    )
    rows, reader = read(project)
    assert rows == [
        r("all-hands", "clarity", 4.0),
        r("all-hands", "clarity", 4.0),
        r(None, "enps", 10.0, unit=None, respondent="r-2"),
    ]
    assert reader.findings == []


def test_optional_columns_may_be_absent(tmp_path: Path) -> None:
    project = make(
        tmp_path,
        {"responses/a.csv": "touchpoint,dimension,score,date\nall-hands,clarity,1,2026-10-02\n"},
    )
    rows, reader = read(project)
    assert rows == [r("all-hands", "clarity", 1.0, unit=None, respondent=None)]
    assert reader.findings == []


def test_a_multi_line_quoted_field_keeps_line_numbers_right(tmp_path: Path) -> None:
    project = make(
        tmp_path,
        {
            "responses/a.csv": "touchpoint,dimension,score,date,note\n"
            'all-hands,clarity,4,2026-10-02,"first line\nsecond line"\n'
            'all-hands,clarity,7,2026-10-02,"also\r\ntwo lines"\n'
            "all-hands,clarity,8,2026-10-02,\n"
        },
    )
    rows, reader = read(project)
    assert len(rows) == 1
    assert [(f.line, f.message) for f in reader.findings] == [
        (4, "score for clarity is off the scale [1, 5]"),
        (6, "score for clarity is off the scale [1, 5]"),
    ]


# -- encoding and unreadable files ----------------------------------------------------------


def test_latin1_file_is_tpm001_at_the_first_bad_line(tmp_path: Path) -> None:
    content = (
        HEADER
        + "all-hands,clarity,4,2026-10-02,service,r-1\n"
        + "all-hands,clarity,5,2026-10-02,service,r-2\n"
        + "all-hands,clarity,3,2026-10-02,service,Jürgen\n"
        + "all-hands,clarity,2,2026-10-02,service,r-3\n"
    ).encode("latin-1")
    project = make(tmp_path, {"responses/latin1.csv": content})
    rows, reader = read(project)
    # rows before the bad line count; the bad line and the rest of the file are not read
    assert [row.respondent for row in rows] == ["r-1", "r-2"]
    assert seen(reader) == [
        (
            "responses/latin1.csv",
            4,
            1,
            "TPM001",
            "byte 0xfc on this line is not UTF-8, so the rest of the file was not read: "
            "save the file as UTF-8",
        )
    ]
    assert reader.findings[0].name == "yaml-syntax"


def test_non_utf8_far_into_a_large_file(tmp_path: Path) -> None:
    good = "huddle,empowerment,4,2026-10-02,service-agents,r-0001\r\n"
    lines = HEADER.replace("\n", "\r\n") + good * 20_000
    content = lines.encode() + "huddle,empowerment,4,2026-10-02,Zoë,r-x\r\n".encode("cp1252")
    content += good.encode() * 10
    project = make(tmp_path, {"responses/big.csv": content})
    rows, reader = read(project)
    assert len(rows) == 20_000
    assert [(f.line, f.code) for f in reader.findings] == [(20_002, "TPM001")]
    assert "save the file as UTF-8" in reader.findings[0].message


def test_non_utf8_in_the_header(tmp_path: Path) -> None:
    content = "Prüfpunkt;dimension;score;date\n".encode("latin-1")
    project = make(tmp_path, {"responses/a.csv": content})
    rows, reader = read(project)
    assert rows == []
    assert [(f.line, f.code) for f in reader.findings] == [(1, "TPM001")]


def test_a_utf16_file_is_named_as_such(tmp_path: Path) -> None:
    project = make(tmp_path, {"responses/a.csv": HEADER.encode("utf-16")})
    rows, reader = read(project)
    assert rows == []
    assert seen(reader) == [
        (
            "responses/a.csv",
            1,
            1,
            "TPM001",
            "the file is UTF-16, not UTF-8, so it was not read: save the file as UTF-8",
        )
    ]


def test_a_file_cut_inside_a_utf8_character(tmp_path: Path) -> None:
    content = (HEADER + "all-hands,clarity,4,2026-10-02,service,r-1\n").encode()
    content += "all-hands,clarity,4,2026-10-02,service,Zoë".encode()[:-1]
    project = make(tmp_path, {"responses/a.csv": content})
    rows, reader = read(project)
    assert len(rows) == 1
    assert [(f.line, f.code) for f in reader.findings] == [(3, "TPM001")]


def test_an_extra_file_that_does_not_exist(tmp_path: Path) -> None:
    project = make(tmp_path / "proj", {}, cwd=tmp_path)
    rows, reader = read(project, (Path("nowhere/answers.csv"),))
    assert rows == []
    assert seen(reader) == [
        ("nowhere/answers.csv", 1, 1, "TPM001", "cannot read the file: No such file or directory")
    ]


def test_a_directory_is_an_unreadable_file(tmp_path: Path) -> None:
    project = make(tmp_path, {})
    (tmp_path / "exports" / "dir.csv").mkdir(parents=True)
    rows, reader = read(project, (tmp_path / "exports" / "dir.csv",))
    assert rows == []
    assert [(f.path, f.line, f.code) for f in reader.findings] == [("exports/dir.csv", 1, "TPM001")]
    assert reader.findings[0].message.startswith("cannot read the file: ")


# -- the header -------------------------------------------------------------------------------


def test_a_header_missing_a_required_column_skips_the_file(tmp_path: Path) -> None:
    project = make(
        tmp_path,
        {
            "responses/a.csv": "touchpoint,dimension,date,unit\n"
            "all-hands,clarity,2026-10-02,service\n"
        },
    )
    rows, reader = read(project)
    assert rows == []
    assert seen(reader) == [
        (
            "responses/a.csv",
            1,
            1,
            "TPM002",
            "the header lacks the required column 'score', so the file was not read: expected "
            "touchpoint, dimension, score, date (and optionally unit, respondent, wave); "
            "found 'touchpoint', 'dimension', 'date', 'unit'",
        )
    ]


def test_a_tab_separated_header_names_the_delimiters(tmp_path: Path) -> None:
    project = make(tmp_path, {"responses/a.csv": HEADER.replace(",", "\t")})
    rows, reader = read(project)
    assert rows == []
    (finding,) = reader.findings
    assert finding.code == "TPM002"
    assert "columns 'touchpoint', 'dimension', 'score', 'date'" in finding.message
    assert finding.message.endswith("; the delimiter must be ',' or ';'")


def test_a_column_named_twice_skips_the_file(tmp_path: Path) -> None:
    project = make(
        tmp_path,
        {"responses/a.csv": "touchpoint,dimension,score,date,score\nall-hands,clarity,4,x,5\n"},
    )
    rows, reader = read(project)
    assert rows == []
    assert seen(reader) == [
        (
            "responses/a.csv",
            1,
            1,
            "TPM002",
            "column 'score' appears twice in the header (columns 3 and 5), "
            "so the file was not read",
        )
    ]


@pytest.mark.parametrize("content", ["", "\ufeff", "\n\n  \n"])
def test_an_empty_file_has_no_header(tmp_path: Path, content: str) -> None:
    project = make(tmp_path, {"responses/empty.csv": content})
    rows, reader = read(project)
    assert rows == []
    assert [(f.line, f.code) for f in reader.findings] == [(1, "TPM002")]
    assert reader.findings[0].message.startswith("no header")


def test_a_header_without_rows_is_fine(tmp_path: Path) -> None:
    project = make(tmp_path, {"responses/a.csv": HEADER})
    assert read(project)[0] == []
    assert read(project)[1].findings == []


# -- bad rows -----------------------------------------------------------------------------------


def test_each_kind_of_bad_row_is_reported_at_its_line(tmp_path: Path) -> None:
    project = make(
        tmp_path,
        {
            "responses/bad.csv": HEADER
            + "all-handz,clarity,4,2026-10-02,service,r-1\n"  # 2
            + "service,clarity,4,2026-10-02,service,r-1\n"  # 3
            + "all-hands,clarity,4,2026-10-02,servise,r-1\n"  # 4
            + "all-hands,clartiy,4,2026-10-02,service,r-1\n"  # 5
            + "all-hands,,4,2026-10-02,service,r-1\n"  # 6
            + "all-hands,clarity,,2026-10-02,service,r-1\n"  # 7
            + "all-hands,clarity,4,,service,r-1\n"  # 8
            + "all-hands,enps,9,2026-10-02,service,r-1\n"  # 9
            + ",clarity,4,2026-10-02,service,r-1\n"  # 10
            + "all-hands,clarity,four,2026-10-02,service,r-1\n"  # 11
            + "all-hands,clarity,7,2026-10-02,service,r-1\n"  # 12
            + "all-hands,clarity,0.5,2026-10-02,service,r-1\n"  # 13
            + ",enps,11,2026-10-02,service,r-1\n"  # 14
            + ",enps,7.5,2026-10-02,service,r-1\n"  # 15
            + "all-hands,clarity,4,2026-02-30,service,r-1\n"  # 16
            + "all-hands,clarity,4,02.10.2026,service,r-1\n"  # 17
            + "all-hands,clarity,4,2026-10-02\n"  # 18
            + "all-hands,clarity,1e1,2026-10-02,service,r-1\n"  # 19
            + "all-hands,clarity,nan,2026-10-02,service,r-1\n"  # 20
            + "all-hands,clarity,4,2026-10-02,board,r-1\n"  # 21: good
        },
    )
    rows, reader = read(project)
    assert rows == [r("all-hands", "clarity", 4.0, unit="board")]
    dims = "clarity, appreciation, dialogue, customer_focus, empowerment, or enps"
    on_scale = "expected a number on the scale [1, 5]"
    enps_scale = "expected a whole number from 0 to 10"
    assert {f.path for f in reader.findings} == {"responses/bad.csv"}
    assert [(f.line, f.column, f.code, f.message) for f in reader.findings] == [
        (2, 1, "TPM005", "touchpoint 'all-handz' names no touchpoint (did you mean 'all-hands'?)"),
        (3, 1, "TPM005", "touchpoint 'service' is a unit, not a touchpoint"),
        (4, 1, "TPM005", "unit 'servise' names no unit (did you mean 'service'?)"),
        (
            5,
            1,
            "TPM002",
            f"dimension 'clartiy' is not a scoring dimension (did you mean 'clarity'?): "
            f"use one of {dims}",
        ),
        (
            6,
            1,
            "TPM002",
            f"missing value in column 'dimension': expected a scoring dimension ({dims})",
        ),
        (7, 1, "TPM002", f"missing value in column 'score': {on_scale}"),
        (8, 1, "TPM002", "missing value in column 'date': expected a date written YYYY-MM-DD"),
        (
            9,
            1,
            "TPM002",
            "touchpoint 'all-hands' is given for enps: an enps answer rates the organisation, "
            "so leave touchpoint empty",
        ),
        (
            10,
            1,
            "TPM002",
            "missing value in column 'touchpoint': expected the touchpoint that 'clarity' rates",
        ),
        (11, 1, "TPM002", f"score for clarity is not a number: {on_scale}"),
        (12, 1, "TPM002", "score for clarity is off the scale [1, 5]"),
        (13, 1, "TPM002", "score for clarity is off the scale [1, 5]"),
        (14, 1, "TPM002", f"score for enps is off the scale: {enps_scale}"),
        (15, 1, "TPM002", f"score for enps is off the scale: {enps_scale}"),
        (16, 1, "TPM002", "date '2026-02-30' is not a real date: no such day in the calendar"),
        (17, 1, "TPM002", "date '02.10.2026' is not a date: write YYYY-MM-DD"),
        (
            18,
            1,
            "TPM002",
            "the row has 4 fields, but the header has 6 columns: a value is missing or the "
            "delimiter is wrong",
        ),
        (19, 1, "TPM002", f"score for clarity is not a number: {on_scale}"),
        (20, 1, "TPM002", f"score for clarity is not a number: {on_scale}"),
    ]
    assert all(f.subject is None for f in reader.findings)
    assert {f.name for f in reader.findings} == {"unknown-reference", "schema"}


def test_a_bad_value_stays_bad_after_good_rows_were_cached(tmp_path: Path) -> None:
    # the fast path caches values by their text; a cached score is only good for its kind
    project = make(
        tmp_path,
        {
            "responses/a.csv": HEADER
            + "all-hands,clarity,5,2026-10-02,service,r-1\n"
            + ",enps,5,2026-10-02,service,r-1\n"
            + ",enps,10,2026-10-02,service,r-1\n"
            + "all-hands,clarity,10,2026-10-02,service,r-1\n"
            + " ,enps,5,2026-10-02,service,r-1\n"
            + "all-hands,enps,5,2026-10-02,service,r-1\n"
        },
    )
    rows, reader = read(project)
    assert [(row.dimension, row.score) for row in rows] == [
        ("clarity", 5.0),
        ("enps", 5.0),
        ("enps", 10.0),
        ("enps", 5.0),
    ]
    assert [(f.line, f.message) for f in reader.findings] == [
        (5, "score for clarity is off the scale [1, 5]"),
        (
            7,
            "touchpoint 'all-hands' is given for enps: an enps answer rates the organisation, "
            "so leave touchpoint empty",
        ),
    ]


def test_a_touchpoint_with_schema_errors_still_exists(tmp_path: Path) -> None:
    project = make(tmp_path, {"responses/a.csv": HEADER + "broken,clarity,3,2026-10-02,,r-1\n"})
    assert not project.items["broken"].clean  # its schema failed
    rows, reader = read(project)
    assert rows == [r("broken", "clarity", 3.0, unit=None, respondent="r-1")]
    assert reader.findings == []


def test_custom_scale_and_dimensions(tmp_path: Path) -> None:
    project = make(tmp_path, {})
    (tmp_path / "tpm.yaml").write_text(
        TPM_YAML + "scoring:\n  scale: [0, 10]\n  dimensions: {trust: {weight: 2}}\n"
    )
    (tmp_path / "responses").mkdir()
    (tmp_path / "responses" / "a.csv").write_text(
        HEADER
        + "all-hands,trust,10,2026-10-02,service,r-1\n"
        + "all-hands,trust,10.5,2026-10-02,service,r-1\n"
        + "all-hands,clarity,4,2026-10-02,service,r-1\n"
    )
    project = load(tmp_path, cwd=tmp_path)
    rows, reader = read(project)
    assert rows == [r("all-hands", "trust", 10.0)]
    assert [(f.line, f.message) for f in reader.findings] == [
        (3, "score for trust is off the scale [0, 10]"),
        (4, "dimension 'clarity' is not a scoring dimension: use one of trust, or enps"),
    ]


def test_after_50_bad_rows_one_finding_counts_the_rest(tmp_path: Path) -> None:
    bad = "all-hands,clarity,9,2026-10-02,service,r-1\n"
    good = "all-hands,clarity,3,2026-10-02,service,r-1\n"
    project = make(tmp_path, {"responses/a.csv": HEADER + good + bad * 1_284 + good})
    rows, reader = read(project)
    assert len(rows) == 2  # the good rows around the bad ones still count
    assert len(reader.findings) == 51
    assert [f.line for f in reader.findings[:50]] == list(range(3, 53))
    last = reader.findings[-1]
    assert (last.line, last.column, last.code, last.message) == (
        53,
        1,
        "TPM002",
        "... and 1,234 further bad rows in this file (only the first 50 are reported)",
    )


def test_the_cap_counts_per_file_and_says_row_in_the_singular(tmp_path: Path) -> None:
    bad = ",enps,x,2026-10-02,,\n"
    project = make(
        tmp_path, {"responses/a.csv": HEADER + bad * 51, "responses/b.csv": HEADER + bad * 50}
    )
    rows, reader = read(project)
    assert rows == []
    by_file = [(f.path, f.line, f.message) for f in reader.findings if "further" in f.message]
    assert by_file == [
        (
            "responses/a.csv",
            52,
            "... and 1 further bad row in this file (only the first 50 are reported)",
        )
    ]
    assert len(reader.findings) == 51 + 50


def test_unknown_ids_get_no_hint_when_nothing_is_close(tmp_path: Path) -> None:
    project = make(
        tmp_path,
        {
            "responses/a.csv": HEADER
            + "zzz,clarity,4,2026-10-02,qqq,\n"
            + "all-hands,clarity,4,2026-10-02,qqq,\n"
        },
    )
    rows, reader = read(project)
    assert rows == []
    assert [f.message for f in reader.findings] == [
        "touchpoint 'zzz' names no touchpoint",
        "unit 'qqq' names no unit",
    ]


def test_a_quote_left_open_is_reported_where_its_row_starts(tmp_path: Path) -> None:
    good = "all-hands,clarity,4,2026-10-02,service,r-3\n"
    project = make(
        tmp_path,
        {
            "responses/a.csv": HEADER
            + "all-hands,clarity,4,2026-10-02,service,r-1\n"
            + 'all-hands,clarity,4,2026-10-02,service,"r-2\n'
            + good * 3
        },
    )
    rows, reader = read(project)
    assert rows == [r("all-hands", "clarity", 4.0)]
    assert seen(reader) == [
        (
            "responses/a.csv",
            3,
            1,
            "TPM002",
            "the row cannot be read as CSV (unexpected end of data): check its quotes, "
            "and the row runs on to line 6",
        )
    ]


def test_a_runaway_quote_in_a_large_file_is_one_finding(tmp_path: Path) -> None:
    good = "all-hands,clarity,4,2026-10-02,service,r-3\n"
    project = make(
        tmp_path,
        {"responses/a.csv": HEADER + good + 'x,"' + good * 4_000},
    )
    rows, reader = read(project)
    # the open quote swallows rows up to the CSV field limit; reading goes on after it
    assert 1 < len(rows) < 4_000
    (finding,) = reader.findings
    assert (finding.line, finding.code) == (3, "TPM002")
    assert finding.message.startswith(
        "the row cannot be read as CSV (field larger than field limit (131072)): check its "
        "quotes, and the row runs on to line "
    )


def test_text_after_a_closing_quote_is_a_bad_row(tmp_path: Path) -> None:
    project = make(
        tmp_path,
        {
            "responses/a.csv": HEADER
            + 'all-hands,clarity,4,2026-10-02,service,"r-1"x\n'
            + 'all-hands,clarity,"4",2026-10-02,service,r 2 "quoted"\n'
        },
    )
    rows, reader = read(project)
    assert rows == [r("all-hands", "clarity", 4.0, respondent='r 2 "quoted"')]
    assert [(f.line, f.message) for f in reader.findings] == [
        (2, "the row cannot be read as CSV (',' expected after '\"'): check its quotes")
    ]


# -- passes, files and paths ------------------------------------------------------------------


def test_two_passes_read_the_same_rows_and_report_each_bad_row_once(tmp_path: Path) -> None:
    bad = "all-hands,clarity,6,2026-10-02,service,r-1\n"
    good = "all-hands,clarity,3,2026-10-02,service,r-1\n"
    project = make(tmp_path, {"responses/a.csv": HEADER + good + bad * 60})
    reader = ResponseReader(project, response_files(project))
    first = list(reader.rows())
    after_first = seen(reader)
    second = list(reader.rows())
    assert first == second == [r("all-hands", "clarity", 3.0)]
    assert seen(reader) == after_first
    assert len(after_first) == 51


def test_an_interrupted_pass_records_nothing_twice(tmp_path: Path) -> None:
    bad = "all-hands,clarity,6,2026-10-02,service,r-1\n"
    good = "all-hands,clarity,3,2026-10-02,service,r-1\n"
    project = make(tmp_path, {"responses/a.csv": HEADER + bad + good + bad + good})
    reader = ResponseReader(project, response_files(project))
    rows = reader.rows()
    assert isinstance(rows, Generator)
    next(rows)
    rows.close()  # the consumer stopped after the first good row
    assert [f.line for f in reader.findings] == [2]
    assert len(list(reader.rows())) == 2
    assert [f.line for f in reader.findings] == [2, 4]


def test_validate_responses_reads_every_file_once(tmp_path: Path) -> None:
    project = make(
        tmp_path,
        {
            "responses/2026/b.csv": HEADER + "all-hands,clarity,6,2026-10-02,service,r-1\n",
            "responses/a.csv": HEADER + "x,clarity,4,2026-10-02,service,r-1\n",
        },
    )
    extra = tmp_path / "elsewhere.csv"
    extra.write_text("touchpoint;dimension;score;date\nall-hands;clarity;9;2026-10-02\n")
    findings = validate_responses(project, (extra, tmp_path / "responses" / "a.csv"))
    assert [(f.path, f.line, f.code) for f in findings] == [
        ("elsewhere.csv", 2, "TPM002"),
        ("responses/2026/b.csv", 2, "TPM002"),
        ("responses/a.csv", 2, "TPM005"),
    ]


def test_response_files_are_the_project_files_then_extra_each_once(tmp_path: Path) -> None:
    project = make(tmp_path, {"responses/b.csv": HEADER, "responses/a/z.csv": HEADER})
    extra = [tmp_path / "x.csv", tmp_path / "responses" / "b.csv", tmp_path / "." / "x.csv"]
    files = response_files(project, extra)
    assert [project.display(f) for f in files] == ["responses/a/z.csv", "responses/b.csv", "x.csv"]


def test_paths_are_shown_relative_to_the_current_directory(tmp_path: Path) -> None:
    content = {"responses/a.csv": HEADER + "all-hands,clarity,0,2026-10-02,service,r-1\n"}
    inside = make(tmp_path / "repo", content, cwd=tmp_path)
    assert [f.path for f in read(inside)[1].findings] == ["repo/responses/a.csv"]
    outside = load(tmp_path / "repo", cwd=tmp_path / "repo" / "responses")
    assert [f.path for f in read(outside)[1].findings] == ["responses/a.csv"]


def test_progress_reports_every_byte_read(tmp_path: Path) -> None:
    line = "huddle,customer_focus,4,2026-10-02,service-agents,r-0001\n"
    project = make(
        tmp_path,
        {"responses/a.csv": HEADER + line * 5_000, "responses/b.csv": HEADER + line},
    )
    calls: list[int] = []
    reader = ResponseReader(project, response_files(project), on_bytes=calls.append)
    total = reader.total_bytes()
    assert total == len(HEADER + line * 5_000) + len(HEADER + line)
    assert sum(1 for _ in reader.rows()) == 5_001
    assert sum(calls) == total
    assert len(calls) >= 4  # now and then, not once at the end
    assert ResponseReader(project, [tmp_path / "missing.csv"]).total_bytes() == 0
