"""Loading a project (file-formats.md): root discovery, files, ids, references, hierarchy, paths."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import (
    GOOD,
    GOOD_CONFIG,
    GOOD_JOURNEYS,
    GOOD_TOUCHPOINTS,
    codes,
    load_files,
    make_project,
    only,
    pos,
    where,
)

from tpm.project import ProjectError, find_root, load


def units_config(units: str, people: str = "") -> str:
    """A tpm.yaml with these unit entries (YAML text of the list items)."""
    return "organisation: A\nunits:\n" + units + ("people:\n" + people if people else "")


def unit(ident: str, parent: str | None = None, level: int | None = None) -> str:
    text = f"  - id: {ident}\n    name: {ident.upper()}\n"
    if parent is not None:
        text += f"    parent: {parent}\n"
    if level is not None:
        text += f"    level: {level}\n"
    return text


# -- root discovery ------------------------------------------------------------------------


def test_explicit_directory(tmp_path: Path) -> None:
    root = make_project(tmp_path, GOOD)
    assert find_root(root) == root.resolve()


def test_explicit_tpm_yaml_file(tmp_path: Path) -> None:
    root = make_project(tmp_path, GOOD)
    assert find_root(root / "tpm.yaml") == root.resolve()


def test_explicit_directory_without_tpm_yaml(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match=r"no tpm\.yaml in .*tpm init"):
        find_root(tmp_path)


def test_explicit_directory_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="no such directory"):
        find_root(tmp_path / "missing")


def test_explicit_does_not_look_in_parents(tmp_path: Path) -> None:
    root = make_project(tmp_path, GOOD)
    (root / "touchpoints" / "deeper").mkdir()
    with pytest.raises(ProjectError):
        find_root(root / "touchpoints" / "deeper")


def test_current_directory_and_its_parents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path, GOOD)
    deep = root / "touchpoints" / "a" / "b"
    deep.mkdir(parents=True)
    assert find_root(start=root) == root.resolve()
    assert find_root(start=deep) == root.resolve()
    monkeypatch.chdir(deep)
    assert find_root() == root.resolve()
    assert load(find_root()).organisation == "Test AG"


def test_the_nearest_tpm_yaml_wins(tmp_path: Path) -> None:
    outer = make_project(tmp_path, GOOD, name="outer")
    inner = make_project(outer, GOOD, name="inner")
    assert find_root(start=inner / "journeys") == inner.resolve()


def test_no_project_anywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if any((d / "tpm.yaml").exists() for d in (tmp_path, *tmp_path.parents)):
        pytest.skip("a tpm.yaml above the temporary directory")
    with pytest.raises(ProjectError, match=r"no tpm\.yaml in .* or any parent directory"):
        find_root(start=tmp_path)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ProjectError):
        load(find_root())


# -- files ---------------------------------------------------------------------------------


def test_one_table_of_kinds(tmp_path: Path) -> None:
    """model.KINDS names each kind of item, its list and its model: the loader fills the
    Project's tables from it, and `tpm list` offers the same lists."""
    from tpm.cli import Kind
    from tpm.model import KIND_OF_LIST, KINDS

    project = load_files(tmp_path, GOOD)
    for kind in KINDS.values():
        table = getattr(project, kind.list_key)
        assert table
        for ident, model in table.items():
            assert isinstance(model, kind.model)
            assert project.items[ident].kind == kind.name
    assert [k.value for k in Kind] == list(KIND_OF_LIST)


def test_the_good_project_is_clean(tmp_path: Path) -> None:
    project = load_files(tmp_path, GOOD)
    assert project.findings == []
    assert project.organisation == "Test AG"
    assert list(project.units) == ["board", "service", "service-agents", "sales", "it"]
    assert list(project.people) == ["anna", "sam", "kim"]
    assert list(project.touchpoints) == ["all-hands", "huddle", "board-slot", "it-standard"]
    assert list(project.journeys) == ["idea", "outage"]


