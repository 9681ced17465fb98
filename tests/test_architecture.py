"""The shape of the code: which app may import which (docs/architecture.md).

Every module under inclusion/ is parsed (not imported) and each import, at module level or
inside a function, becomes an edge from the importing app to the imported one; so does a
lookup by string (``apps.get_model("assessments", "Answer")``). The project
package itself (settings, urls, wsgi, healthz) counts as the app "project".
"""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = "inclusion"
ROOT = Path(__file__).resolve().parent.parent / PACKAGE
PROJECT = "project"

# The layers of docs/architecture.md, bottom first: an app may import the apps listed for
# it and no other app of ours.
CORE = {"core"}
CONTENT = CORE | {"handbook"}
PEOPLE = CONTENT | {"organisations"}
DOMAINS = PEOPLE | {"assessments", "practices", "feedback"}
ALLOWED_IMPORTS = {
    "core": set(),
    # Locale formats (inclusion/formats/<lang>/formats.py): plain settings, no imports of ours.
    "formats": set(),
    "handbook": CORE,
    "organisations": CONTENT,
    # The domains. A self-assessment's summary shows practices and feedback beside it, so
    # assessments may call their public functions; never the other way round.
    "practices": PEOPLE,
    "feedback": PEOPLE,
    "assessments": PEOPLE | {"practices", "feedback"},
    # Networks read every domain (scores, gaps, practices) and add to their pages through
    # signals (organisations.signals, assessments.signals, practices.signals); no domain
    # imports networks.
    "networks": DOMAINS,
    # The top layer joins the domains; its apps do not import each other. The API also
    # serves the networks' benchmarks.
    "accounts": DOMAINS,
    "api": DOMAINS | {"networks"},
    "staff": DOMAINS,
    # Reminders and notifications scan the domains' data; no domain imports them.
    "notifications": DOMAINS,
    # settings, urls, wsgi, healthz
    PROJECT: DOMAINS | {"networks", "accounts", "api", "staff", "notifications"},
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _app_of(module: str) -> str | None:
    """The app a dotted module name belongs to (None: not ours)."""
    parts = module.split(".")
    if parts[0] != PACKAGE:
        return None
    if len(parts) == 1 or not (ROOT / parts[1]).is_dir():
        return PROJECT
    return parts[1]


def _string_lookup(node: ast.Call) -> str | None:
    """The module that ``apps.get_model("label", …)`` or ``import_module("inclusion.x")``
    reaches by a string: a dependency all the same."""
    name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
    if name not in {"get_model", "import_module"} or not node.args:
        return None
    first = node.args[0]
    if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
        return None
    if name == "import_module":
        return first.value
    label = first.value.split(".")[0]
    return f"{PACKAGE}.{label}" if (ROOT / label).is_dir() else None


def _imported(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names imported from it) for every import statement in the file, and for
    every model or module it looks up by a string."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend((alias.name, []) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module
            names = [alias.name for alias in node.names]
            if target == PACKAGE:
                # "from inclusion import views": each name is an app or a project module.
                found.extend((f"{PACKAGE}.{name}", []) for name in names)
            else:
                found.append((target, names))
        elif isinstance(node, ast.Call) and (target := _string_lookup(node)):
            found.append((target, []))
    return found


def _private_part(module: str, names: list[str]) -> str | None:
    """The first private module or name in an import (``_x``, not ``__init__``), if any."""
    for part in [*module.split("."), *names]:
        if part.startswith("_") and not (part.startswith("__") and part.endswith("__")):
            return part
    return None


def scan() -> tuple[dict[str, set[str]], list[str]]:
    """The app -> apps import graph, and every import of another app's private part."""
    graph: dict[str, set[str]] = defaultdict(set)
    private = []
    for path in sorted(ROOT.rglob("*.py")):
        importer = _app_of(_module_name(path))
        graph[importer]  # every app is a node, even one that imports nothing of ours
        for module, names in _imported(path):
            app = _app_of(module)
            if app is None or app == importer:
                continue
            graph[importer].add(app)
            part = _private_part(module, names)
            if part is not None:
                private.append(f"{path.relative_to(ROOT.parent)}: {module} ({part})")
    return dict(graph), private


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each strongly connected group of more than one app (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups = []

    def visit(app: str) -> None:
        index[app] = low[app] = len(index)
        stack.append(app)
        on_stack.add(app)
        for other in sorted(graph.get(app, ())):
            if other not in index:
                visit(other)
                low[app] = min(low[app], low[other])
            elif other in on_stack:
                low[app] = min(low[app], index[other])
        if low[app] == index[app]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == app:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for app in sorted(graph):
        if app not in index:
            visit(app)
    return groups


@pytest.fixture(scope="module")
def graph_and_private():
    return scan()


def test_every_app_has_a_place_in_the_layers(graph_and_private):
    graph, _private = graph_and_private
    assert sorted(set(graph) - set(ALLOWED_IMPORTS)) == []


def test_no_import_cycle_between_apps(graph_and_private):
    graph, _private = graph_and_private
    assert _cycles(graph) == []


def test_core_imports_no_other_app(graph_and_private):
    graph, _private = graph_and_private
    assert graph["core"] == set()


def test_no_app_imports_another_apps_private_parts(graph_and_private):
    _graph, private = graph_and_private
    assert private == []


def test_imports_follow_the_layers(graph_and_private):
    graph, _private = graph_and_private
    against_the_layers = {
        app: sorted(imported - ALLOWED_IMPORTS.get(app, set()))
        for app, imported in sorted(graph.items())
        if imported - ALLOWED_IMPORTS.get(app, set())
    }
    assert against_the_layers == {}


def test_the_allowed_layers_have_no_cycle():
    assert _cycles(ALLOWED_IMPORTS) == []


if __name__ == "__main__":  # python -m tests.test_architecture: print the graph
    for importer, imported in sorted(scan()[0].items()):
        print(f"{importer} -> {', '.join(sorted(imported)) or '(nothing)'}")
