"""Which named types of the IR refer to each other in cycles."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from generator.ir import Api
from generator.typerefs import type_references


def cycles(api: Api) -> dict[str, frozenset[str]]:
    """For each type in a reference cycle, the ids of its strongly connected component."""
    return in_cycles({typedef.id: type_references(typedef) for typedef in api.types})


def in_cycles(edges: Mapping[str, Iterable[str]]) -> dict[str, frozenset[str]]:
    """For each node of ``edges`` (node -> the nodes it points to) that is in a cycle, its strongly
    connected component (a node pointing to itself is one alone). Iterative Tarjan: no recursion."""
    graph = {node: sorted(targets) for node, targets in edges.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: dict[str, frozenset[str]] = {}
    counter = 0

    for root in sorted(graph):
        if root in index:
            continue
        # (node, iterator position) frames.
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            successors = graph.get(node, [])
            if position < len(successors):
                work.append((node, position + 1))
                successor = successors[position]
                if successor not in index:
                    work.append((successor, 0))
                elif successor in on_stack:
                    low[node] = min(low[node], index[successor])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph.get(node, []):
                    for member in component:
                        result[member] = frozenset(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return result