def test_every_file_is_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    def tp(ident: str) -> str:
        return f"touchpoints:\n  - id: {ident}\n    name: T\n    from: board\n    to: it\n"

    project = load_files(
        tmp_path,
        {
            "tpm.yaml": GOOD_CONFIG,
            "touchpoints/zeta.yaml": tp("t-zeta"),
            "touchpoints/alpha.yml": tp("t-alpha"),
            "touchpoints/b/nested.yaml": tp("t-nested"),
            "touchpoints/b/c/deeper.yml": tp("t-deeper"),
            "touchpoints/b.yaml": tp("t-b"),
            "touchpoints/notes.txt": "not: yaml: at all:",
            "touchpoints/data.json": "{}",
            "touchpoints/.hidden.yaml": "{{{",
            "touchpoints/.git/x.yaml": "{{{",
            "journeys/j.yaml": "journeys:\n  - id: j\n    name: J\n    steps:\n"
            "      - touchpoint: t-deeper\n",
            "other/ignored.yaml": "{{{",
            "ignored.yaml": "{{{",
        },
    )
    assert [s.display for s in project.sources] == [
        "tpm.yaml",
        "touchpoints/alpha.yml",
        "touchpoints/b.yaml",
        "touchpoints/b/c/deeper.yml",
        "touchpoints/b/nested.yaml",
        "touchpoints/zeta.yaml",
        "journeys/j.yaml",
    ]
    assert list(project.touchpoints) == ["t-alpha", "t-b", "t-deeper", "t-nested", "t-zeta"]
    assert project.findings == []


def test_response_files_are_found_recursively_in_sorted_order(tmp_path: Path) -> None:
    project = load_files(
        tmp_path,
        {
            **GOOD,
            "responses/b.csv": "x\n",
            "responses/a/z.csv": "x\n",
            "responses/a.csv": "x\n",
            "responses/readme.md": "x\n",
        },
    )
    root = project.root
    assert [p.relative_to(root).as_posix() for p in project.response_files] == [
        "responses/a.csv",
        "responses/a/z.csv",
        "responses/b.csv",
    ]


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    project = load_files(
        tmp_path,
        {
            **GOOD,
            "touchpoints/a-broken.yaml": "touchpoints:\n  - id: [unclosed\n",
            "touchpoints/b-latin1.yaml": "touchpoints:\n  - id: café\n".encode("latin-1"),
            "touchpoints/c-extra.yaml": "touchpoints:\n  - id: extra\n    name: E\n"
            "    from: it\n    to: board\n",
        },
    )
    assert [c for c in codes(project.findings)] == ["TPM001", "TPM001"]
    assert [f.path for f in project.findings] == [
        "touchpoints/a-broken.yaml",
        "touchpoints/b-latin1.yaml",
    ]
    assert "extra" in project.touchpoints and "huddle" in project.touchpoints
    assert list(project.journeys) == ["idea", "outage"]


def test_a_top_level_list_is_tpm002_at_1_1(tmp_path: Path) -> None:
    project = load_files(
        tmp_path, {**GOOD, "journeys/list.yaml": "- id: j\n  name: J\n  steps: []\n"}
    )
    assert where(project.findings) == [("TPM002", "journeys/list.yaml", 1, 1)]
    assert project.findings[0].message == (
        "the file must be a mapping with a list of journeys under 'journeys:', not a list"
    )


def test_an_empty_file_is_fine(tmp_path: Path) -> None:
    project = load_files(
        tmp_path, {**GOOD, "journeys/empty.yaml": "", "journeys/n.yaml": "journeys:\n"}
    )
    assert project.findings == []


