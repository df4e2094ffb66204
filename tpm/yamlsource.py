"""Read a YAML file once: its data, a position for every key and value, and its problems.

- YAML 1.2 core-schema meanings: `yes`, `no`, `on`, `off` stay strings, dates stay strings
  (the models check them), only `true`/`false`, `null`/`~`, integers and floats are resolved.
- Positions live in a side table keyed by path (a tuple of keys and list indices), never as
  extra keys in the data, so models can forbid unknown keys.
- Duplicate keys are duplicate-key findings at both places (the first value is kept).
- Safety limits are enforced by counting while walking the nodes: nesting depth, file size,
  nodes reached through aliases (a "billion laughs" file is rejected early, with memory bounded
  by the file, because an alias re-uses the value it points at instead of copying it), and
  aliases that refer to themselves.
"""

from __future__ import annotations

import bisect
import io
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader, ReaderError
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from tpm import guards
from tpm.findings import Finding, Location, make_finding
from tpm.fsutil import open_regular

MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 64
MAX_ALIAS_NODES = 100_000
# Values in one file, estimated from its commas and line breaks (LF, CR, NEL, LS and PS all
# count) before parsing: the parser builds every node before tpm sees one, so a file of a
# million tiny values ("[1,1,1,…]", "-\r-\r-\r…") would cost gigabytes. A real 10 MiB
# project file holds well under half of this.
MAX_VALUES = 1_000_000
# Digits of an integer. Python refuses to turn an integer of more than 4300 digits into text (so
# it could not be shown in a message), and no count, level or score needs more than a few.
MAX_DIGITS = 1000


