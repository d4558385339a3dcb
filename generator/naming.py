"""Python names: identifiers from names found in specs, and the names the SDK keeps for itself.

Every identifier function here returns a valid ASCII identifier that is not a keyword,
whatever the input: names are split into words (separators, camelCase humps, digits stay
with the word before them), letters with accents lose them, other non-ASCII characters
become ``u<codepoint>`` words, a leading digit gets a prefix word and an empty name a
placeholder. The reserved-name tables are fixed here (not read from the running Python
or pydantic) so the output does not depend on the generator's environment.

Normalise uses this module to name everything in the IR; render reads the names from the
IR and uses the layout constants (module names) below.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from collections.abc import Iterable

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])[0-9]*|[A-Z]?[a-z]+[0-9]*|[A-Z]+[0-9]*|[0-9]+[a-z]*")

BUILTIN_TYPES = frozenset(
    "bool bytearray bytes complex dict float frozenset int list memoryview object set str tuple".split()
)
"""Builtin classes a generated module may use in annotations or code: a field or parameter
of that name would shadow them inside a class body or method."""

BASE_MODEL_ATTRIBUTES = frozenset(
    """construct copy dict fields from_orm json model_computed_fields model_config
    model_construct model_copy model_dump model_dump_json model_extra model_fields
    model_fields_set model_json_schema model_parametrized_name model_post_init model_rebuild
    model_validate model_validate_json model_validate_strings parse_file parse_obj parse_raw
    schema schema_json update_forward_refs validate""".split()
)
"""Public attributes of pydantic's BaseModel (v2, including the deprecated v1 names): a field
of that name would shadow them."""

# Names of Python's builtins (3.9 to 3.13) that a class could shadow.
_BUILTIN_NAMES = frozenset(
    """ArithmeticError AssertionError AttributeError BaseException BaseExceptionGroup
    BlockingIOError BrokenPipeError BufferError BytesWarning ChildProcessError
    ConnectionAbortedError ConnectionError ConnectionRefusedError ConnectionResetError
    DeprecationWarning EOFError Ellipsis EncodingWarning EnvironmentError Exception
    ExceptionGroup FileExistsError FileNotFoundError FloatingPointError FutureWarning
    GeneratorExit IOError ImportError ImportWarning IndentationError IndexError
    InterruptedError IsADirectoryError KeyError KeyboardInterrupt LookupError MemoryError
    ModuleNotFoundError NameError NotADirectoryError NotImplemented NotImplementedError
    OSError OverflowError PendingDeprecationWarning PermissionError ProcessLookupError
    PythonFinalizationError RecursionError ReferenceError ResourceWarning RuntimeError
    RuntimeWarning StopAsyncIteration StopIteration SyntaxError SyntaxWarning SystemError
    SystemExit TabError TimeoutError TypeError UnboundLocalError UnicodeDecodeError
    UnicodeEncodeError UnicodeError UnicodeTranslateError UnicodeWarning UserWarning
    ValueError Warning ZeroDivisionError""".split()
)

RESERVED_ARGUMENTS = ("self", "request_options")
"""Arguments every SDK method (and ``connect()``) has besides its parameters."""
CONNECT_ARGUMENTS = (*RESERVED_ARGUMENTS, "max_message_size")
"""Arguments every ``connect()`` has besides the channel's parameters."""
CONNECT_URL = "url"
"""The argument of ``connect()`` that says where the server is, for a channel whose document gives no absolute server URL."""

CORE = "core"
TYPES = "types"
ERRORS = "errors"
CLIENT = "client"
RAW_CLIENT = "raw_client"
ENDPOINTS = "_endpoints"
SOCKET_CLIENT = "socket_client"
SOCKET_CONNECT = "socket_connect"
RESERVED_PACKAGE_NAMES = frozenset(
    {CORE, TYPES, ERRORS, CLIENT, RAW_CLIENT, ENDPOINTS, SOCKET_CLIENT, SOCKET_CONNECT, "environment", "version"}
)
"""Module names the generated package uses itself; a sub-client of that name would collide."""

WEBHOOK_PARSE_ANY = "parse"
"""The function of a webhooks module that parses any of its payloads (when it has several)."""

CLIENT_MEMBERS = frozenset({"with_raw_response", "request_options"})
"""Names a client's methods, sub-clients and method parameters may not take (besides ``_private`` ones)."""
ROOT_CLIENT_MEMBERS = frozenset({"close", "aclose"})
"""Methods the root clients have besides the API's."""