def test_unknown_top_level_keys(tmp_path: Path) -> None:
    project = load_files(
        tmp_path,
        {
            "tpm.yaml": GOOD_CONFIG + "scorring: {}\nx-team: cx\n",
            "touchpoints/t.yaml": GOOD_TOUCHPOINTS + "journeys: []\n",
        },
    )
    assert where(project.findings) == [
        ("TPM002", "touchpoints/t.yaml", *pos(GOOD_TOUCHPOINTS + "journeys", "journeys")),
        ("TPM002", "tpm.yaml", *pos(GOOD_CONFIG + "scorring", "scorring")),
    ]
    assert "did you mean 'scoring'" in project.findings[1].message


def test_config_needs_organisation_and_units(tmp_path: Path) -> None:
    project = load_files(tmp_path, {"tpm.yaml": "people: []\n"})
    assert [f.message for f in project.findings] == [
        "organisation is missing: name the organisation (organisation: Example AG)",
        "required key 'units' is missing",
    ]


def test_a_broken_tpm_yaml_is_one_finding(tmp_path: Path) -> None:
    project = load_files(tmp_path, {"tpm.yaml": "organisation: [\n"})
    assert codes(project.findings) == ["TPM001"]
    project = load_files(tmp_path, {"tpm.yaml": "- a\n- b\n"})
    assert where(project.findings) == [("TPM002", "tpm.yaml", 1, 1)]


def test_items_must_be_a_list_of_mappings(tmp_path: Path) -> None:
    project = load_files(
        tmp_path,
        {
            "tpm.yaml": GOOD_CONFIG,
            "touchpoints/a.yaml": "touchpoints: {id: x}\n",
            "touchpoints/b.yaml": "touchpoints:\n  - just-a-name\n",
        },
    )
    assert where(project.findings) == [
        ("TPM002", "touchpoints/a.yaml", 1, 14),
        ("TPM002", "touchpoints/b.yaml", 2, 5),
    ]


# -- ids -----------------------------------------------------------------------------------


def test_duplicate_ids_across_files_are_reported_at_both_places(tmp_path: Path) -> None:
    project = load_files(
        tmp_path,
        {
            **GOOD,
            "journeys/other.yaml": "journeys:\n  - id: huddle\n    name: Dup\n"
            "    steps: [{touchpoint: huddle}]\n",
        },
    )
    dup = only(project.findings, "TPM004")
    assert where(dup) == [
        ("TPM004", "journeys/other.yaml", 2, 9),
        ("TPM004", "touchpoints/main.yaml", 8, 9),
    ]
    assert dup[0].message == (
        "id 'huddle' is defined twice: this journey and the touchpoint at touchpoints/main.yaml:8:9"
    )
    assert dup[1].message == (
        "id 'huddle' is defined twice: this touchpoint and the journey at journeys/other.yaml:2:9"
    )
    assert all(f.subject == "huddle" for f in dup)
    assert project.item("huddle").kind == "touchpoint"  # the first one wins
    assert codes(project.findings) == ["TPM004", "TPM004"]


def test_units_and_people_share_the_namespace(tmp_path: Path) -> None:
    config = GOOD_CONFIG.replace("  - id: kim\n", "  - id: sales\n").replace(
        "  - id: sam\n", "  - id: sam\n"
    )
    project = load_files(tmp_path, {"tpm.yaml": config})
    assert where(only(project.findings, "TPM004")) == [
        ("TPM004", "tpm.yaml", *pos(config, "sales")),
        ("TPM004", "tpm.yaml", *pos(config, "sales", 2)),
    ]


def test_an_item_with_a_schema_error_still_registers_its_id(tmp_path: Path) -> None:
    touchpoints = GOOD_TOUCHPOINTS.replace("    cadence: daily\n", "    cadence: sometimes\n")
    config = GOOD_CONFIG.replace("    name: Sam Patel\n", "    name: Sam Patel\n    bogus: 1\n")
    project = load_files(
        tmp_path,
        {
            "tpm.yaml": config,
            "touchpoints/main.yaml": touchpoints,
            "journeys/main.yaml": GOOD_JOURNEYS,
        },
    )
    assert codes(project.findings) == ["TPM002", "TPM002"]  # no TPM005 for huddle or sam
    # both are kept without the field that failed, so the rest of them still counts
    assert project.touchpoints["huddle"].cadence is None
    assert project.people["sam"].name == "Sam Patel"
    assert not project.items["huddle"].clean and not project.items["sam"].clean
    assert project.item("huddle") is not None and project.item("huddle").model is not None
    assert project.item("sam").kind == "person"