class _PureParser(Reader, Scanner, Parser, Composer):
    """PyYAML's own composer, in Python: used when PyYAML was built without libyaml."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)

    # Tabs. PyYAML's Python scanner refuses every tab outside quotes and block scalars; YAML 1.2
    # and libyaml take a tab inside a line as white space (`name: a<TAB>b`, `[a,<TAB>b]`,
    # `key:<TAB>value`) and refuse it only as indentation. The two methods below are PyYAML's,
    # with tabs taken where libyaml takes them, so that both parsers read the same files.

    def scan_to_next_token(self) -> None:
        if self.index == 0 and self.peek() == "\ufeff":
            self.forward()
        found = False
        while not found:
            while self.peek() == " " or (self.peek() == "\t" and self._tab_is_white_space()):
                self.forward()
            if self.peek() == "#":
                while self.peek() not in "\0\r\n\x85\u2028\u2029":
                    self.forward()
            if self.scan_line_break():
                if not self.flow_level:
                    self.allow_simple_key = True
            else:
                found = True

    def _tab_is_white_space(self) -> bool:
        """In flow context always; in block context after something on the line other than
        indentation and the block indicators `-`, `?` and `:`, or after the first column of a
        line holding nothing else."""
        if self.flow_level:
            return True
        text, here = self.buffer, self.pointer
        start = max(text.rfind("\n", 0, here), text.rfind("\r", 0, here)) + 1
        before = text[start:here]
        if before.strip(" \t-?:"):
            return True
        rest = text[here : here + 200].lstrip(" \t")
        return bool(before) and not before.strip(" ") and rest[:1] in ("\r", "\n", "\0", "#")

    def scan_plain_spaces(self, indent: int, start_mark: Any) -> list[str] | None:
        chunks: list[str] = []
        length = 0
        while self.peek(length) in " \t":  # PyYAML: spaces only
            length += 1
        whitespaces = self.prefix(length)
        self.forward(length)
        ch = self.peek()
        if ch in "\r\n\x85\u2028\u2029":
            line_break = self.scan_line_break()
            self.allow_simple_key = True
            prefix = self.prefix(3)
            if prefix in ("---", "...") and self.peek(3) in "\0 \t\r\n\x85\u2028\u2029":
                return None
            breaks = []
            while self.peek() in " \r\n\x85\u2028\u2029":
                if self.peek() == " ":
                    self.forward()
                else:
                    breaks.append(self.scan_line_break())
                    prefix = self.prefix(3)
                    if prefix in ("---", "...") and self.peek(3) in "\0 \t\r\n\x85\u2028\u2029":
                        return None
            if line_break != "\n":
                chunks.append(line_break)
            elif not breaks:
                chunks.append(" ")
            chunks.extend(breaks)
        elif whitespaces:
            chunks.append(whitespaces)
        return chunks


try:  # libyaml when present: several times faster than the pure-Python parser
    from yaml._yaml import CParser as _Parser  # (the `yaml` package does not export it)

    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    _Parser = _PureParser  # type: ignore[misc,assignment]
    HAVE_LIBYAML = False

_IMPLICIT = "tag:tpm:implicit"  # our resolver leaves every untagged node to the walk
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class _Loader(_Parser, BaseResolver):  # type: ignore[misc,valid-type]
    """The composer only: every implicit tag is decided later, in one pass, by `_walk`."""

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        BaseResolver.__init__(self)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        return _IMPLICIT


class _PureLoader(_PureParser, BaseResolver):
    """The same in pure Python (for PyYAML without libyaml, and to test both)."""

    def __init__(self, stream: str) -> None:
        _PureParser.__init__(self, stream)
        BaseResolver.__init__(self)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        return _IMPLICIT


# YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution)
_INT_RE = re.compile(r"[-+]?[0-9]+\Z")
_OCT_RE = re.compile(r"0o[0-7]+\Z")
_HEX_RE = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT_RE = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_TRUE = frozenset(("true", "True", "TRUE"))
_FALSE = frozenset(("false", "False", "FALSE"))
_CORE_SCALARS = {
    ".inf": float("inf"),
    ".Inf": float("inf"),
    ".INF": float("inf"),
    "+.inf": float("inf"),
    "+.Inf": float("inf"),
    "+.INF": float("inf"),
    "-.inf": float("-inf"),
    "-.Inf": float("-inf"),
    "-.INF": float("-inf"),
    ".nan": float("nan"),
    ".NaN": float("nan"),
    ".NAN": float("nan"),
}
# Only a plain scalar starting with one of these can be a number.
_NUMERIC_START = frozenset("0123456789+-.")
# The words with a meaning (everything else that does not start like a number is text).
_WORDS: dict[str, Any] = {
    **dict.fromkeys(_NULLS),
    **dict.fromkeys(_TRUE, True),
    **dict.fromkeys(_FALSE, False),
}


def resolve_plain(text: str) -> Any:
    """The value of a plain (unquoted) scalar under the YAML 1.2 core schema."""
    if not text:
        return None
    if text[0] not in _NUMERIC_START:
        return _WORDS.get(text, text)
    if "-" in text[1:] and "e-" not in text and "E-" not in text:
        return text  # a date such as 2026-11-25: a minus inside is no number
    if _INT_RE.match(text):
        return _integer(text, 10)
    if _FLOAT_RE.match(text):
        return float(text)
    if text in _CORE_SCALARS:
        return _CORE_SCALARS[text]
    if _OCT_RE.match(text):
        return _integer(text[2:], 8)
    if _HEX_RE.match(text):
        return _integer(text[2:], 16)
    return text


class NumberTooLong(ValueError):
    """An integer with more than MAX_DIGITS digits."""


def _integer(digits: str, base: int) -> int:
    if len(digits) - (digits[0] in "+-") > MAX_DIGITS:
        raise NumberTooLong(digits)
    return int(digits, base)


Path_ = tuple[Any, ...]


@dataclass
class Source:
    """One YAML file as read: its data, its positions and the problems found while reading."""

    path: Path
    display: str
    data: Any = None
    # path -> the parser's start mark of the value (or of the key); turned into a line and
    # column only when a finding asks, which is rare, instead of for every node
    values: dict[Path_, Any] = field(default_factory=dict)
    keys: dict[Path_, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    ok: bool = False  # the file was read and parsed (it may still have duplicate keys)
    position: Callable[[Any], tuple[int, int]] = field(default=lambda m: (m.line + 1, m.column + 1))
    end: tuple[int, int] | None = None  # the end of a text without a final line break

    def point(self, mark: Any) -> tuple[int, int]:
        """The 1-based (line, column) of a mark, never past the end of the text."""
        line, column = self.position(mark)
        end = self.end
        if end is not None and (line > end[0] or (line == end[0] and column > end[1])):
            return end
        return line, column

    def at(self, path: Path_ = (), *, key: bool = False) -> Location:
        """The location of the value at `path` (or of its key), else of its nearest ancestor."""
        table = self.keys if key else self.values
        mark = table.get(path)
        while mark is None and path:
            path = path[:-1]
            mark = self.values.get(path)
        if mark is None:
            return Location(self.display, 1, 1)
        return Location(self.display, *self.point(mark))


class _Reject(Exception):
    """The file is over a safety limit or holds something tpm does not read."""

    def __init__(self, message: str, node: Node | None) -> None:
        super().__init__(message)
        self.message = message
        self.node = node


# PyYAML and libyaml also end a line at NEL, LS and PS (YAML 1.1); YAML 1.2, editors and CI
# annotations do not. In the rare text that holds one, positions are counted from the mark's
# character index instead, with only CR LF, CR and LF ending a line.
_ODD_BREAKS = ("\x85", "\u2028", "\u2029")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _index_position(text: str, index: int) -> tuple[int, int]:
    """The 1-based (line, column) of the character at `index` of `text`."""
    breaks = list(_LINE_BREAK.finditer(text, 0, index))
    start = breaks[-1].end() if breaks else 0
    return len(breaks) + 1, index - start + 1


def _within(text: str, line: int, column: int) -> tuple[int, int]:
    """A position moved into the text: the parsers put the end of a file that does not end
    with a line break on the line after it."""
    lines = _LINE_BREAK.split(text)
    if line > len(lines):
        line, column = len(lines), len(lines[-1]) + 1
    return line, min(column, len(lines[line - 1]) + 1)


def _mark_reader(text: str) -> Callable[[Any], tuple[int, int]]:
    """A function from a mark to its 1-based (line, column) in `text`."""
    if not any(c in text for c in _ODD_BREAKS):
        return lambda mark: (mark.line + 1, mark.column + 1)
    starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]

    def position(mark: Any) -> tuple[int, int]:
        line = bisect.bisect_right(starts, mark.index) - 1
        return line + 1, mark.index - starts[line] + 1

    return position


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag


def _tag_error(node: Node) -> _Reject:
    return _Reject(
        f"tag {_short_tag(node.tag)!r} is not supported: tpm reads plain YAML data "
        "(strings, numbers, booleans, null, lists and mappings)",
        node,
    )


_TAG_TYPES: dict[str, type | tuple[type, ...]] = {
    _INT: int,
    _FLOAT: (int, float),
    _BOOL: bool,
    _NULL: type(None),
}


def _scalar(node: ScalarNode) -> Any:
    tag = node.tag
    value = node.value
    try:
        if tag == _IMPLICIT:
            return value if node.style else resolve_plain(value)
        if tag == _STR or tag == "!":
            return value
        resolved: Any = resolve_plain(value) if tag in _TAG_TYPES else None
    except NumberTooLong:
        raise _Reject(
            f"the number {value[:20]}… has {len(value):,} characters: tpm reads whole numbers "
            f"of at most {MAX_DIGITS:,} digits",
            node,
        ) from None
    if tag in _TAG_TYPES:
        kinds = _TAG_TYPES[tag]
        if isinstance(resolved, kinds) and not (tag != _BOOL and isinstance(resolved, bool)):
            try:
                return float(cast(float, resolved)) if tag == _FLOAT else resolved
            except OverflowError:  # an integer too large for a float
                pass
        shown = repr(value) if len(value) <= 40 else repr(value[:39] + "…")
        raise _Reject(f"{shown} is not a valid {_short_tag(tag)}", node)
    raise _tag_error(node)


# A `\uD800` escape in a double-quoted scalar makes half a UTF-16 surrogate pair, which is no
# character: no output could encode it.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_surrogate(text: str, node: Node) -> None:
    found = _SURROGATE.search(text)
    if found is not None:
        raise _Reject(
            f"the escape \\u{ord(found.group(0)):04X} is half of a UTF-16 surrogate pair, not a "
            "character: write the character itself",
            node,
        )


class _Walker:
    """One walk over the node tree: builds the data and the position tables.

    The hot path (files without anchors, plain strings) is inlined: a file of 30,000
    touchpoints holds a million scalars, and a function call less for each one shows.
    """

    def __init__(self, source: Source, track_aliases: bool) -> None:
        self.source = source
        self.values = source.values
        self.keys = source.keys
        self.findings = source.findings
        self.display = source.display
        self.track = track_aliases
        # With aliases: the value built for each collection node, and its node count, so an
        # alias re-uses (and counts) it instead of copying it.
        # and how deep it nests below itself (an alias is as deep as what it expands to)
        self.built: dict[int, tuple[Any, int, int]] = {}
        self.deepest = 0  # the deepest collection reached below the one being walked
        # the collections being walked, innermost last: where an alias inside them is used
        self.active: dict[int, Node] = {}
        self.alias_nodes = 0
        self.count = 0

    def walk(self, node: Node, path: Path_, depth: int) -> Any:
        self.values[path] = node.start_mark
        cls = node.__class__
        if cls is ScalarNode:
            self.count += 1
            scalar = _scalar(node)  # type: ignore[arg-type]
            if self.track and scalar.__class__ is str:
                _no_surrogate(scalar, node)
            return scalar
        if depth >= MAX_DEPTH:
            raise _Reject(f"nesting deeper than {MAX_DEPTH} levels", node)
        if self.track:
            ident = id(node)
            if ident in self.active:
                raise _Reject("an alias refers to a node that contains it", self._innermost(node))
            seen = self.built.get(ident)
            if seen is not None:
                value, size, height = seen
                reach = depth + height
                if reach >= MAX_DEPTH:
                    raise _Reject(
                        f"nesting deeper than {MAX_DEPTH} levels (counted through aliases)",
                        self._innermost(node),
                    )
                if reach > self.deepest:
                    self.deepest = reach
                self.alias_nodes += size
                self.count += size
                if self.alias_nodes > MAX_ALIAS_NODES:
                    raise _Reject(
                        f"aliases expand to more than {MAX_ALIAS_NODES:,} nodes",
                        self._innermost(node),
                    )
                return value
            self.active[ident] = node
            before = self.count
            outer = self.deepest
            self.deepest = depth
        self.count += 1
        if cls is MappingNode:
            if node.tag != _IMPLICIT and node.tag != _MAP:
                raise _tag_error(node)
            value = self._mapping(node, path, depth)  # type: ignore[arg-type]
        elif cls is SequenceNode:
            if node.tag != _IMPLICIT and node.tag != _SEQ:
                raise _tag_error(node)
            value = self._sequence(node, path, depth)  # type: ignore[arg-type]
        else:  # pragma: no cover - the composer makes only the three kinds
            raise _Reject("unexpected node", node)
        if self.track:
            del self.active[ident]
            self.built[ident] = (value, self.count - before, self.deepest - depth)
            self.deepest = max(outer, self.deepest)
        return value

    def _innermost(self, fallback: Node) -> Node:
        """The collection holding the alias being expanded: the alias itself has no position
        of its own (the composer hands out the anchored node)."""
        return next(reversed(self.active.values()), fallback)

    def _sequence(self, node: SequenceNode, path: Path_, depth: int) -> list[Any]:
        result: list[Any] = []
        append = result.append
        values = self.values
        fast = not self.track
        for index, item in enumerate(node.value):
            sub = (*path, index)
            if fast and item.__class__ is ScalarNode and item.tag == _IMPLICIT:
                values[sub] = item.start_mark
                text = item.value
                # a quoted scalar, or a plain one that cannot be a number: no call needed
                append(
                    text
                    if item.style
                    else _WORDS.get(text, text)
                    if text and text[0] not in _NUMERIC_START
                    else _scalar(item)
                )
            else:
                append(self.walk(item, sub, depth + 1))
        return result

    def _mapping(self, node: MappingNode, path: Path_, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        keys = self.keys
        values = self.values
        fast = not self.track
        for key_node, value_node in node.value:
            if key_node.__class__ is not ScalarNode:
                self.findings.append(
                    make_finding(
                        guards.SCHEMA,
                        "a key must be a plain value, not a list or mapping",
                        Location(self.display, *self.source.point(key_node.start_mark)),
                    )
                )
                continue
            # Keys are names: `1:` or `true:` mean the text as written (a tag is still checked).
            key = key_node.value
            if self.track:
                _no_surrogate(key, key_node)
            if key_node.tag != _IMPLICIT:
                _scalar(key_node)
            sub = (*path, key)
            if key in result:
                self._duplicate(key, keys[sub], key_node.start_mark)
                continue
            keys[sub] = key_node.start_mark
            if fast and value_node.__class__ is ScalarNode and value_node.tag == _IMPLICIT:
                values[sub] = value_node.start_mark
                text = value_node.value
                result[key] = (
                    text
                    if value_node.style
                    else _WORDS.get(text, text)
                    if text and text[0] not in _NUMERIC_START
                    else _scalar(value_node)
                )
            else:
                result[key] = self.walk(value_node, sub, depth + 1)
        return result

    def _duplicate(self, key: str, first_mark: Any, here_mark: Any) -> None:
        first = self.source.point(first_mark)
        here = self.source.point(here_mark)
        for (line, col), (oline, ocol) in ((first, here), (here, first)):
            self.findings.append(
                make_finding(
                    guards.DUPLICATE_KEY,
                    f"key {key!r} appears twice in this mapping (also at line "
                    f"{oline}, column {ocol}); the first value is used",
                    Location(self.display, line, col),
                )
            )


_WIDE_BOMS = (  # byte-order marks of encodings that are not UTF-8 (UTF-32 first: it starts alike)
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def _decode(raw: bytes, display: str) -> tuple[str | None, Finding | None]:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    for bom, encoding in _WIDE_BOMS:
        if raw.startswith(bom):
            return None, make_finding(
                guards.YAML_SYNTAX,
                f"the file is {encoding} (it starts with a {encoding} byte-order mark), not "
                "UTF-8: save it as UTF-8",
                Location(display),
            )
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        column = len(before[line_start:].decode("utf-8", "replace")) + 1
        return None, make_finding(
            guards.YAML_SYNTAX,
            f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x} cannot be decoded): "
            "save it as UTF-8",
            Location(display, line, column),
        )


def _read_at_most(handle: io.FileIO, limit: int) -> bytes:
    """The file's bytes, but no more than `limit` of them (it may grow while it is read)."""
    chunks = []
    while limit > 0:
        chunk = handle.read(min(limit, 1 << 22))
        if not chunk:
            break
        chunks.append(chunk)
        limit -= len(chunk)
    return b"".join(chunks)


