"""The platform side lives in one package, moderation/platforms/, layered without import cycles:
connectors → services/credentials/… → ingest/polling/outbox/tokens/pending → tasks → webhooks/views/urls.
Function-level imports count: a cycle hidden inside a function is still a cycle."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

PACKAGE = "moderation.platforms"
ROOT = Path(settings.BASE_DIR) / "moderation" / "platforms"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    is_package = (ROOT.parent.parent / Path(*base) / "__init__.py").exists()
    anchor = base if is_package else base[:-1]
    anchor = anchor[: len(anchor) - (node.level - 1)] if node.level > 1 else anchor
    return ".".join([*anchor, node.module] if node.module else anchor)


def import_graph() -> dict[str, set[str]]:
    """Module → the package's modules it imports anywhere in its code (module level or inside functions)."""
    modules = {_module_name(p): p for p in ROOT.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(name, node)
                targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
            for target in targets:
                if target in modules and target != name and target != PACKAGE:
                    graph[name].add(target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules, or None (depth-first search with colours)."""
    colour = dict.fromkeys(graph, 0)
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        colour[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if colour[nxt] == 1:
                return stack[stack.index(nxt):] + [nxt]
            if colour[nxt] == 0 and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        colour[node] = 2
        return None

    for node in sorted(graph):
        if colour[node] == 0 and (cycle := visit(node)):
            return cycle
    return None


def test_import_graph_sees_function_level_imports(tmp_path):
    """The graph builder itself: an import inside a function is an edge."""
    tree = ast.parse("def f():\n    from moderation.platforms import tasks\n")
    found = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert found and found[0].module == "moderation.platforms"
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_platform_package_import_graph_is_acyclic():
    graph = import_graph()
    assert len(graph) >= 20, sorted(graph)  # the whole package was read
    assert f"{PACKAGE}.tasks" in graph and f"{PACKAGE}.connectors.meta" in graph
    assert find_cycle(graph) is None, " → ".join(find_cycle(graph) or [])


def test_platform_layers_point_one_way():
    graph = import_graph()
    connectors = {m for m in graph if m.startswith(f"{PACKAGE}.connectors")}
    for module in connectors:
        assert graph[module] <= connectors, f"{module} imports {graph[module] - connectors}"
    above_tasks = {f"{PACKAGE}.{m}" for m in ("tasks", "webhooks", "views", "urls", "nav")}
    for module, targets in graph.items():
        if module not in above_tasks:
            assert not targets & above_tasks, f"{module} imports {targets & above_tasks} (above the task layer)"
    assert f"{PACKAGE}.outbox" in graph[f"{PACKAGE}.tasks"] and f"{PACKAGE}.ingest" in graph[f"{PACKAGE}.tasks"]


def test_wakeups_registered_by_the_task_layer():
    from moderation.platforms import wakeups

    assert {wakeups.ACTION, wakeups.ACTIONS_SWEEP, wakeups.DELIVERY} <= set(wakeups._handlers)
