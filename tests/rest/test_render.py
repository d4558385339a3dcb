"""The REST renderer on its own: safe text, reference cycles, other APIs, determinism."""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import ir, naming
from generator.format import format_files
from generator.pipeline import build_ir
from generator.render import render
from generator.render.layout import Layout
from generator.render.text import clean, docstring, string_literal
from generator.write import write_tree
from tests.rest.conftest import OTHER_APIS, REPO, hume_api, other_api

TEST_SPECS = REPO / "tests" / "specs"


@given(st.text())
def test_any_text_makes_a_docstring_that_says_exactly_it(text: str) -> None:
    source = docstring(text, "    ")
    if not clean(text):
        assert source == ""
        return
    module = ast.parse(f"def f():\n    {source}\n")
    function = module.body[0]
    assert isinstance(function, ast.FunctionDef) and len(function.body) == 1
    value = ast.literal_eval(function.body[0].value)  # type: ignore[attr-defined]
    assert [line.strip() for line in value.strip().split("\n")] == [line.strip() for line in clean(text).split("\n")]


@given(st.text())
def test_any_text_makes_a_string_literal(text: str) -> None:
    assert ast.literal_eval(string_literal(text)) == text


def _source(ref: str) -> ir.Source:
    return ir.Source("api.yaml", ref)


def _api(types: tuple[ir.TypeDef, ...], endpoints: tuple[ir.Endpoint, ...] = (), package: str = "cyclic") -> ir.Api:
    return ir.Api(
        package=package,
        version="1.0.0",
        title='Cyclic """API"""',
        client="CyclicClient",
        async_client="AsyncCyclicClient",
        environment_class="CyclicEnvironment",
        url_keys=("base",),
        environments=(ir.Environment("production", "PRODUCTION", (("base", "https://example.com"),)),),
        default_environment="production",
        groups=(ir.Group((), *naming.client_classes((), "CyclicClient", "AsyncCyclicClient")),),
        types=types,
        endpoints=endpoints,
        channels=(),
    )


def _field(name: str, ref: ir.TypeRef, required: bool = False, description: str | None = None) -> ir.Field:
    attribute = naming.model_attributes([name], ())[0]
    return ir.Field(name=name, py_name=name, attribute=attribute, type=ref, required=required, description=description)


HOSTILE = 'Ends with a quote" and \\ backslash """ triple \x00 nul \u2028 separator'

CYCLIC_TYPES: tuple[ir.TypeDef, ...] = (
    ir.ObjectType(
        id="Tree",
        name="Tree",
        py_name="Tree",
        module=(),
        module_path="cyclic.types.tree",
        source=_source("Tree"),
        fields=(
            _field("children", ir.ListOf(ir.Named("Tree")), description=HOSTILE),
            _field("leaf", ir.Named("Node")),
            _field("model_config", ir.Primitive("string")),
            _field("class", ir.Primitive("string")),
        ),
        description=HOSTILE,
    ),
    ir.UnionType(
        id="Node",
        name="Node",
        py_name="Node",
        module=(),
        module_path="cyclic.types.node",
        source=_source("Node"),
        members=(ir.Named("Leaf"), ir.Named("Branch")),
        discriminator=ir.Discriminator("kind", (("leaf", "Leaf"), ("branch", "Branch"))),
    ),
    ir.ObjectType(
        id="Leaf",
        name="Leaf",
        py_name="Leaf",
        module=(),
        module_path="cyclic.types.leaf",
        source=_source("Leaf"),
        fields=(_field("kind", ir.LiteralOf("leaf"), True), _field("value", ir.Primitive("integer"), True)),
    ),
    ir.ObjectType(
        id="Branch",
        name="Branch",
        py_name="Branch",
        module=(),
        module_path="cyclic.types.branch",
        source=_source("Branch"),
        fields=(_field("kind", ir.LiteralOf("branch"), True), _field("next", ir.Named("Node"), True)),
    ),
    ir.EnumType(
        id="Colour",
        name="Colour",
        py_name="Colour",
        module=(),
        module_path="cyclic.types.colour",
        source=_source("Colour"),
        values=(ir.EnumValue("red", "RED"), ir.EnumValue('"quoted"', "QUOTED")),
    ),
)


@pytest.fixture(scope="module")
def cyclic_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cyclic")
    write_tree(format_files(render(_api(CYCLIC_TYPES))), out)
    return out / "src"


