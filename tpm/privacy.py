"""The privacy engine: which candidate numbers may be published (docs/privacy.md).

Every number tpm shows about people's answers is first a candidate **cell**: a group of people
(a touchpoint's respondents in its wave, the people of one unit among them, the eNPS answers
of the organisation, a silo or a unit) with the number of people behind it. `decide` takes all
the cells at once and returns, for each, None (it may be shown) or the reason it is hidden:

- fewer than k people (rule 2);
- "hidden to protect a smaller group" (rule 3): cells nest (a touchpoint holds its unit cells;
  the organisation its silos, a silo its units). Whenever a shown cell and some shown cells
  inside it leave 1 to k - 1 of its people (or of the people answering one of its questions)
  in no shown part, the subtraction would give those people's answers away: the smallest
  shown part is hidden too, and again, until no such remainder is left.

Pooled numbers are then made from the shown cells only (rule 4), by the caller. The engine
knows nothing of scores, so every source and view (trends, actions, culture) uses it as is.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

PROTECT = "hidden to protect a smaller group"


def fewer(k: int) -> str:
    """The reason a group below the threshold is hidden."""
    return f"fewer than {k} people"


Who = frozenset[object] | int  # the people of a group, or only how many when they are unknown


@dataclass
class Cell:
    """A candidate group: `counts` maps "" (everyone) and each question to who answered."""

    key: Hashable
    n: int
    counts: Mapping[str, Who] = field(default_factory=dict)
    parent: Hashable | None = None
    hidden: str | None = None  # hidden already by its source (an ingested wave records why)


def _size(who: Who) -> int:
    return who if isinstance(who, int) else len(who)


def _remainder(whole: Who, parts: list[Who]) -> int:
    """How many of `whole` are in none of `parts`."""
    if isinstance(whole, int) or any(isinstance(p, int) for p in parts):
        return _size(whole) - sum(_size(p) for p in parts)
    rest = set(whole)
    for p in parts:
        rest.difference_update(p)  # type: ignore[arg-type]
    return len(rest)


def decide(cells: Iterable[Cell], k: int) -> dict[Hashable, str | None]:
    """key -> None when the cell may be shown, else why it is hidden (see the module)."""
    cells = list(cells)
    by_key = {c.key: c for c in cells}
    reasons: dict[Hashable, str | None] = {
        c.key: c.hidden or (fewer(k) if 0 < c.n < k else None) for c in cells
    }
    children: dict[Hashable, list[Cell]] = {}
    for c in cells:
        if c.parent is not None and c.parent in by_key:
            children.setdefault(c.parent, []).append(c)

    def parts(key: Hashable) -> list[Cell]:
        """The largest shown cells inside `key` (a hidden child's shown cells count too)."""
        found: list[Cell] = []
        stack = list(children.get(key, ()))
        while stack:
            c = stack.pop()
            if c.n <= 0:
                continue
            if reasons[c.key] is None:
                found.append(c)
            else:
                stack.extend(children.get(c.key, ()))
        return found

    def leaks(cell: Cell, inside: list[Cell]) -> bool:
        for measure, whole in cell.counts.items():
            if measure and _size(whole) < k:
                continue  # a question hidden in the cell itself: nothing shown to subtract from
            rest = _remainder(whole, [p.counts[measure] for p in inside if measure in p.counts])
            if 0 < rest < k:
                return True
        return False

    changed = True
    while changed:
        changed = False
        for cell in cells:
            if reasons[cell.key] is not None or cell.n <= 0 or cell.key not in children:
                continue
            inside = parts(cell.key)
            while inside and leaks(cell, inside):
                smallest = min(inside, key=lambda c: (c.n, str(c.key)))
                reasons[smallest.key] = PROTECT
                changed = True
                inside = parts(cell.key)
    return reasons
