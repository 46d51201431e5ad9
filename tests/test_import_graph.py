"""The import graph of service/ and workers/ has no cycles, counting every import (in functions and
under TYPE_CHECKING too); the layers themselves are import-linter's contracts in pyproject.toml."""

from __future__ import annotations

import grimp


def _cycle(graph: grimp.ImportGraph) -> list[str] | None:
    """One import cycle among the project's modules, as the modules along it; None when acyclic."""
    ours = {m for m in graph.modules if m.split(".")[0] in {"service", "workers"}}
    done: set[str] = set()
    for start in sorted(ours):
        path: list[str] = []
        on_path: set[str] = set()
        stack = [(start, iter(sorted(graph.find_modules_directly_imported_by(start) & ours)))]
        if start in done:
            continue
        path.append(start)
        on_path.add(start)
        while stack:
            module, imported = stack[-1]
            following = next(imported, None)
            if following is None:
                stack.pop()
                path.pop()
                on_path.discard(module)
                done.add(module)
            elif following in on_path:
                return [*path[path.index(following) :], following]
            elif following not in done:
                path.append(following)
                on_path.add(following)
                stack.append(
                    (following, iter(sorted(graph.find_modules_directly_imported_by(following) & ours)))
                )
    return None


def test_no_import_cycles() -> None:
    graph = grimp.build_graph("service", "workers", cache_dir=None)
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_a_cycle_is_found() -> None:
    graph = grimp.ImportGraph()
    for module in ("service.a", "service.b", "service.c"):
        graph.add_module(module)
    graph.add_import(importer="service.a", imported="service.b")
    graph.add_import(importer="service.b", imported="service.c")
    graph.add_import(importer="service.c", imported="service.a")
    assert _cycle(graph) == ["service.a", "service.b", "service.c", "service.a"]