def client_members(group: tuple[str, ...]) -> frozenset[str]:
    """Names the client of ``group`` has besides the API's methods and sub-clients (the root's ``close`` too)."""
    return CLIENT_MEMBERS | (ROOT_CLIENT_MEMBERS if not group else frozenset())


CONNECT = "connect"
UNKNOWN_MESSAGE_FIELDS = frozenset({"tag", "data", "error"})
"""The attributes of the runtime's ``UnknownMessage`` that hold a value: none of them can narrow by a tag."""
"""The method a sub-client with a channel has besides the API's."""
GENERIC_SEND = "send_publish"
"""The socket method that sends any message of its channel."""

MODEL_IMPORTS = frozenset({"typing", "pydantic", "dt"})
"""Modules a model module imports under these names; a field of that name would hide them."""

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def is_identifier(name: str) -> bool:
    """An ASCII Python identifier that is not a keyword."""
    return bool(_IDENTIFIER.match(name)) and not keyword.iskeyword(name)


def words(name: str) -> list[str]:
    """The words of ``name``: ``"HTTPValidationError"`` -> ``["HTTP", "Validation", "Error"]``."""
    result: list[str] = []
    for chunk in re.split(r"[^A-Za-z0-9]+", _ascii(name)):
        result.extend(_WORD.findall(chunk))
    return result


def _ascii(name: str) -> str:
    """Drop accents; spell other non-ASCII characters as ``u<codepoint>`` words."""
    out: list[str] = []
    for char in unicodedata.normalize("NFKD", name):
        if char.isascii():
            out.append(char)
        elif not unicodedata.combining(char):
            out.append(f" u{ord(char)} ")
    return "".join(out)


def _with_prefix(parts: list[str], prefix: str, empty: str) -> list[str]:
    if not parts:
        return [empty]
    if parts[0][0].isdigit():
        return [prefix, *parts]
    return parts


def snake(name: str, prefix: str = "n", empty: str = "empty") -> str:
    """``snake_case`` identifier; a leading digit gets ``prefix``: ``"3d"`` -> ``n_3d``."""
    result = "_".join(part.lower() for part in _with_prefix(words(name), prefix, empty))
    return result + "_" if keyword.iskeyword(result) else result


def upper_snake(name: str, prefix: str = "value", empty: str = "empty") -> str:
    """``UPPER_SNAKE`` identifier, for enum members and environments."""
    return "_".join(part.upper() for part in _with_prefix(words(name), prefix, empty))


def pascal(name: str, prefix: str = "n", empty: str = "empty") -> str:
    """``PascalCase`` identifier; acronyms stay upper case: ``"http_error"`` -> ``HttpError``."""
    parts = _with_prefix(words(name), prefix, empty)
    result = "".join(part if part.isupper() else part[0].upper() + part[1:] for part in parts)
    return result + "_" if keyword.iskeyword(result) else result


def class_name(name: str) -> str:
    """A class name that shadows no builtin (``Exception`` -> ``Exception_``), in conventional
    PascalCase: an all-caps word longer than an acronym (``COLLECTIONIMAGES``, ``getUSERSList``)
    and every word of an all-caps name of several words (``USER_PROFILE``) is capitalised
    (``Collectionimages``, ``GetUsersList``, ``UserProfile``); acronyms stay (``HTTPError``, ``TTS``)."""
    parts = words(name)
    shouting = len(parts) > 1 and not any(char.islower() for char in name)
    result = pascal(
        " ".join(part.capitalize() if part.isupper() and (shouting or len(part) > _ACRONYM) else part for part in parts)
    )
    return result + "_" if result in _BUILTIN_NAMES else result


_ACRONYM = 4
"""The longest all-caps word read as an acronym (``HTTP``, ``UUID``); a longer one is a shouted word."""

_TITLE_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]*)?")
_TITLE_NOISE = frozenset(
    {"the", "a", "an", "api", "apis", "documentation", "docs", "doc", "reference", "references", "specification",
     "specifications", "spec", "specs", "openapi", "swagger", "definition", "definitions", "rest", "restful", "http",
     "https", "web", "public", "official", "sdk", "interface", "endpoints"}
)  # fmt: skip
"""Words of an ``info.title`` that say nothing about which API it is."""
_EDGE_WORDS = frozenset({"for", "of", "and", "to", "with", "by", "on", "in"})
_VERSION = re.compile(r"^v?[0-9]+(?:[._][0-9]+)*$", re.IGNORECASE)
_HOST_NOISE = frozenset({"api", "apis", "www", "rest", "ws", "wss", "gateway", "app", "developer", "developers"})
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu"})


