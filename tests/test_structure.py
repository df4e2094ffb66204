"""The shape of the code base: which module may import which, and where a rule code lives.

The loader (`tpm.project`, `tpm.model`, `tpm.yamlsource`) sits below the rules, the scores,
the formats and the CLI: it reads the files and nothing else, and the rule catalogue reaches it
as an argument (`load(root, rules=...)`). No module imports, directly or through others, a
module that imports it back. Both are read from the source with `ast` (imports inside
functions count; those under `if TYPE_CHECKING:` are for the type checker only and do not).
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path
from typing import Any

import networkx as nx
from conftest import GOOD, GOOD_CONFIG, make_project

from tpm.catalogue import MENTIONED
from tpm.rules.registry import RULES

PACKAGE = Path(__file__).resolve().parents[1] / "tpm"
LOADER = ("tpm.project", "tpm.model", "tpm.yamlsource")
ABOVE_THE_LOADER = ("tpm.rules", "tpm.scoring", "tpm.formats", "tpm.cli")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _resolve(name: str) -> str | None:
    """The tpm module `name` stands for: itself, or the package holding it (tpm.x.Y)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(name: str) -> set[str]:
    """The tpm modules that module `name` imports (anywhere but under TYPE_CHECKING)."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _type_checking_only(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            # `from tpm.rules import ownership` imports the module tpm.rules.ownership
            targets = [f"{base}.{alias.name}" for alias in node.names] or [base]
            targets = [t if t in MODULES else base for t in targets]
        else:
            for child in ast.iter_child_nodes(node):
                visit(child)
            return
        for target in targets:
            module = _resolve(target) if target.startswith("tpm") else None
            if module is not None and module != name:
                found.add(module)

    visit(tree)
    return found


def import_graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    for name in MODULES:
        graph.add_node(name)
        graph.add_edges_from((name, target) for target in imports_of(name))
    return graph


def test_the_import_walk_sees_real_imports() -> None:
    """The walk finds what a reader sees (a test of the test)."""
    assert {"tpm.catalogue", "tpm.guards", "tpm.rules.ownership"} <= imports_of(
        "tpm.rules.registry"
    )
    assert "tpm.catalogue" in imports_of("tpm.findings")
    assert "tpm.findings" in imports_of("tpm.project")


def test_no_import_cycle() -> None:
    cycles = list(nx.simple_cycles(import_graph()))
    assert cycles == [], "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_the_loader_imports_nothing_above_it() -> None:
    graph = import_graph()
    for module in LOADER:
        reached = nx.descendants(graph, module)
        upward = sorted(
            m for m in reached if any(m == a or m.startswith(a + ".") for a in ABOVE_THE_LOADER)
        )
        assert upward == [], f"{module} imports {', '.join(upward)}"


def test_the_catalogue_is_at_the_bottom() -> None:
    assert imports_of("tpm.catalogue") == set()


# -- the catalogue reaches the loader as an argument -------------------------------------------


def test_validate_judges_audit_codes_against_the_catalogue(run_cli: Any, tmp_path: Path) -> None:
    """The commands hand the loader the catalogue: a code that names no rule, a prefix that
    matches none and a guard are each reported where they are written."""
    config = GOOD_CONFIG + "audit:\n  ignore: [TPM003, TPM9, TPM02]\n  severity: {TPM998: info}\n"
    root = make_project(tmp_path, {**GOOD, "tpm.yaml": config})
    result = run_cli(["-C", root, "validate"])
    assert result.code == 1
    line = 1 + config[: config.index("ignore:")].count("\n")
    ignore_at = config.splitlines()[line - 1]
    severity_at = config.splitlines()[line]
    assert result.out.splitlines()[:3] == [
        f"tpm.yaml:{line}:{ignore_at.index('TPM003') + 1}: error TPM002 "
        "TPM003 guards the input and cannot be switched off [schema]",
        f"tpm.yaml:{line}:{ignore_at.index('TPM9') + 1}: error TPM002 "
        "audit.ignore names 'TPM9', which matches no tpm rule [schema]",
        f"tpm.yaml:{line + 1}:{severity_at.index('TPM998') + 1}: error TPM002 "
        "audit.severity names 'TPM998', which is no tpm rule [schema]",
    ]


# -- one rule, one place -----------------------------------------------------------------------

CODE = re.compile(r"TPM[0-9]{3}")


def test_every_rule_code_is_written_in_one_module() -> None:
    """A rule's code is typed once, in the module that declares the rule (its texts, check and
    messages); other modules refer to the declaration. The one exception is the catalogue's
    table of the rules that texts below the rules mention (`MENTIONED`)."""
    seen: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = str(path.relative_to(PACKAGE.parent))
        for code in CODE.findall(path.read_text(encoding="utf-8")):
            if name == "tpm/catalogue.py" and code in MENTIONED.values():
                continue
            seen.setdefault(code, set()).add(name)
    spread = {code: sorted(files) for code, files in seen.items() if len(files) > 1}
    assert spread == {}, "rule codes written in more than one module: " + "; ".join(
        f"{code} in {', '.join(files)}" for code, files in sorted(spread.items())
    )
    assert sorted(seen) == list(RULES), "every code names a rule, and every rule is declared"


def test_the_mentioned_rules_are_the_rules_of_those_names() -> None:
    assert {name: RULES.find(name).code for name in MENTIONED} == MENTIONED


def test_each_rule_is_declared_in_the_module_of_its_check() -> None:
    for code, rule in RULES.items():
        if rule.check is not None:
            module = sys.modules[rule.check.__module__]
            assert any(value is rule for value in vars(module).values()), code