@pytest.mark.parametrize("first", ["tree", "node", "leaf", "branch"])
def test_types_in_a_cycle_import_in_any_order_and_validate(cyclic_package: Path, first: str) -> None:
    program = f"""
import importlib
import re
importlib.import_module("cyclic.types.{first}")
from cyclic.types.tree import Tree
from cyclic.types.branch import Branch
tree = Tree.model_validate_json(
    '{{"children": [{{"leaf": {{"kind": "branch", "next": {{"kind": "leaf", "value": 1}}}}}}], "model_config": "x", "class": "c"}}'
)
assert isinstance(tree.children[0].leaf, Branch), tree
assert tree.children[0].leaf.next.value == 1
assert tree.model_config_ == "x" and tree.class_ == "c"
assert Tree.__doc__.startswith('Ends with a quote"')
"""
    result = subprocess.run([sys.executable, "-c", program], cwd=cyclic_package, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_rendered_cyclic_package_passes_mypy_strict(cyclic_package: Path, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path), "cyclic"]
    result = subprocess.run(command, cwd=cyclic_package, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("name", sorted(p.name for p in TEST_SPECS.iterdir() if (p / "sdkgen.yaml").exists()))
def test_other_apis_render_import_and_pass_mypy_strict(name: str, tmp_path: Path) -> None:
    api = build_ir(TEST_SPECS / name)
    write_tree(format_files(render(api)), tmp_path / "out")
    source = tmp_path / "out" / "src"
    credentials = ", ".join(f"{param}='k'" for scheme in api.security_schemes for param in scheme.params)
    program = f"import {api.package}; c = {api.package}.{api.client}({credentials})"
    for group in sorted({e.group for e in api.endpoints}):
        program += "; x = c" + "".join(f".{part}" for part in group)
    result = subprocess.run([sys.executable, "-c", program], cwd=source, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), api.package]
    result = subprocess.run(command, cwd=source, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_a_type_in_a_sub_module_is_exported_by_its_packages(tmp_path: Path) -> None:
    types = (
        ir.ObjectType(
            id="Order",
            name="Order",
            py_name="Order",
            module=("shop",),
            module_path="moved.shop.types.order",
            source=_source("Order"),
            fields=(_field("id", ir.Primitive("string"), True),),
        ),
        ir.AliasType(
            id="LegacyOrder",
            name="LegacyOrder",
            py_name="LegacyOrder",
            module=("shop", "legacy"),
            module_path="moved.shop.legacy.types.legacy_order",
            source=_source("LegacyOrder"),
            target=ir.Named("Order"),
        ),
    )
    files = format_files(render(_api(types, package="moved")))
    assert "src/moved/shop/legacy/types/legacy_order.py" in files
    write_tree(files, tmp_path)
    program = """
import moved.shop, moved.shop.types, moved.shop.legacy, moved.shop.legacy.types
from moved.shop import LegacyOrder, Order
from moved.shop.legacy import LegacyOrder as A
from moved.shop.legacy.types import LegacyOrder as B
assert LegacyOrder is A is B is Order
assert "LegacyOrder" in moved.shop.__all__ and "LegacyOrder" in moved.shop.legacy.types.__all__
assert "LegacyOrder" not in moved.shop.types.__all__ and not hasattr(moved.shop.types, "LegacyOrder")
"""
    result = subprocess.run([sys.executable, "-c", program], cwd=tmp_path / "src", capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_rendering_is_deterministic() -> None:
    api = hume_api()
    assert render(api) == render(api)


def test_nothing_from_a_particular_api_in_the_generator() -> None:
    for path in [*(REPO / "generator" / "render").glob("*.py"), *(REPO / "templates").rglob("*.*")]:
        if path.name.startswith("socket") or "sockets" in path.parts:
            continue
        text = path.read_text().lower()
        for word in ("hume", "evi", "empathic", "octave", "tts"):
            assert not re.search(rf"\b{word}\b", text), f"{path.relative_to(REPO)} mentions {word!r}"


def test_import_stays_light() -> None:
    """Making a client and touching sub-clients imports no model, no pydantic and no HTTP machinery."""
    api = hume_api()
    groups = sorted({e.group for e in api.endpoints})
    touch = "; ".join("c" + "".join(f".{part}" for part in group) for group in groups)
    program = (
        f"import sys; from {api.package} import {api.client}; c = {api.client}(api_key='k'); {touch}; "
        f"heavy = [m for m in sys.modules if m.startswith(('pydantic.main', 'httpcore', '{api.package}.core._http_client'))"
        f" or '.types.' in m]; print(heavy)"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_lazy_exports_match_their_modules() -> None:
    api = hume_api()
    package = importlib.import_module(api.package)
    for name in package.__all__:
        assert getattr(package, name) is not None
    for module_name in {".".join((api.package, *t.module)) for t in api.types}:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            assert getattr(module, name) is not None, (module_name, name)


def _body_endpoint(name: str, method: str, path: str, body_type: str, path_param: bool = False) -> ir.Endpoint:
    schema = ir.Named(body_type)
    fields = tuple(f for t in BODY_TYPES if t.id == body_type for f in t.fields)
    return ir.Endpoint(
        id=name,
        group=(),
        py_name=name,
        operation_id=name,
        http_method=method,
        path=path,
        environment="base",
        source=_source(name),
        path_params=(ir.Parameter("id", "id", "path", ir.Primitive("string"), True),) if path_param else (),
        body=ir.RequestBody("application/json", "json", schema, True, fields),
        response=ir.Response(status="200", kind="json", content_type="application/json", type=schema),
    )


BODY_TYPES: tuple[ir.ObjectType, ...] = (
    ir.ObjectType(
        id="Order",
        name="Order",
        py_name="Order",
        module=(),
        module_path="bodies.types.order",
        source=_source("Order"),
        fields=(_field("item", ir.Primitive("string"), True), _field("count", ir.Primitive("integer"))),
    ),
    ir.ObjectType(
        id="Draft",
        name="Draft",
        py_name="Draft",
        module=(),
        module_path="bodies.types.draft",
        source=_source("Draft"),
        fields=(_field("item", ir.Primitive("string"), True),),
    ),
)


def test_each_endpoint_is_written_once_per_sync_and_async(tmp_path: Path) -> None:
    """A parameter list and docstring stand once in the sync client and once in the async one.

    ``with_raw_response`` (here on the root client) offers the same methods, typed, and returns
    the HTTP response with the data.
    """
    endpoints = (
        _body_endpoint("create_order", "POST", "/orders", "Order"),
        _body_endpoint("replace_order", "PUT", "/orders/{id}", "Order", path_param=True),
        _body_endpoint("create_draft", "POST", "/drafts", "Draft"),
    )
    files = format_files(render(_api(BODY_TYPES, endpoints, package="bodies")))
    client, raw = files["src/bodies/client.py"], files["src/bodies/raw_client.py"]
    assert client.count("count: typing.Optional[int] = None") == 4  # create and replace, sync and async
    assert client.count("def replace_order(") == 2 and client.count('"""Replace') == 0
    assert "typing.Optional" not in raw and "Parameters" not in raw
    assert "self.replace_order = raw(client.replace_order)" in raw
    assert "self.replace_order = async_raw(client.replace_order)" in raw
    write_tree(files, tmp_path / "out")
    program = """
import asyncio, json, httpx
from bodies import AsyncCyclicClient, CyclicClient
from bodies.core import HttpResponse
from bodies.types.order import Order

def answer(request: httpx.Request) -> httpx.Response:
    body = json.loads(request.content)
    assert request.url.raw_path in (b"/orders", b"/orders/a%2Fb", b"/drafts"), request.url.raw_path
    return httpx.Response(201, json=body, headers={"x-id": "7"})

client = CyclicClient(base_url="http://test", httpx_client=httpx.Client(transport=httpx.MockTransport(answer)))
order: Order = client.replace_order("a/b", item="x", count=2)
assert order == Order(item="x", count=2), order
response: HttpResponse[Order] = client.with_raw_response.create_order(item="y")
assert (response.status_code, response.headers["x-id"], response.data) == (201, "7", Order(item="y"))
assert client.create_order(item="z") == Order(item="z")  # the plain methods still return data

async def main() -> None:
    transport = httpx.MockTransport(answer)
    async_client = AsyncCyclicClient(base_url="http://test", httpx_client=httpx.AsyncClient(transport=transport))
    raw = await async_client.with_raw_response.replace_order("a/b", item="w")
    assert (raw.status_code, raw.data) == (201, Order(item="w"))
    assert await async_client.create_draft(item="d") is not None

asyncio.run(main())
"""
    source = tmp_path / "out" / "src"
    (source / "program.py").write_text(program)
    result = subprocess.run([sys.executable, "program.py"], cwd=source, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), "bodies", "program.py"]
    result = subprocess.run(command, cwd=source, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("name", ["hume", *OTHER_APIS])
def test_the_layout_lists_every_rendered_module_and_package(name: str) -> None:
    """Packages are built from the IR's layout, so it must hold exactly the modules render writes."""
    api = hume_api() if name == "hume" else other_api(name)
    layout = Layout(api)
    files = render(api)
    modules = sorted(path[len("src/") : -len(".py")].replace("/", ".") for path in files if path.endswith(".py"))
    inits = [module.removesuffix(".__init__") for module in modules if module.endswith(".__init__")]
    assert [module for module in modules if not module.endswith(".__init__")] == list(layout.modules)
    assert inits == list(layout.packages)