def title_words(title: str) -> list[str]:
    """The words of an API's title that name it, as spelled: "API(s)", "The", "documentation",
    "reference", versions and the like dropped, possessives cut (``"Netlify's API documentation"`` ->
    ``["Netlify"]``; ``"The Plaid API"`` -> ``["Plaid"]``), and what qualifies the name left out when
    the rest names the API: a part in parentheses, or what follows `` + `` (``"GitHub's official
    OpenAPI spec + Octokit extension"`` -> ``["GitHub"]``)."""
    qualified = re.split(r"\s\+\s", re.sub(r"\([^()]*\)", " ", title))[0]
    return _naming_words(qualified) or _naming_words(title)


def _naming_words(title: str) -> list[str]:
    kept = []
    title = re.sub(r"(?<=[A-Za-z0-9])\.(com|org|net|io|ai|dev|app|co|cloud)\b", "", title)  # Lichess.org
    for token in _TITLE_TOKEN.findall(_ascii(title)):
        token = re.sub(r"['’](s)?$", "", token)
        if token and token.lower() not in _TITLE_NOISE and not _VERSION.match(token):
            kept.append(token)
    while kept and kept[0].lower() in _EDGE_WORDS:
        kept.pop(0)
    while kept and kept[-1].lower() in _EDGE_WORDS:
        kept.pop()
    return kept


def host_name(url: str) -> str | None:
    """The name a server's host gives the API: ``https://api.sentry.io/v0`` -> ``sentry``; None for
    an address (``127.0.0.1``), ``localhost`` or a URL without a host."""
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.strip().lower()).split("/", 1)[0].rsplit("@", 1)[-1]
    host = host.split(":", 1)[0] if not host.startswith("[") else ""
    labels = [label for label in host.split(".") if label]
    if len(labels) < 2 or all(label.isdigit() for label in labels) or "{" in host:
        return None
    labels.pop()  # the top-level domain
    if len(labels) > 1 and labels[-1] in _SECOND_LEVEL:
        labels.pop()  # example.co.uk
    labels = [label for label in labels if label not in _HOST_NOISE]
    return labels[-1] if labels and re.search("[a-z]", labels[-1]) else None


def package_name(title: str, urls: Iterable[str] = ()) -> str:
    """The package a person would choose for an API: its title's naming words, each in lower case
    (``"Together APIs"`` -> ``together``, ``"OpenAI API"`` -> ``openai``, ``"Train Travel API"`` ->
    ``train_travel``); when the title names nothing (``"API Reference"``), the first server host's name
    (``api.sentry.io`` -> ``sentry``); else ``api``."""
    parts = [re.sub(r"[^a-z0-9]", "", word.lower()) for word in title_words(title)]
    parts = [part for part in parts if part]
    if not parts:
        named = next((name for name in map(host_name, urls) if name is not None), None)
        parts = [snake(named)] if named is not None else []
    return snake("_".join(parts), prefix="api", empty="api")


def client_stem(title: str, urls: Iterable[str] = ()) -> str:
    """The client's class name stem for an API, its title's naming words in PascalCase as spelled
    (``"OpenAI API"`` -> ``OpenAI``, ``"The Plaid API"`` -> ``Plaid``); else from :func:`package_name`."""
    parts = [re.sub(r"[^A-Za-z0-9]", "", word) for word in title_words(title)]
    parts = [part[0].upper() + part[1:] for part in parts if part]
    stem = "".join(parts)
    return stem if is_identifier(stem) else pascal(package_name(title, urls))


def api_subject(title: str) -> str:
    """The title as the subject of "the ... API", without the words that would double (``"Together
    APIs"`` -> ``Together``); the title itself when nothing else is left."""
    return " ".join(title_words(title)) or title.strip()


def field_name(name: str) -> str:
    """Attribute of a model and keyword argument: no builtin type, BaseModel attribute or ``self``.

    Other ``model_*`` names are allowed: the renderer turns pydantic's protected namespace off.
    """
    result = snake(name)
    if result in BUILTIN_TYPES or result in BASE_MODEL_ATTRIBUTES or result == "self":
        return result + "_"
    return result


