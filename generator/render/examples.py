"""Example programs calling an endpoint (docstrings, the README, ``reference.md``): the client
made with placeholder credentials, the call with example arguments (:mod:`generator.render.samples`)
laid out by :mod:`generator.render.printer`, and what to do with the result.
"""

from __future__ import annotations

from dataclasses import replace

from generator import ir, responses
from generator.ir import Api, Endpoint
from generator.render.names import errors_package
from generator.render.printer import Code, SourceImports, Statement, lay_out, source
from generator.render.samples import arguments
from generator.render.signatures import streamed

__all__ = ["example_call"]


def example_call(
    api: Api, endpoint: Endpoint, sync: bool, raw: bool = False, catch: ir.ErrorResponse | None = None
) -> str:
    """A complete example program calling ``endpoint``.

    ``raw``: through ``with_raw_response``; ``catch``: in a ``try`` that handles that declared error.
    """
    imports = SourceImports()
    args = []
    for argument in arguments(api, endpoint):
        code = source(api, argument.value, imports)
        args.append(code if argument.positional else code.after(f"{argument.name}="))
    client_name = api.client if sync else api.async_client
    imports.name(api.package, client_name)
    path = (*endpoint.group, "with_raw_response", endpoint.py_name) if raw else (*endpoint.group, endpoint.py_name)
    call = Code(f"client.{'.'.join(path)}(", tuple(args), ")")
    wait = "" if sync or streamed(endpoint) else "await "
    each = "for" if sync else "async for"
    use: list[str | Statement]
    if raw and streamed(endpoint):
        use = [Statement("with " if sync else "async with ", call, " as response:"), "    print(response.headers)",
               f"    {each} chunk in response.data:", "        print(chunk)"]  # fmt: skip
    elif raw:
        use = [Statement(f"response = {wait}", call), "print(response.status_code, response.headers)",
               "print(response.data)"]  # fmt: skip
    elif endpoint.pagination is not None:
        use = [Statement(f"response = {wait}", call), f"{each} item in response:", "    print(item)",
               "# or page by page:", f"{each} page in response.iter_pages():", "    print(page.items)"]  # fmt: skip
    elif streamed(endpoint):
        use = [Statement(f"{each} chunk in ", call, ":"), "    print(chunk)"]
    elif not responses.has_body(endpoint.response.kind):
        use = [Statement(wait, call)]
    else:
        use = [Statement(f"response = {wait}", call), "print(response)"]
    if catch is not None:
        imports.name(errors_package(api, endpoint), catch.class_name)
        use = ["try:", *(_indented(line) for line in use), f"except {catch.class_name} as error:"]
        use.append("    print(error.status_code, error.body)")
    if not sync:
        imports.module("asyncio")
        use = [_indented(line) for line in use]
    body = "\n".join(text for line in use for text in lay_out(line))
    credentials = _credentials(api, endpoint)
    if api.default_environment is None:  # no server in the description: the client takes the URL
        credentials = ", ".join(part for part in ('base_url="https://api.example.com"', credentials) if part)
    header = imports.render() + f"\n\nclient = {client_name}({credentials})\n"
    if sync:
        return header + body
    return f"{header}\n\nasync def main() -> None:\n{body}\n\n\nasyncio.run(main())"


def _credentials(api: Api, endpoint: Endpoint) -> str:
    """The client's credential arguments the example's call needs (placeholders)."""
    if api.api_key is not None:
        return f'{api.api_key.params[0]}="YOUR_API_KEY"'
    schemes = {scheme.name: scheme for scheme in api.security_schemes}
    needed = next((alternative for alternative in endpoint.security if alternative), ())
    params = [param for name in needed for param in schemes[name].params]
    return ", ".join(f'{param}="YOUR_{param.upper()}"' for param in params)


def _indented(line: str | Statement) -> str | Statement:
    """``line`` one level further in (for ``try:`` and ``async def main()``)."""
    if isinstance(line, str):
        return "    " + line
    return replace(line, indent=line.indent + "    ")