# -- references ----------------------------------------------------------------------------


def test_unknown_references_with_did_you_mean(tmp_path: Path) -> None:
    config = GOOD_CONFIG.replace("    unit: sales\n", "    unit: saels\n").replace(
        "    parent: service\n", "    parent: servce\n"
    )
    touchpoints = (
        GOOD_TOUCHPOINTS.replace("    owner: sam\n", "    owner: samm\n", 1)
        .replace("to: board\n", "to: bord\n")
        .replace("from: it\n", "from: [it, sals]\n")
    )
    journeys = GOOD_JOURNEYS.replace("touchpoint: huddle", "touchpoint: hudle").replace(
        "co_owners: [kim]", "co_owners: [kim, zzz]"
    )
    project = load_files(
        tmp_path,
        {"tpm.yaml": config, "touchpoints/main.yaml": touchpoints, "journeys/main.yaml": journeys},
    )
    found = [(f.path, f.line, f.column, f.subject, f.message) for f in project.findings]
    j, t, c = "journeys/main.yaml", "touchpoints/main.yaml", "tpm.yaml"
    assert found == [
        (
            j,
            *pos(journeys, "hudle"),
            "idea",
            "touchpoint 'hudle' names no touchpoint (did you mean 'huddle'?)",
        ),
        (j, *pos(journeys, "zzz"), "outage", "co_owners 'zzz' names no person"),
        (
            t,
            *pos(touchpoints, "samm"),
            "huddle",
            "owner 'samm' names no person (did you mean 'sam'?)",
        ),
        (
            t,
            *pos(touchpoints, "bord"),
            "board-slot",
            "to 'bord' names no unit (did you mean 'board'?)",
        ),
        (
            t,
            *pos(touchpoints, "sals"),
            "it-standard",
            "from 'sals' names no unit (did you mean 'sales'?)",
        ),
        (
            c,
            *pos(config, "servce"),
            "service-agents",
            "parent 'servce' names no unit (did you mean 'service'?)",
        ),
        (c, *pos(config, "saels"), "kim", "unit 'saels' names no unit (did you mean 'sales'?)"),
    ]
    assert set(codes(project.findings)) == {"TPM005"}