def param_name(name: str) -> str:
    """A method keyword argument: no builtin type or ``self``."""
    result = snake(name)
    return result + "_" if result in BUILTIN_TYPES or result == "self" else result


def url_key(server_key: str) -> str:
    """The environment URL key an AsyncAPI server's key stands for: the key snake_cased
    (``Production-US`` -> ``production_us``, ``scram-connections`` -> ``scram_connections``)."""
    return snake(server_key, empty="server")


def dedupe(names: Iterable[str], taken: Iterable[str] = ()) -> list[str]:
    """Make ``names`` unique (and distinct from ``taken``) by numbering repeats: ``a``, ``a_2``."""
    used = set(taken)
    result: list[str] = []
    for name in names:
        candidate, number = name, 1
        while candidate in used:
            number += 1
            candidate = f"{name}_{number}"
        used.add(candidate)
        result.append(candidate)
    return result


def model_attributes(py_names: Iterable[str], type_names: Iterable[str]) -> list[str]:
    """The attribute names a model gives its fields: each Python name with ``_`` appended while it
    would shadow a ``BaseModel`` attribute, a builtin type, a module the model imports, one of
    ``type_names`` (the classes its annotations use) or an earlier field."""
    taken = BASE_MODEL_ATTRIBUTES | BUILTIN_TYPES | MODEL_IMPORTS | set(type_names)
    result: list[str] = []
    for name in py_names:
        while name in taken or name in result or keyword.iskeyword(name):
            name += "_"
        result.append(name)
    return result


def dotted(*parts: str) -> str:
    """``dotted("shop", "", "orders")`` -> ``shop.orders``."""
    return ".".join(part for part in parts if part)


def type_module(package: str, module: tuple[str, ...], py_name: str) -> str:
    """Absolute module of a named type: ``<package>.<module...>.types.<py_name snake_cased>``."""
    return dotted(package, *module, TYPES, snake(py_name))


def errors_package(package: str, group: tuple[str, ...]) -> str:
    """The package of the exception classes of the endpoints of ``group``: ``<package>.<group[0]>.errors``."""
    return dotted(package, *group[:1], ERRORS)


def error_module(package: str, group: tuple[str, ...], class_name: str) -> str:
    """Absolute module of an exception class of the endpoints of ``group``."""
    return dotted(errors_package(package, group), snake(class_name))


def client_classes(group: tuple[str, ...], client: str, async_client: str) -> tuple[str, str, str, str, str, str]:
    """Sync, async, raw sync, raw async, streaming sync and streaming async client classes of
    ``group``: ``("store", "orders")`` -> ``OrdersClient``, ``AsyncOrdersClient``,
    ``RawOrdersClient``, ``AsyncRawOrdersClient``, ``StreamingOrdersClient``,
    ``AsyncStreamingOrdersClient``; the root ``()`` has the settings' ``client`` and
    ``async_client`` (``RawHumeClient``...).

    A group whose classes would have a name of the root's (the tag ``speech`` of the package
    ``speech``: ``SpeechClient`` twice, one importing the other) gets ``Group`` in its names:
    ``SpeechGroupClient``, ``AsyncSpeechGroupClient``..."""
    if not group:
        base = client
        return client, async_client, "Raw" + base, "AsyncRaw" + base, "Streaming" + base, "AsyncStreaming" + base
    root = set(client_classes((), client, async_client))
    base = pascal(group[-1]) + "Client"
    names = (base, "Async" + base, "Raw" + base, "AsyncRaw" + base, "Streaming" + base, "AsyncStreaming" + base)
    if root.isdisjoint(names):
        return names
    base = pascal(group[-1]) + "GroupClient"
    return base, "Async" + base, "Raw" + base, "AsyncRaw" + base, "Streaming" + base, "AsyncStreaming" + base


def params_class(model: str) -> str:
    """The ``TypedDict`` beside the model ``model``: ``PostedUtterance`` -> ``PostedUtteranceParams``."""
    return model + "Params"


def is_plain_identifier(name: str) -> bool:
    """Whether ``name`` can be a ``TypedDict`` key in class syntax: an identifier, not a keyword."""
    return name.isidentifier() and not keyword.iskeyword(name) and not keyword.issoftkeyword(name)
