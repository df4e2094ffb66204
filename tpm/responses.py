"""Survey responses (docs/file-formats.md): a streaming reader of the long-format CSV files.

One answer a row: `touchpoint,dimension,score,date[,unit][,respondent]`, header required (names
matched after stripping spaces, case-insensitively; other columns are ignored), `,` or `;` as
delimiter (whichever the header line uses more; an Excel `sep=;` line before the header is
honoured), decimal commas accepted, UTF-8 with or without a byte-order mark, any line ending.
Values are read with spaces around them stripped, `enps` in any case. Quotes follow RFC 4180
strictly (a quoted field closes before the next delimiter), so that a stray quote is a finding
rather than rows silently merged into one.

Files can hold millions of rows, so they are streamed and never held whole, and the good path
costs a few dict look-ups a row:

- raw field text maps to its checked value through small dicts (`"4"` -> 4.0, `"2026-10-02"` ->
  a date, `"all-hands"` -> `"all-hands"`); a miss (a value not seen before, or a bad one) drops
  the row to `_check`, which validates it fully and either adds the value to the dicts or
  reports the row. Values repeat, so almost every row takes the fast path; the dicts are
  bounded so memory does not grow with the rows.
- UTF-8 is checked on the raw bytes, a block of whole lines at a time, before the text layer
  decodes them (`_LineBlocks`): a file that is not UTF-8 ends cleanly at the start of the first
  bad line, every row before it still counts, and the hot loop pays nothing for the check.
  The same blocks drive the progress callback.
- Findings are recorded once per file: a second pass (scoring reads twice) re-reads the rows
  but reports nothing new.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tpm import guards
from tpm.catalogue import Rule
from tpm.dates import date_problem, parse_date
from tpm.findings import Finding, Location, make_finding, sort_findings
from tpm.fsutil import open_regular
from tpm.words import did_you_mean, plural

if TYPE_CHECKING:
    from tpm.project import Project

ENPS = "enps"
ENPS_LOW, ENPS_HIGH = 0, 10
REQUIRED_COLUMNS = ("touchpoint", "dimension", "score", "date")
OPTIONAL_COLUMNS = ("unit", "respondent", "wave")
MAX_REPORTED = 50  # bad rows reported per file; the rest are counted in one more finding
UTF8_HINT = "save the file as UTF-8"

_BLOCK = 1 << 16  # bytes read from disk at a time (and the grain of the progress callback)
_MAX_CARRY = 1 << 20  # a "line" longer than this is handed on without waiting for its end
_CACHE_LIMIT = 4096  # new entries a value cache takes (it then stops growing)
_NUMBER_RE = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")
_SEP_RE = re.compile(r"(?i)sep=[,;]")


@dataclass(frozen=True, slots=True)
class Response:
    """One good answer of a response file."""

    touchpoint: str | None  # None for enps
    dimension: str  # a scoring dimension or "enps"
    score: float
    date: dt.date
    unit: str | None
    respondent: str | None
    wave: str | None = None  # the survey round named in the `wave` column (docs/scoring.md)


@dataclass(slots=True)
class _MutableResponse:
    """Response's twin with the same slots, to build Responses fast (see `_response`). Keep
    the two field lists identical: any difference makes the class swap raise TypeError."""

    touchpoint: str | None
    dimension: str
    score: float
    date: dt.date
    unit: str | None
    respondent: str | None
    wave: str | None = None


def _response(
    touchpoint: str | None,
    dimension: str,
    score: float,
    date: dt.date,
    unit: str | None,
    respondent: str | None,
    wave: str | None = None,
) -> Response:
    """A Response, at about a third of the cost of calling the frozen class.

    A frozen dataclass sets each field through `object.__setattr__` (about 0.7 µs a row, half
    the budget of a pass over a million rows). The twin sets its slots directly; the two classes
    have the same slots in the same order, so the instance can take Response's class, after
    which it is an ordinary frozen Response (immutable, equal and hashing like one).
    """
    row: Any = _MutableResponse(touchpoint, dimension, score, date, unit, respondent, wave)
    row.__class__ = Response
    response: Response = row
    return response


# -- reading bytes -------------------------------------------------------------------------


class _LineBlocks(io.BufferedReader):
    """Hands the text layer blocks of whole lines that are valid UTF-8.

    A block ends at a line break (the rest waits for the next read). A block holding bytes that
    are not UTF-8 is cut at the start of the line holding the first of them, and the stream
    ends there: `bad_offset` and `bad_byte` say where and what. The text layer then never sees
    a decoding error, and every line before the bad one is read.
    """

    def __init__(self, raw: io.RawIOBase, on_bytes: Callable[[int], None] | None) -> None:
        super().__init__(raw, buffer_size=_BLOCK)
        self._carry = b""
        self._offset = 0  # bytes handed on so far
        self._on_bytes = on_bytes
        self.bad_offset: int | None = None
        self.bad_byte = 0
        self.utf16 = False  # the file starts with a UTF-16 byte-order mark

    def read1(self, size: int = -1, /) -> bytes:
        if self.bad_offset is not None:
            return b""
        data = self._carry
        while True:
            chunk = super().read1(_BLOCK)
            if not chunk:
                block, self._carry = data, b""
                break
            if self._on_bytes is not None:
                self._on_bytes(len(chunk))
            data = data + chunk if data else chunk
            cut = data.rfind(b"\n")
            if cut < 0:
                cut = data.rfind(b"\r")
            if cut < 0 and len(data) > _MAX_CARRY:
                cut = len(data) - 1
                while cut > 0 and 0x80 <= data[cut] < 0xC0:  # not inside a UTF-8 sequence
                    cut -= 1
                cut -= 1
            if cut >= 0:
                block, self._carry = data[: cut + 1], data[cut + 1 :]
                break
        if not block.isascii():
            try:
                block.decode("utf-8")
            except UnicodeDecodeError as exc:
                start = max(block.rfind(b"\n", 0, exc.start), block.rfind(b"\r", 0, exc.start))
                self.bad_offset = self._offset + start + 1
                self.bad_byte = block[exc.start]
                self.utf16 = self._offset == 0 and block[:2] in (b"\xff\xfe", b"\xfe\xff")
                block = block[: start + 1]
        self._offset += len(block)
        return block

    def read(self, size: int | None = -1, /) -> bytes:
        if size is None or size < 0:
            return b"".join(iter(self.read1, b""))
        return self.read1(size)


def _line_of_offset(path: Path, offset: int) -> int:
    """The 1-based line that starts at byte `offset` (line breaks: LF, CRLF or a lone CR)."""
    breaks = 0
    last_cr = False
    with open(path, "rb") as f:
        remaining = offset
        while remaining > 0:
            chunk = f.read(min(remaining, 1 << 20))
            if not chunk:
                break
            remaining -= len(chunk)
            breaks += chunk.count(b"\n") + chunk.count(b"\r") - chunk.count(b"\r\n")
            if last_cr and chunk.startswith(b"\n"):
                breaks -= 1  # a CRLF split between two chunks
            last_cr = chunk.endswith(b"\r")
    return breaks + 1


class _RowStarts:
    """Where the row of a CSV error began: the error is noticed where the row ends, which for
    a quote left open is far below. A second reader follows the first one through the file, so
    only files with CSV errors pay for it, and at most once."""

    def __init__(self, path: Path, delimiter: str, header_line: int) -> None:
        self._path, self._delimiter, self._base = path, delimiter, header_line
        self._reader: Any = None
        self._start = header_line + 1  # where the next row starts

    def start_of(self, error_line: int) -> int:
        if self._reader is None:
            self._text = open(  # noqa: SIM115 - closed by close()
                self._path, encoding="utf-8-sig", errors="replace", newline=""
            )
            for _ in range(self._base):
                self._text.readline()
            self._reader = csv.reader(self._text, delimiter=self._delimiter, strict=True)
        reader = self._reader
        while True:  # rows, and errors like the first reader's, until the error's line
            start = self._start
            try:
                if next(reader, None) is None:
                    return start
            except csv.Error:
                pass
            self._start = self._base + reader.line_num + 1
            if self._start > error_line:
                return start

    def close(self) -> None:
        if self._reader is not None:
            self._text.close()


def _breaks_in(row: list[str]) -> int:
    """Line breaks inside the quoted fields of a row (its lines beyond the first)."""
    return sum(f.count("\n") + f.count("\r") - f.count("\r\n") for f in row)


# -- per-file state ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Columns:
    touchpoint: int
    dimension: int
    score: int
    date: int
    unit: int  # -1 when the file has no such column
    respondent: int
    wave: int
    width: int  # columns in the header
    last: int  # the highest index read


@dataclass(slots=True)
class _Tally:
    """Bad rows of one file in one pass."""

    bad: int = 0
    first_unreported: int = 0  # the line of the first bad row not reported
    line: int = 1  # the line reached, for a read error


@dataclass(slots=True)
class _FileState:
    path: Path
    display: str
    done: bool = False  # a pass has read the file to its end: its findings are recorded
    recorded: set[tuple[int, str, str]] = field(default_factory=set)


class ResponseReader:
    """Reads one or more response files; findings accumulate in .findings (deduplicated per
    file, so that reading the same files twice — scoring reads in two passes — reports each bad
    row once)."""

    def __init__(
        self,
        project: Project,
        files: Sequence[Path],
        on_bytes: Callable[[int], None] | None = None,
    ) -> None:
        self.project = project
        self.findings: list[Finding] = []
        self._on_bytes = on_bytes
        self._files = [_FileState(Path(p), project.display(Path(p))) for p in files]
        scoring = project.scoring
        self._low, self._high = float(scoring.scale[0]), float(scoring.scale[1])
        self._dimensions = [d for d in scoring.dimensions if d != ENPS]
        self._scale = f"[{self._low:g}, {self._high:g}]"
        kinds: dict[str, list[str]] = {"touchpoint": [], "unit": []}
        for ident, item in project.items.items():
            if item.kind in kinds:
                kinds[item.kind].append(ident)
        self._ids = kinds  # for "did you mean" hints
        self._hints: dict[tuple[str, str], str] = {}
        self._touchpoint_ids = frozenset(kinds["touchpoint"])
        self._unit_ids = frozenset(kinds["unit"])
        # Raw field text -> checked value, for the fast path. The first three start with the
        # ids and names as written, and learn other spellings (" all-hands", "eNPS") once a
        # good row has used them.
        self._touchpoints: dict[str, str] = {t: t for t in kinds["touchpoint"]}
        self._units: dict[str, str | None] = {u: u for u in kinds["unit"]}
        self._units[""] = None
        self._dims: dict[str, str] = {d: d for d in self._dimensions}
        self._dims[ENPS] = ENPS
        self._dim_scores: dict[str, float] = {}
        self._enps_scores: dict[str, float] = {}
        self._dates: dict[str, dt.date] = {}
        self._limits = {
            id(cache): len(cache) + _CACHE_LIMIT
            for cache in (
                self._touchpoints,
                self._units,
                self._dims,
                self._dim_scores,
                self._enps_scores,
                self._dates,
            )
        }

    def total_bytes(self) -> int:
        total = 0
        for state in self._files:
            with contextlib.suppress(OSError):
                total += os.stat(state.path).st_size
        return total

    def rows(self) -> Iterator[Response]:
        """Every good row of every file, in file order, streamed from disk."""
        for state in self._files:
            yield from self._file_rows(state)

    # -- one file ------------------------------------------------------------------------------

    def _add(self, state: _FileState, rule: Rule, message: str, line: int) -> None:
        key = (line, rule.code, message)
        if state.done or key in state.recorded:
            return
        state.recorded.add(key)
        self.findings.append(make_finding(rule, message, Location(state.display, line, 1)))

    def _file_rows(self, state: _FileState) -> Iterator[Response]:
        try:
            raw = open_regular(state.path)  # closed with `text`; a pipe or device is refused
        except OSError as exc:
            self._add(state, guards.YAML_SYNTAX, f"cannot read the file: {_reason(exc)}", 1)
            state.done = True
            return
        blocks = _LineBlocks(raw, self._on_bytes)
        tally = _Tally()
        with io.TextIOWrapper(blocks, encoding="utf-8-sig", newline="") as text:
            try:
                header = self._header(state, text)
                if header is None:
                    if blocks.bad_offset is None:
                        self._add(state, guards.SCHEMA, _NO_HEADER, 1)
                else:
                    base, delimiter, cols = header
                    if cols is None:
                        blocks.bad_offset = None  # the file was not read: no verdict on its bytes
                    else:
                        yield from self._body(state, text, tally, base, delimiter, cols)
            except OSError as exc:
                self._add(
                    state, guards.YAML_SYNTAX, f"cannot read the file: {_reason(exc)}", tally.line
                )
            except UnicodeDecodeError:  # pragma: no cover - _LineBlocks hands on only UTF-8
                self._add(
                    state, guards.YAML_SYNTAX, f"the file is not UTF-8: {UTF8_HINT}", tally.line
                )
        if blocks.bad_offset is not None:
            self._add(
                state,
                guards.YAML_SYNTAX,
                (
                    f"the file is UTF-16, not UTF-8, so it was not read: {UTF8_HINT}"
                    if blocks.utf16
                    else f"byte 0x{blocks.bad_byte:02x} on this line is not UTF-8, so the rest "
                    f"of the file was not read: {UTF8_HINT}"
                ),
                _line_of_offset(state.path, blocks.bad_offset),
            )
        if tally.bad > MAX_REPORTED:
            further = tally.bad - MAX_REPORTED
            self._add(
                state,
                guards.SCHEMA,
                f"... and {further:,} further bad row{'s' if further != 1 else ''} in this file "
                f"(only the first {MAX_REPORTED} are reported)",
                tally.first_unreported,
            )
        state.done = True

    def _bad_row(
        self, state: _FileState, tally: _Tally, line: int, rule: Rule, message: str
    ) -> None:
        tally.bad += 1
        if tally.bad <= MAX_REPORTED:
            self._add(state, rule, message, line)
        elif tally.bad == MAX_REPORTED + 1:
            tally.first_unreported = line

    def _body(
        self,
        state: _FileState,
        text: io.TextIOWrapper,
        tally: _Tally,
        base: int,
        delimiter: str,
        cols: _Columns,
    ) -> Iterator[Response]:
        """The rows below the header: the hot loop."""
        itp, idim, isc, idate = cols.touchpoint, cols.dimension, cols.score, cols.date
        iunit, iresp, iwave = cols.unit, cols.respondent, cols.wave
        has_unit, has_resp, has_wave = iunit >= 0, iresp >= 0, iwave >= 0
        tps, units, dims = self._touchpoints, self._units, self._dims
        dim_scores, enps_scores, dates = self._dim_scores, self._enps_scores, self._dates
        mutable, frozen = _MutableResponse, Response  # `_response`, inlined
        reader = csv.reader(text, delimiter=delimiter, strict=True)
        starts = _RowStarts(state.path, delimiter, base)
        try:
            while True:  # a CSV error ends the `for`; reading goes on after it
                try:
                    for row in reader:
                        try:
                            dim = dims[row[idim]]
                            if dim is ENPS:
                                if row[itp]:
                                    raise KeyError(itp)
                                tp = None
                                score = enps_scores[row[isc]]
                            else:
                                tp = tps[row[itp]]
                                score = dim_scores[row[isc]]
                            date = dates[row[idate]]
                            unit = units[row[iunit]] if has_unit else None
                            if has_resp:
                                respondent = row[iresp].strip()
                                if not respondent:  # a finding: see _check
                                    raise KeyError(iresp)
                            else:
                                respondent = None
                            wave = (row[iwave].strip() or None) if has_wave else None
                        except (KeyError, IndexError):
                            # a value not seen before, or a bad row: check it in full
                            detail = not state.done and tally.bad < MAX_REPORTED
                            result = self._check(row, cols, detail)
                            if isinstance(result, Response):
                                yield result
                            elif result is not None:
                                tally.line = base + reader.line_num - _breaks_in(row)
                                self._bad_row(state, tally, tally.line, *result)
                            continue
                        response: Any = mutable(tp, dim, score, date, unit, respondent, wave)
                        response.__class__ = frozen
                        yield response
                    break
                except csv.Error as exc:
                    end = base + reader.line_num
                    located = not state.done and tally.bad <= MAX_REPORTED
                    tally.line = starts.start_of(end) if located else end
                    runs = f", and the row runs on to line {end}" if end > tally.line else ""
                    if not runs and "field limit" in str(exc):  # one line, no quote run on
                        message = (
                            f"the row has a value longer than {csv.field_size_limit():,} "
                            "characters, the most tpm reads in one field"
                        )
                    else:
                        message = f"the row cannot be read as CSV ({exc}): check its quotes{runs}"
                    self._bad_row(state, tally, tally.line, guards.SCHEMA, message)
        finally:
            starts.close()
        tally.line = base + reader.line_num

    def _header(
        self, state: _FileState, text: io.TextIOWrapper
    ) -> tuple[int, str, _Columns | None] | None:
        """(line of the header, delimiter, columns or None when unusable); None: no header."""
        line = 0
        declared = None
        for raw_line in iter(text.readline, ""):
            line += 1
            stripped = raw_line.strip()
            if declared is None and _SEP_RE.fullmatch(stripped):
                declared = stripped[-1]  # Excel's `sep=;` line names the delimiter
            elif stripped:
                break
        else:
            return None
        if declared is not None:
            delimiter = declared
        else:
            delimiter = ";" if raw_line.count(";") > raw_line.count(",") else ","
        names = [n.strip().lower() for n in next(csv.reader([raw_line], delimiter=delimiter))]
        index: dict[str, int] = {}
        for i, name in enumerate(names):
            if name in REQUIRED_COLUMNS or name in OPTIONAL_COLUMNS:
                if name in index:
                    self._add(
                        state,
                        guards.SCHEMA,
                        f"column {name!r} appears twice in the header (columns {index[name] + 1} "
                        f"and {i + 1}), so the file was not read",
                        line,
                    )
                    return line, delimiter, None
                index[name] = i
        missing = [c for c in REQUIRED_COLUMNS if c not in index]
        if missing:
            what = "column" if len(missing) == 1 else "columns"
            found = ", ".join(repr(n) for n in names if n) or "none"
            tab = "; the delimiter must be ',' or ';'" if "\t" in raw_line else ""
            self._add(
                state,
                guards.SCHEMA,
                f"the header lacks the required {what} {', '.join(map(repr, missing))}, so the "
                f"file was not read: expected {', '.join(REQUIRED_COLUMNS)} (and optionally "
                f"{', '.join(OPTIONAL_COLUMNS)}); found {found}{tab}",
                line,
            )
            return line, delimiter, None
        unit, respondent = index.get("unit", -1), index.get("respondent", -1)
        wave = index.get("wave", -1)
        return (
            line,
            delimiter,
            _Columns(
                index["touchpoint"],
                index["dimension"],
                index["score"],
                index["date"],
                unit,
                respondent,
                wave,
                len(names),
                max(index.values()),
            ),
        )

    # -- the slow path: one row checked in full ------------------------------------------------

    def _check(
        self, row: list[str], cols: _Columns, detail: bool
    ) -> Response | tuple[Rule, str] | None:
        """A Response for a good row (its values join the caches), (code, message) for a bad
        one, None for a blank line. Without `detail` (the row will not be reported), messages
        skip the costly "did you mean" hints."""
        if not any(f.strip() for f in row):
            return None
        if len(row) <= cols.last:
            n = len(row)
            return _bad(
                guards.SCHEMA,
                f"the row has {plural(n, 'field')}, but the header has "
                f"{cols.width} columns: a value is missing or the delimiter is wrong",
            )
        raw_tp, raw_dim, raw_score, raw_date = (
            row[cols.touchpoint],
            row[cols.dimension],
            row[cols.score],
            row[cols.date],
        )
        tp_text, dim_text = raw_tp.strip(), raw_dim.strip()
        score_text, date_text = raw_score.strip(), raw_date.strip()
        # dimension, and whether the row rates a touchpoint
        if not dim_text:
            return _missing("dimension", f"a scoring dimension ({self._dimension_list()})")
        if dim_text.lower() == ENPS:
            dimension = ENPS
            if tp_text:
                return _bad(
                    guards.SCHEMA,
                    f"touchpoint {tp_text!r} is given for enps: an enps answer rates the "
                    "organisation, so leave touchpoint empty",
                )
        elif dim_text in self._dimensions:
            dimension = dim_text
            if not tp_text:
                return _missing("touchpoint", f"the touchpoint that {dimension!r} rates")
        else:
            hint = did_you_mean(dim_text, [*self._dimensions, ENPS])
            return _bad(
                guards.SCHEMA,
                f"dimension {dim_text!r} is not a scoring dimension{hint}: use one of "
                f"{self._dimension_list()}",
            )
        if not score_text:
            return _missing("score", self._expected_score(dimension))
        if not date_text:
            return _missing("date", "a date written YYYY-MM-DD")
        # touchpoint
        touchpoint: str | None = None
        if dimension != ENPS:
            if tp_text not in self._touchpoint_ids:
                return self._unknown("touchpoint", tp_text, detail)
            touchpoint = tp_text
        # score
        score = _number(score_text)
        if score is None:
            return _bad(
                guards.SCHEMA,
                f"score for {dimension} is not a number: expected "
                f"{self._expected_score(dimension)}",
            )
        if dimension == ENPS:
            if not (ENPS_LOW <= score <= ENPS_HIGH and score.is_integer()):
                return _bad(
                    guards.SCHEMA,
                    f"score for enps is off the scale: expected {self._expected_score(ENPS)}",
                )
        elif not self._low <= score <= self._high:
            return _bad(guards.SCHEMA, f"score for {dimension} is off the scale {self._scale}")
        # date
        date = parse_date(date_text)  # once per raw text: a good one joins self._dates
        if date is None:
            return _bad(guards.SCHEMA, f"date {date_text!r} {date_problem(date_text)}")
        # unit and respondent
        unit: str | None = None
        raw_unit = row[cols.unit] if cols.unit >= 0 else ""
        if cols.unit >= 0:
            unit_text = raw_unit.strip()
            if unit_text in self._unit_ids:
                unit = unit_text
            elif unit_text and "unit" not in self.project.unreadable:
                return self._unknown("unit", unit_text, detail)
            # (when tpm.yaml's units cannot be read, its one error says so: not every row)
        respondent = (row[cols.respondent].strip() or None) if cols.respondent >= 0 else None
        if cols.respondent >= 0 and respondent is None:
            # one anonymous row must not turn a count of people into a count of rows
            # (docs/privacy.md, rule 1)
            return _missing(
                "respondent",
                "the respondent's pseudonymous id (a row without one does not count)",
            )
        wave = (row[cols.wave].strip() or None) if cols.wave >= 0 else None
        # a good row: remember how its raw text reads, so that rows like it take the fast path
        remember = self._remember
        remember(self._dims, raw_dim, dimension)
        if touchpoint is not None:
            remember(self._touchpoints, raw_tp, touchpoint)
        if cols.unit >= 0:
            remember(self._units, raw_unit, unit)
        remember(self._enps_scores if dimension == ENPS else self._dim_scores, raw_score, score)
        remember(self._dates, raw_date, date)
        return _response(touchpoint, dimension, score, date, unit, respondent, wave)

    def _remember(self, cache: dict[str, Any], raw: str, value: Any) -> None:
        """Let rows with this raw text take the fast path. The caches are bounded (only values
        that vary without end, such as unusual scores, ever fill one): a full cache keeps what
        it has, and further new values take the slow path."""
        if raw not in cache and len(cache) < self._limits[id(cache)]:
            cache[raw] = value

    def _dimension_list(self) -> str:
        return f"{', '.join(self._dimensions)}, or {ENPS}"

    def _expected_score(self, dimension: str) -> str:
        if dimension == ENPS:
            return f"a whole number from {ENPS_LOW} to {ENPS_HIGH}"
        return f"a number on the scale {self._scale}"

    def _unknown(self, kind: str, value: str, detail: bool) -> tuple[Rule, str]:
        """unknown-reference for a touchpoint or unit that the project does not define."""
        item = self.project.items.get(value)
        if item is not None:
            return _bad(
                guards.UNKNOWN_REFERENCE, f"{kind} {value!r} is a {item.kind}, not a {kind}"
            )
        key = (kind, value)
        hint = self._hints.get(key, "") if not detail else self._hints.get(key)
        if hint is None:
            hint = did_you_mean(value, self._ids[kind])
            if len(self._hints) < _CACHE_LIMIT:
                self._hints[key] = hint
        return _bad(guards.UNKNOWN_REFERENCE, f"{kind} {value!r} names no {kind}{hint}")


_NO_HEADER = (
    "no header: the file is empty; expected a header line such as "
    "touchpoint,dimension,score,date,unit,respondent"
)


def _bad(rule: Rule, message: str) -> tuple[Rule, str]:
    return rule, message


def _missing(column: str, expected: str) -> tuple[Rule, str]:
    return _bad(guards.SCHEMA, f"missing value in column {column!r}: expected {expected}")


def _number(text: str) -> float | None:
    """A score as written: digits with a decimal point or comma; nothing else (no `1_0`,
    `1e3`, `nan` or `٣`, which float() would accept)."""
    if not _NUMBER_RE.fullmatch(text):
        return None
    return float(text.replace(",", "."))


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


# -- the module's functions -------------------------------------------------------------------


def response_files(project: Project, extra: Sequence[Path] = ()) -> list[Path]:
    """The project's response files and then `extra` (--responses), each file once."""
    from tpm.project import resolve

    seen: set[Path] = set()
    files: list[Path] = []
    for path in (*project.response_files, *extra):
        path = Path(path)
        key = resolve(path)
        if key not in seen:
            seen.add(key)
            files.append(path)
    return files


def validate_responses(project: Project, extra: Sequence[Path] = ()) -> list[Finding]:
    """One full pass over every response file; its findings, sorted."""
    reader = ResponseReader(project, response_files(project, extra))
    for _ in reader.rows():
        pass
    return sort_findings(reader.findings)