def test_did_you_mean_only_suggests_ids_of_the_right_kind(tmp_path: Path) -> None:
    # 'servic' is close to the unit 'service', but an owner is a person
    touchpoints = GOOD_TOUCHPOINTS.replace("    owner: sam\n", "    owner: servic\n", 1)
    project = load_files(tmp_path, {**GOOD, "touchpoints/main.yaml": touchpoints})
    assert [f.message for f in project.findings] == ["owner 'servic' names no person"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    owner: sam\n", "    owner: service\n", "owner 'service' is a unit, not a person"),
        ("to: board\n", "to: anna\n", "to 'anna' is a person, not a unit"),
        ("from: it\n", "from: idea\n", "from 'idea' is a journey, not a unit"),
    ],
)
def test_a_reference_to_an_item_of_the_wrong_kind(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    touchpoints = GOOD_TOUCHPOINTS.replace(old, new, 1)
    project = load_files(tmp_path, {**GOOD, "touchpoints/main.yaml": touchpoints})
    assert [(f.code, f.message) for f in project.findings] == [("TPM005", message)]


def test_a_step_naming_a_unit(tmp_path: Path) -> None:
    journeys = GOOD_JOURNEYS.replace("touchpoint: huddle", "touchpoint: it")
    project = load_files(tmp_path, {**GOOD, "journeys/main.yaml": journeys})
    assert [f.message for f in project.findings] == ["touchpoint 'it' is a unit, not a touchpoint"]


def test_a_wrong_reference_is_found_even_when_the_item_has_a_schema_error(tmp_path: Path) -> None:
    touchpoints = GOOD_TOUCHPOINTS.replace(
        "    owner: sam\n", "    owner: nobody\n    colour: red\n", 1
    )
    project = load_files(tmp_path, {**GOOD, "touchpoints/main.yaml": touchpoints})
    assert codes(project.findings) == ["TPM005", "TPM002"]


# -- hierarchy -----------------------------------------------------------------------------


def test_one_finding_per_cycle_naming_the_whole_cycle(tmp_path: Path) -> None:
    config = units_config(
        unit("board", level=0)
        + unit("b", parent="a")
        + unit("a", parent="c")
        + unit("c", parent="b")
        + unit("self", parent="self")
        + unit("child", parent="a")
    )
    project = load_files(tmp_path, {"tpm.yaml": config})
    cycles = only(project.findings, "TPM006")
    assert [(f.line, f.column, f.subject, f.message) for f in cycles] == [
        (*pos(config, "a\n"), "b", "unit 'b' is its own ancestor: b → a → c → b"),
        (*pos(config, "self\n", 2), "self", "unit 'self' is its own ancestor: self → self"),
    ]
    assert codes(project.findings) == ["TPM006", "TPM006"]
    # units in a cycle are treated as units without parent
    assert {u: project.effective_parent[u] for u in ("a", "b", "c", "self")} == dict.fromkeys(
        ("a", "b", "c", "self")
    )
    assert project.level["a"] == project.level["b"] == project.level["self"] == 1
    assert project.silo["b"] == "b"
    assert project.effective_parent["child"] == "a"
    assert (project.level["child"], project.silo["child"]) == (2, "a")


def test_default_levels(tmp_path: Path) -> None:
    config = units_config(
        unit("root")
        + unit("dept", parent="root")
        + unit("team", parent="dept")
        + unit("pinned", parent="dept", level=7)
        + unit("below-pinned", parent="pinned")
        + unit("top", level=0)
        + unit("under-top", parent="top")
        + unit("late-child", parent="late-parent")
        + unit("late-parent", parent="root")
    )
    project = load_files(tmp_path, {"tpm.yaml": config})
    assert project.findings == []
    assert project.level == {
        "root": 1,
        "dept": 2,
        "team": 3,
        "pinned": 7,
        "below-pinned": 8,
        "top": 0,
        "under-top": 1,
        "late-child": 3,
        "late-parent": 2,
    }
    assert project.top_units == ["top"]


def test_silos_when_departments_are_roots_beside_the_board(tmp_path: Path) -> None:
    project = load_files(tmp_path, GOOD)
    assert project.silo == {
        "board": None,
        "service": "service",
        "service-agents": "service",
        "sales": "sales",
        "it": "it",
    }
    assert project.silos() == ["service", "sales", "it"]


def test_silos_when_one_level_0_root_holds_the_departments(tmp_path: Path) -> None:
    config = units_config(
        unit("company", level=0)
        + unit("ceo-office", parent="company", level=0)
        + unit("service", parent="company")
        + unit("agents", parent="service")
        + unit("agents-north", parent="agents")
        + unit("sales", parent="company")
    )
    project = load_files(tmp_path, {"tpm.yaml": config})
    assert project.findings == []
    assert project.level == {
        "company": 0,
        "ceo-office": 0,
        "service": 1,
        "agents": 2,
        "agents-north": 3,
        "sales": 1,
    }
    assert project.silo == {
        "company": None,
        "ceo-office": None,
        "service": "service",
        "agents": "service",
        "agents-north": "service",
        "sales": "sales",
    }
    assert project.silos() == ["service", "sales"]


def test_an_unknown_parent_is_treated_as_no_parent(tmp_path: Path) -> None:
    config = units_config(
        unit("board", level=0) + unit("lost", parent="nowhere") + unit("team", parent="lost")
    )
    project = load_files(tmp_path, {"tpm.yaml": config})
    assert codes(project.findings) == ["TPM005"]
    assert project.effective_parent["lost"] is None
    assert (project.level["lost"], project.silo["lost"]) == (1, "lost")
    assert (project.level["team"], project.silo["team"]) == (2, "lost")


def test_a_parent_that_is_a_person_is_treated_as_no_parent(tmp_path: Path) -> None:
    config = units_config(
        unit("board", level=0) + unit("odd", parent="anna"),
        "  - id: anna\n    name: Anna\n    unit: board\n",
    )
    project = load_files(tmp_path, {"tpm.yaml": config})
    assert [f.message for f in project.findings] == ["parent 'anna' is a person, not a unit"]
    assert (project.level["odd"], project.silo["odd"]) == (1, "odd")


# -- display paths -------------------------------------------------------------------------


def test_paths_relative_to_the_current_directory_when_the_project_is_inside(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path / "repo" / "org", {**GOOD, "touchpoints/sub/bad.yaml": "a: ["})
    project = load(root, cwd=tmp_path / "repo")
    assert [s.display for s in project.sources][-1] == "org/proj/journeys/main.yaml"
    (finding,) = project.findings
    assert finding.path == "org/proj/touchpoints/sub/bad.yaml"


def test_paths_relative_to_the_root_when_the_project_is_elsewhere(tmp_path: Path) -> None:
    root = make_project(tmp_path, {**GOOD, "touchpoints/sub/bad.yaml": "a: ["})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    project = load(root, cwd=elsewhere)
    assert [f.path for f in project.findings] == ["touchpoints/sub/bad.yaml"]
    assert project.sources[0].display == "tpm.yaml"


def test_paths_when_the_project_is_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path, {**GOOD, "touchpoints/bad.yaml": "a: ["})
    monkeypatch.chdir(root)
    project = load(Path("."))
    assert [f.path for f in project.findings] == ["touchpoints/bad.yaml"]


