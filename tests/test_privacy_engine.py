"""The privacy engine on its own (docs/privacy.md, rules 2 and 3): which cells may be shown.

Each case is a small tree of groups of people, worked out by hand: a shown group and its
shown parts must never leave 1 to k - 1 of its people in no shown part.
"""

from __future__ import annotations

from tpm.privacy import PROTECT, Cell, decide, fewer

K = 5


def people(prefix: str, n: int) -> frozenset[object]:
    return frozenset(f"{prefix}{i}" for i in range(n))


def cell(key: str, who: frozenset[object], parent: str | None = None) -> Cell:
    return Cell(key, len(who), {"": who}, parent)


def test_a_small_group_is_hidden_and_a_group_without_anyone_is_not() -> None:
    reasons = decide([cell("a", people("a", 4)), cell("b", people("b", 5)), Cell("c", 0)], K)
    assert reasons == {"a": fewer(K), "b": None, "c": None}


def test_the_part_that_would_give_a_smaller_group_away_is_hidden() -> None:
    # org = big (5) + solo (1): org - big = solo's one person
    big, solo = people("b", 5), people("s", 1)
    reasons = decide(
        [cell("org", big | solo), cell("big", big, "org"), cell("solo", solo, "org")], K
    )
    assert reasons == {"org": None, "big": PROTECT, "solo": fewer(K)}


def test_a_remainder_of_k_or_more_leaves_the_parts_shown() -> None:
    a, b, rest = people("a", 5), people("b", 6), people("r", 5)  # rest: in no part at all
    reasons = decide([cell("org", a | b | rest), cell("a", a, "org"), cell("b", b, "org")], K)
    assert reasons == {"org": None, "a": None, "b": None}


def test_the_smallest_part_goes_first_and_only_as_many_as_needed() -> None:
    # org 20 = a (5) + b (6) + c (7) + d (2): d alone is 2 < 5, so hide the smallest shown part
    # (a, 5): the remainder is then 7 >= 5, and b and c stay shown
    a, b, c, d = people("a", 5), people("b", 6), people("c", 7), people("d", 2)
    cells = [
        cell("org", a | b | c | d),
        *(cell(k, w, "org") for k, w in zip("abcd", (a, b, c, d), strict=True)),
    ]
    assert decide(cells, K) == {"org": None, "a": PROTECT, "b": None, "c": None, "d": fewer(K)}


def test_shown_cells_below_a_hidden_one_count_as_parts() -> None:
    # org 6 = silo A (5: unit a1 with the same 5) + silo B (1): hiding A is not enough while
    # a1 (the same people) is shown below it; a1 goes too
    a, b = people("a", 5), people("b", 1)
    cells = [
        cell("org", a | b),
        cell("A", a, "org"),
        cell("a1", a, "A"),
        cell("B", b, "org"),
        cell("b1", b, "B"),
    ]
    reasons = decide(cells, K)
    assert reasons["org"] is None
    assert (reasons["A"], reasons["a1"]) == (PROTECT, PROTECT)
    assert (reasons["B"], reasons["b1"]) == (fewer(K), fewer(K))


def test_each_question_is_checked_as_well_as_the_people() -> None:
    # 10 people: the part holds 5, the other 5 are in no part (a remainder of 5: fine). But
    # only one of those 5 answered clarity: the clarity remainder is 1, so the part is hidden
    part, others = people("p", 5), people("o", 5)
    whole = Cell("t", 10, {"": part | others, "clarity": part | {"o0"}}, None)
    inside = Cell("t/u", 5, {"": part, "clarity": part}, "t")
    assert decide([whole, inside], K) == {"t": None, "t/u": PROTECT}
    # without that one clarity answer, nothing can be subtracted
    whole = Cell("t", 10, {"": part | others, "clarity": part}, None)
    assert decide([whole, inside], K) == {"t": None, "t/u": None}


def test_counts_alone_are_subtracted_when_the_people_are_unknown() -> None:
    reasons = decide([Cell("t", 9, {"": 9}), Cell("t/u", 6, {"": 6}, "t")], K)
    assert reasons == {"t": None, "t/u": PROTECT}  # 9 - 6 = 3
