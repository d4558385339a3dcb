"""Which named types of the IR refer to which: references, and reference cycles."""

from __future__ import annotations

from generator import ir
from generator.ir import Api, TypeDef, TypeRef


def references(ref: TypeRef | None) -> set[str]:
    """Ids of the named types ``ref`` mentions."""
    if ref is None:
        return set()
    if isinstance(ref, ir.Named):
        return {ref.id}
    if isinstance(ref, ir.ListOf):
        return references(ref.item)
    if isinstance(ref, ir.MapOf):
        return references(ref.value)
    if isinstance(ref, ir.Nullable):
        return references(ref.inner)
    if isinstance(ref, ir.UnionOf):
        return set().union(*(references(member) for member in ref.members))
    return set()


def type_references(typedef: TypeDef) -> set[str]:
    if isinstance(typedef, ir.ObjectType):
        found = references(typedef.additional)
        for f in typedef.fields:
            found |= references(f.type)
        return found
    if isinstance(typedef, ir.UnionType):
        return set().union(*(references(member) for member in typedef.members))
    if isinstance(typedef, ir.AliasType):
        return references(typedef.target)
    return set()


def cycles(api: Api) -> dict[str, frozenset[str]]:
    """For each type in a reference cycle, the ids of its strongly connected component."""
    graph = {typedef.id: sorted(type_references(typedef)) for typedef in api.types}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: dict[str, frozenset[str]] = {}
    counter = 0

    for root in sorted(graph):
        if root in index:
            continue
        # Iterative Tarjan: (node, iterator position) frames.
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