def test_tpm004_names_the_other_place_as_displayed(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            **GOOD,
            "journeys/dup.yaml": "journeys:\n  - id: idea\n    name: I\n"
            "    steps: [{touchpoint: huddle}]\n",
        },
    )
    project = load(root, cwd=tmp_path)
    assert project.findings[0].message.endswith("at proj/journeys/main.yaml:2:9")


# -- ratings and suppressions --------------------------------------------------------------


RATED = GOOD_TOUCHPOINTS.replace(
    "    cadence: daily\n",
    "    cadence: daily\n    ratings:\n      - date: 2026-10-01\n        n: 12\n"
    "        scores: {clarity: 4.5, claritty: 3, dialogue: 6, appreciation: 0.5, zzz: 1}\n",
)


def test_ratings_unknown_dimension_and_off_scale_score(tmp_path: Path) -> None:
    project = load_files(tmp_path, {**GOOD, "touchpoints/main.yaml": RATED})
    assert [(f.code, f.line, f.column, f.message) for f in project.findings] == [
        (
            "TPM002",
            *pos(RATED, "claritty"),
            "scores names 'claritty', which is not a scoring dimension (did you mean 'clarity'?)",
        ),
        ("TPM002", *pos(RATED, "6, appreciation"), "score for dialogue is off the scale [1, 5]"),
        ("TPM002", *pos(RATED, "0.5, zzz"), "score for appreciation is off the scale [1, 5]"),
        (
            "TPM002",
            *pos(RATED, "zzz"),
            "scores names 'zzz', which is not a scoring dimension; dimensions: clarity, "
            "appreciation, dialogue, customer_focus, empowerment",
        ),
    ]
    assert all(f.subject == "huddle" for f in project.findings)


