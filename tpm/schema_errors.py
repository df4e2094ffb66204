"""Turn pydantic validation errors into schema findings a person can act on.

A message names the offending key or value and what was expected instead; the location is
the key (unknown keys) or the value (everything else), or the mapping when a key is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from tpm import guards
from tpm.findings import Finding, make_finding
from tpm.words import did_you_mean
from tpm.yamlsource import Path_, Source

SLUG_MESSAGE = (
    "{value} is not a valid id: use 1 to 64 lowercase letters, digits, '.', '_' or '-', "
    "starting with a letter or digit"
)

_KINDS = {
    "string_type": "text",
    "bool_type": "true or false",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "int_parsing": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "finite_number": "a finite number",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "none_required": "empty",
}


# `<<: *base` merges a mapping in YAML 1.1 (PyYAML's default); YAML 1.2 has no merge keys.
MERGE_KEY = (
    "merge keys ('<<: *base') belong to YAML 1.1, and tpm reads YAML 1.2: write the keys out"
)


def _slug_hint(value: Any) -> str:
    """`, such as 'priya-shah'` for a name written where an id belongs ("Priya Shah")."""
    import re
    import unicodedata

    if not isinstance(value, str):
        return ""
    plain = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9._-]+", "-", plain.lower()).strip("-._")[:64]
    if not slug or slug == value or not re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,63}", slug):
        return ""
    return f", such as {slug!r}"


def short(value: Any, limit: int = 60) -> str:
    """A value as it would be quoted in a message, cut to a readable length."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _field_name(loc: tuple[Any, ...]) -> str:
    for part in reversed(loc):
        if isinstance(part, str) and part != "[key]":
            return part
    return "value"


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys the mapping at `loc` (inside `model`) accepts, for a "did you mean" hint."""
    current: Any = model
    skip = False  # the part is a key of a mapping of models (scoring.dimensions.NAME)
    for part in loc:
        if isinstance(part, int) or skip:
            skip = False
            continue
        fields = getattr(current, "model_fields", None)
        if fields is None:
            return []
        match = next((f for name, f in fields.items() if (f.alias or name) == part), None)
        if match is None:
            return []
        current = _inner_model(match.annotation)
        if current is None:
            return []
        skip = _is_mapping(match.annotation)
    fields = getattr(current, "model_fields", {})
    return [f.alias or name for name, f in fields.items()]


def _is_mapping(annotation: Any) -> bool:
    """Whether the annotation is a dict (perhaps optional, perhaps Annotated)."""
    origin = getattr(annotation, "__origin__", None)
    if origin is dict:
        return True
    return any(_is_mapping(arg) for arg in getattr(annotation, "__args__", ()) or ()) or (
        origin is not None and origin is not annotation and _is_mapping(origin)
    )


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    origin = getattr(annotation, "__origin__", None)  # Annotated[X, ...] -> X
    if origin is not None and origin is not annotation:
        return _inner_model(origin)
    return None


def describe(error: Mapping[str, Any], model: type[BaseModel]) -> tuple[tuple[Any, ...], str, bool]:
    """(path inside the item, message, whether it points at the key) for one pydantic error."""
    kind = error["type"]
    loc = tuple(error["loc"])
    value = error.get("input")
    ctx = error.get("ctx") or {}
    name = _field_name(loc)
    if kind == "missing":
        return loc[:-1], f"required key {loc[-1]!r} is missing", False
    if kind == "string_pattern_mismatch":  # the only pattern in the models is the id slug
        return (
            loc,
            f"{name} {SLUG_MESSAGE.format(value=short(value, 80))}{_slug_hint(value)}",
            False,
        )
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, loc[:-1])
        listed = f"; allowed keys: {', '.join(allowed)}" if allowed else ""
        hint = did_you_mean(str(loc[-1]), allowed, listed)
        if loc[-1] == "<<":
            return loc, f"unknown key '<<': {MERGE_KEY}", True
        return (
            loc,
            f"unknown key {loc[-1]!r}{hint}; keys starting with 'x-' are kept for your own tools",
            True,
        )
    if loc and loc[-1] == "[key]":
        return loc[:-1], f"key {error['msg']}", True
    if kind in _KINDS:
        expected = _KINDS[kind]
        hint = ""
        if kind == "bool_type" and isinstance(value, str):
            hint = " (YAML 1.2: yes, no, on and off are text; write true or false)"
        elif expected == "a mapping" and "steps" in loc[:-1] and isinstance(value, str):
            step = value.lstrip("- ").strip() or "TOUCHPOINT-ID"
            hint = f": a step names its touchpoint, '- touchpoint: {step}'"
        return loc, f"{name} should be {expected}, not {short(value)}{hint}", False
    if kind == "literal_error":
        return loc, f"{name} {short(value)} is not allowed: use {ctx.get('expected')}", False
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = {
            "greater_than_equal": f"at least {ctx.get('ge')}",
            "greater_than": f"more than {ctx.get('gt')}",
            "less_than_equal": f"at most {ctx.get('le')}",
            "less_than": f"less than {ctx.get('lt')}",
        }[kind]
        return loc, f"{name} {short(value)} is out of range: it must be {bound}", False
    if kind in ("too_short", "too_long"):
        if kind == "too_short":
            need = f"at least {ctx.get('min_length')}"
        else:
            need = f"at most {ctx.get('max_length')}"
        return loc, f"{name} needs {need} item(s), not {ctx.get('actual_length')}", False
    message = str(error.get("msg", "is not valid"))
    if not loc or message.startswith(name):  # a check of the whole mapping names its keys
        return loc, message, False
    if message.startswith(("must ", "needs ")):
        return loc, f"{name} {message}", False
    if message.startswith("'"):
        return loc, f"{name} {message}", False
    return loc, f"{name}: {message}", False


def schema_findings(
    exc: ValidationError,
    model: type[BaseModel],
    source: Source,
    base: Path_,
    subject: str | None,
) -> list[Finding]:
    """Schema findings for an item at `base` in `source` that failed `model`."""
    findings = []
    for error in exc.errors(include_url=False):
        loc, message, at_key = describe(error, model)
        findings.append(
            make_finding(guards.SCHEMA, message, source.at((*base, *loc), key=at_key), subject)
        )
    return findings