def read_text(path: Path, display: str) -> tuple[str | None, Finding | None]:
    """The text of a file, or a yaml-syntax finding saying why it cannot be read."""
    try:
        with open_regular(path) as handle:  # a pipe or a device is refused, not read
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_BYTES:
                return None, make_finding(
                    guards.YAML_SYNTAX,
                    f"the file is {size / 1024 / 1024:.1f} MiB, over the limit of "
                    f"{MAX_BYTES // 1024 // 1024} MiB",
                    Location(display),
                )
            raw = _read_at_most(handle, MAX_BYTES + 1)
    except OSError as exc:
        return None, make_finding(
            guards.YAML_SYNTAX, f"cannot read the file: {exc.strerror or exc}", Location(display)
        )
    if len(raw) > MAX_BYTES:  # it grew while we looked
        return None, make_finding(
            guards.YAML_SYNTAX,
            f"the file is over the limit of {MAX_BYTES // 1024 // 1024} MiB",
            Location(display),
        )
    return _decode(raw, display)


def _char_at(text: str, line: int, column: int) -> str:
    """The character at a 1-based line and column ("" when there is none)."""
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return ""
    index = start + column - 1
    return text[index] if index < len(text) and text[index] != "\n" else ""


def _char(character: Any) -> str:
    code = character if isinstance(character, int) else ord(str(character)[:1] or "\0")
    return f"character U+{code:04X}"