def test_ratings_are_judged_against_the_configured_scale_and_dimensions(tmp_path: Path) -> None:
    config = (
        GOOD_CONFIG + "scoring:\n  scale: [0, 10]\n  dimensions: {claritty: {}, dialogue: {}}\n"
    )
    project = load_files(tmp_path, {**GOOD, "tpm.yaml": config, "touchpoints/main.yaml": RATED})
    assert [f.message for f in project.findings] == [
        "scores names 'clarity', which is not a scoring dimension (did you mean 'claritty'?)",
        "scores names 'appreciation', which is not a scoring dimension; dimensions: claritty, "
        "dialogue",
        "scores names 'zzz', which is not a scoring dimension; dimensions: claritty, dialogue",
    ]


def with_audit(ignore: str) -> dict[str, str]:
    config = GOOD_CONFIG.replace(
        "    role: CX manager\n", f"    role: CX manager\n    audit:\n      ignore:\n{ignore}"
    )
    return {**GOOD, "tpm.yaml": config}


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("TPM001", "TPM001 guards the input and cannot be suppressed"),
        ("TPM004", "TPM004 guards the input and cannot be suppressed"),
        ("TPM006", "TPM006 guards the input and cannot be suppressed"),
        ("TPM999", "audit.ignore names 'TPM999', which is no tpm rule (see 'tpm rules')"),
    ],
)
def test_suppressing_a_guard_or_an_unknown_code_is_tpm002(
    tmp_path: Path, code: str, message: str
) -> None:
    files = with_audit(f"        {code}: because\n")
    project = load_files(tmp_path, files)
    assert [(f.code, f.line, f.column, f.subject, f.message) for f in project.findings] == [
        ("TPM002", *pos(files["tpm.yaml"], code), "anna", message)
    ]


def test_a_valid_suppression_is_no_finding(tmp_path: Path) -> None:
    project = load_files(
        tmp_path,
        with_audit("        TPM013: kept\n        TPM020: {reason: later, until: 2027-01-01}\n"),
    )
    assert project.findings == []
    assert project.people["anna"].audit is not None


def test_a_suppression_without_reason(tmp_path: Path) -> None:
    files = with_audit("        TPM013: ''\n")
    project = load_files(tmp_path, files)
    assert [(f.code, f.line, f.column, f.message) for f in project.findings] == [
        ("TPM002", *pos(files["tpm.yaml"], "''"), "reason must not be empty")
    ]


def test_project_level_ignore_and_severity_of_guards(tmp_path: Path) -> None:
    config = (
        GOOD_CONFIG
        + "audit:\n  ignore: [TPM00, TPM003, TPM9]\n  severity: {TPM002: info, TPM999: info}\n"
    )
    project = load_files(tmp_path, {**GOOD, "tpm.yaml": config})
    assert [(f.line, f.column, f.message) for f in project.findings] == [
        (*pos(config, "TPM003"), "TPM003 guards the input and cannot be switched off"),
        (*pos(config, "TPM9"), "audit.ignore names 'TPM9', which matches no tpm rule"),
        (
            *pos(config, "TPM002"),
            "the severity of TPM002 cannot be changed: it guards the input",
        ),
        (*pos(config, "TPM999"), "audit.severity names 'TPM999', which is no tpm rule"),
    ]


def test_the_example_organisation_loads_clean() -> None:
    root = Path(__file__).resolve().parents[1]
    project = load(root, cwd=root)
    assert project.findings == []
    assert project.top_units == ["board"]
    assert len(project.silos()) == 7
    assert os.path.basename(project.response_files[0]) == "pulse-2026.csv"


# -- no echoes of an unreadable tpm.yaml ---------------------------------------------------


@pytest.mark.parametrize(
    "config",
    [
        GOOD_CONFIG.replace("organisation: Test AG", "organisation: [Test AG"),  # TPM001
        b"organisation: Caf\xe9\n" + GOOD_CONFIG.encode()[22:],  # not UTF-8
        "- a list\n",  # not a mapping
    ],
)
def test_a_broken_tpm_yaml_is_not_echoed_by_every_reference(
    tmp_path: Path, config: str | bytes
) -> None:
    project = load_files(tmp_path, {**GOOD, "tpm.yaml": config})
    assert [f.path for f in project.findings] == ["tpm.yaml"]
    assert codes(project.findings) in (["TPM001"], ["TPM002"])


def test_units_that_are_not_a_list_are_not_echoed(tmp_path: Path) -> None:
    config = GOOD_CONFIG.split("units:")[0] + "units: board\npeople: []\n"
    project = load_files(tmp_path, {**GOOD, "tpm.yaml": config})
    # the units cannot be read; the people list is empty, so owners are still judged
    assert [(f.path, f.message) for f in project.findings] == [
        ("journeys/main.yaml", "owner 'anna' names no person"),
        ("journeys/main.yaml", "owner 'sam' names no person"),
        ("journeys/main.yaml", "co_owners 'kim' names no person"),
        ("touchpoints/main.yaml", "owner 'anna' names no person"),
        ("touchpoints/main.yaml", "owner 'sam' names no person"),
        ("touchpoints/main.yaml", "owner 'anna' names no person"),
        ("touchpoints/main.yaml", "owner 'sam' names no person"),
        ("tpm.yaml", "units should be a list of units, not 'board'"),
    ]


def test_a_broken_touchpoint_file_still_lets_other_references_count(tmp_path: Path) -> None:
    project = load_files(
        tmp_path,
        {
            **GOOD,
            "touchpoints/broken.yaml": "touchpoints: [\n",
            "journeys/more.yaml": "journeys:\n  - id: more\n    name: M\n"
            "    steps: [{touchpoint: nowhere}]\n",
        },
    )
    assert codes(project.findings) == ["TPM001", "TPM005"]  # the root cause first


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    owner: sam\n", "    owner: all\n", "owner 'all' names no person"),
        ("touchpoint: huddle", "touchpoint: all", "touchpoint 'all' names no touchpoint"),
        ("co_owners: [kim]", "co_owners: [kim, all]", "co_owners 'all' names no person"),
    ],
)
def test_all_is_no_person_and_no_touchpoint(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    name = "touchpoints/main.yaml" if old.startswith("    owner") else "journeys/main.yaml"
    files = {**GOOD, name: GOOD[name].replace(old, new, 1)}
    project = load_files(tmp_path, files)
    assert [(f.code, f.message) for f in project.findings] == [("TPM005", message)]


def test_to_all_is_no_reference_and_from_all_is_a_schema_error(tmp_path: Path) -> None:
    touchpoints = GOOD_TOUCHPOINTS.replace("    from: it\n", "    from: all\n")
    project = load_files(tmp_path, {**GOOD, "touchpoints/main.yaml": touchpoints})
    assert [(f.code, f.line) for f in project.findings] == [
        ("TPM002", pos(touchpoints, "from: all")[0])
    ]


def test_schema_findings_of_one_list_are_capped(tmp_path: Path) -> None:
    """Like bad response rows: 200 findings, then one that counts the rest."""
    entries = "".join(f"  - {i}\n" for i in range(250))
    project = load_files(tmp_path, {**GOOD, "touchpoints/junk.yaml": "touchpoints:\n" + entries})
    junk = [f for f in project.findings if f.path == "touchpoints/junk.yaml"]
    assert len(junk) == 201
    assert junk[0].message == (
        "each entry of touchpoints should be a mapping with at least id and name, not 0"
    )
    assert junk[-1].message == (
        "... and 50 further schema problems in the touchpoints of this file "
        "(only the first 200 are reported)"
    )
    assert (junk[-1].line, junk[-1].column) == (202, 5)  # where the first one left out is