def parse(text: str, source: Source) -> Source:
    """Parse `text` into `source` (data, positions, findings)."""
    values = text.count(",") + text.count("\n")
    if values <= MAX_VALUES:  # every kind of line break ends a value: CR alone, NEL, LS, PS
        values += text.count("\r") - text.count("\r\n")
        values += sum(text.count(c) for c in _ODD_BREAKS)
    if values > MAX_VALUES:
        source.findings.append(
            make_finding(
                guards.YAML_SYNTAX,
                f"the file holds about {values:,} values, more than the {MAX_VALUES:,} tpm reads "
                "in one file: split it into several files",
                Location(source.display),
            )
        )
        return source
    loader: _Loader | None = None
    try:
        loader = _Loader(text)  # the pure-Python reader rejects unprintable characters here
        node = loader.get_single_node()
    except ReaderError as exc:
        line, col = _index_position(text, max(0, min(exc.position, len(text))))
        source.findings.append(
            make_finding(
                guards.YAML_SYNTAX,
                f"invalid YAML: {_char(exc.character)} is not allowed in a YAML file",
                Location(source.display, line, col),
            )
        )
        return source
    except RecursionError:  # the pure-Python composer recurses once for every level
        where = Location(source.display)
        at_line, at_column = getattr(loader, "line", None), getattr(loader, "column", None)
        if at_line is not None and at_column is not None:  # where the reader had got to
            where = Location(source.display, *_within(text, at_line + 1, at_column + 1))
        source.findings.append(
            make_finding(guards.YAML_SYNTAX, f"nesting deeper than {MAX_DEPTH} levels", where)
        )
        return source
    except yaml.MarkedYAMLError as exc:
        from tpm.yaml_errors import explain

        mark = exc.problem_mark or exc.context_mark
        mark_at = _mark_reader(text)
        explained = explain(
            exc.problem or "not valid YAML",
            exc.context,
            text,
            _within(text, *mark_at(mark)) if mark else (1, 1),
            _within(text, *mark_at(exc.context_mark)) if exc.context_mark else None,
        )
        source.findings.append(
            make_finding(
                guards.YAML_SYNTAX,
                explained.message,
                Location(source.display, explained.line, explained.column),
            )
        )
        return source
    except yaml.YAMLError as exc:
        source.findings.append(
            make_finding(guards.YAML_SYNTAX, f"invalid YAML: {exc}", Location(source.display))
        )
        return source
    finally:
        dispose: Callable[[], None] | None = getattr(loader, "dispose", None)
        if dispose:
            dispose()
    if node is None:
        source.data = None
        source.ok = True
        return source
    source.position = _mark_reader(text)
    if text[-1:] not in ("\n", "\r"):
        source.end = _within(text, len(text) + 1, 1 << 30)
    # the careful walk: with anchors, or with escapes that could make a lone surrogate
    walker = _Walker(source, track_aliases="&" in text or "\\u" in text or "\\U" in text)
    try:
        source.data = walker.walk(node, (), 0)
        source.ok = True
    except _Reject as exc:
        where = (
            Location(source.display, *_within(text, *source.position(exc.node.start_mark)))
            if exc.node
            else Location(source.display)
        )
        source.findings.append(make_finding(guards.YAML_SYNTAX, exc.message, where))
        source.data = None
        source.values.clear()
        source.keys.clear()
    except RecursionError:  # pragma: no cover - MAX_DEPTH keeps the walk shallow
        source.findings.append(
            make_finding(guards.YAML_SYNTAX, "the file nests too deeply", Location(source.display))
        )
        source.data = None
    return source


def load_yaml(path: Path, display: str) -> Source:
    """Read and parse one YAML file. Never raises for anything in the file."""
    source = Source(path=path, display=display)
    text, problem = read_text(path, display)
    if problem is not None:
        source.findings.append(problem)
        return source
    assert text is not None
    return parse(text, source)


def load_string(text: str, display: str = "<string>") -> Source:
    """Parse YAML text (for tests and tools)."""
    return parse(text, Source(path=Path(display), display=display))
