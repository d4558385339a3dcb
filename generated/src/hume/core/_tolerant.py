"""Reading what the server sends when it does not quite match the API description.

Responses, server-sent events and socket messages are validated strictly first (one
pydantic-core call on the JSON text: the fast path). Only when that fails does
:func:`repair_json` walk the parsed JSON along the declared type and build the result
piece by piece: what validates is kept validated; a required field that is missing, or
``null`` where the API says it never is, reads ``None``; a value of another type is kept
as the server sent it. Each such deviation is logged at DEBUG level on the SDK's logger,
naming the model, the field's path and what was wrong.

Only a document that is not of the declared shape at all (a list where an object is
declared, a string where a list is, an unknown tag where a tagged union is) cannot be
read: :func:`repair_json` raises the strict validation error then. Models users build
themselves are untouched by this: they are validated as strictly as ever.
"""

from __future__ import annotations

import logging
import types
import typing
from dataclasses import dataclass

import pydantic
import pydantic_core

from .api_error import format_path, shorten

__all__ = ["Deviation", "log", "repair", "repair_json", "type_name"]

logger = logging.getLogger(__name__.rsplit(".", 2)[0])

Path = typing.Tuple[typing.Union[str, int], ...]

_NONE = type(None)
_UNION_ORIGINS: typing.Tuple[typing.Any, ...] = (typing.Union, getattr(types, "UnionType", typing.Union))
"""``Union[A, B]``, and ``A | B`` on Python 3.10 and later."""
_LIST_ORIGINS: typing.Tuple[typing.Any, ...] = (list, typing.List, typing.Sequence, tuple, set, frozenset)
_DICT_ORIGINS: typing.Tuple[typing.Any, ...] = (dict, typing.Dict, typing.Mapping)
_ANNOTATED: typing.Any = typing.Annotated


@dataclass(frozen=True)
class Deviation:
    """One place where what the server sent differs from the API description."""

    path: Path
    """Where, from the top of the document: keys and list indexes (wire names)."""
    model: typing.Optional[str]
    """The model declaring the field, when the place is a model's field."""
    problem: str
    """What was wrong (``missing``, ``null``, or what was expected instead)."""
    value: typing.Any
    """What the field reads now: ``None`` or the value as sent."""

    def describe(self) -> str:
        last = self.path[-1] if self.path else None
        if isinstance(last, int):
            field = f"list item in {self.model}" if self.model else "list item"
        else:
            field = f"field {last!r} of {self.model}" if self.model and last is not None else "value"
        reads = "reads None" if self.value is None else "kept as sent"
        return f"{field} at {format_path(self.path)}: {self.problem}; {reads}"


def repair_json(
    type_: typing.Any, content: typing.Union[str, bytes], strict_error: ValueError, source: str = "response"
) -> typing.Any:
    """``content`` read as ``type_`` despite field-level deviations; called once strict validation failed.

    Raises ``strict_error`` again when the content is not JSON or not of the declared shape at all.
    """
    if not isinstance(strict_error, pydantic.ValidationError) or any(
        error["type"] == "json_invalid" for error in strict_error.errors(include_url=False)
    ):
        raise strict_error
    try:
        data = pydantic_core.from_json(content)
    except ValueError:
        raise strict_error from None
    result, deviations = repair(type_, data)
    if any(not deviation.path for deviation in deviations):
        raise strict_error
    log(deviations, type_name(type_), source)
    return result


def repair(type_: typing.Any, data: typing.Any) -> typing.Tuple[typing.Any, typing.List[Deviation]]:
    """``data`` (parsed JSON) as ``type_``, and where it deviated; a deviation at the root path means it is not one."""
    deviations: typing.List[Deviation] = []
    return _Repair(deviations).value(type_, data, (), None, first=False), deviations


def log(deviations: typing.Sequence[Deviation], what: str, source: str) -> None:
    if deviations and logger.isEnabledFor(logging.DEBUG):
        for deviation in deviations:
            logger.debug("%s does not match the API description of %s: %s", source, what, deviation.describe())


class _Repair:
    """One walk over a document, collecting deviations."""

    __slots__ = ("deviations",)

    def __init__(self, deviations: typing.List[Deviation]) -> None:
        self.deviations = deviations

    def value(
        self, type_: typing.Any, data: typing.Any, path: Path, model: typing.Optional[str], first: bool = True
    ) -> typing.Any:
        """``data`` validated as ``type_``; tried strictly first when ``first``, repaired when that fails."""
        if first:
            try:
                return _validator(type_)(data)
            except pydantic.ValidationError as error:
                strict: typing.Optional[pydantic.ValidationError] = error
        else:
            strict = None
        origin = typing.get_origin(type_)
        if origin is typing.Annotated:
            inner, *metadata = typing.get_args(type_)
            discriminator = next((m for m in metadata if isinstance(m, pydantic.Discriminator)), None)
            if discriminator is not None:
                return self.tagged(inner, discriminator, data, path, model)
            return self.value(inner, data, path, model, first=False)
        if data is None and not _accepts_none(type_):
            return self.deviate(path, model, "null where a value is required", None)
        if isinstance(type_, type) and issubclass(type_, pydantic.BaseModel):
            return self.model(type_, data, path, model)
        if origin in _UNION_ORIGINS:
            return self.union(typing.get_args(type_), data, path, model)
        if origin in _LIST_ORIGINS and isinstance(data, list):
            (item,) = typing.get_args(type_)[:1] or (typing.Any,)
            return [self.value(item, element, (*path, index), model) for index, element in enumerate(data)]
        if origin in _DICT_ORIGINS and isinstance(data, dict):
            item = typing.get_args(type_)[1] if len(typing.get_args(type_)) == 2 else typing.Any
            return {key: self.value(item, element, (*path, key), model) for key, element in data.items()}
        return self.deviate(path, model, _expected(type_, data, strict), data)

    def model(
        self, cls: typing.Type[pydantic.BaseModel], data: typing.Any, path: Path, owner: typing.Optional[str]
    ) -> typing.Any:
        if not isinstance(data, dict):
            return self.deviate(path, owner, f"expected an object ({cls.__name__}), got {_kind(data)}", data)
        if not cls.__pydantic_complete__:
            cls.model_rebuild()
        fields = cls.model_fields
        if not any(_wire_name(name, info) in data or name in data for name, info in fields.items()) and any(
            info.is_required() for info in fields.values()
        ):
            return self.deviate(
                path, owner, f"expected an object ({cls.__name__}), got one with none of its fields", data
            )
        config = cls.model_config
        by_name = bool(config.get("populate_by_name") or config.get("validate_by_name"))
        values: typing.Dict[str, typing.Any] = {}
        fields_set: typing.Set[str] = set()
        used: typing.Set[str] = set()
        for name, info in fields.items():
            alias = _wire_name(name, info)
            keys = (alias, name) if alias != name and by_name else (alias,)
            key = next((k for k in keys if k in data), None)
            if key is None:
                if info.is_required():
                    values[name] = self.deviate((*path, alias), cls.__name__, "missing", None)
                continue
            used.add(key)
            fields_set.add(name)
            annotation = info.annotation
            if info.metadata:
                annotation = _ANNOTATED[(annotation, *info.metadata)]
            values[name] = self.value(annotation, data[key], (*path, key), cls.__name__)
        made = cls.model_construct(fields_set, **values)
        if config.get("extra") == "allow":
            object.__setattr__(made, "__pydantic_extra__", {k: v for k, v in data.items() if k not in used})
        return made

    def union(
        self, members: typing.Tuple[typing.Any, ...], data: typing.Any, path: Path, model: typing.Optional[str]
    ) -> typing.Any:
        candidates = [member for member in members if member is not _NONE]
        if len(candidates) == 1:
            return self.value(candidates[0], data, path, model, first=False)
        for member in candidates:  # the union as a whole failed, but a member alone may not (lax unions)
            try:
                return _validator(member)(data)
            except pydantic.ValidationError:
                pass
        if isinstance(data, dict):
            scored = [
                (len(_wire_names(cls) & data.keys()), cls) for cls in map(_model_of, candidates) if cls is not None
            ]
            if scored:
                score, best = max(scored, key=lambda candidate: candidate[0])
                if score:
                    return self.model(best, data, path, model)
        return self.deviate(path, model, f"{_kind(data)} matching no member of the union", data)

    def tagged(
        self,
        union: typing.Any,
        discriminator: pydantic.Discriminator,
        data: typing.Any,
        path: Path,
        model: typing.Optional[str],
    ) -> typing.Any:
        """A tagged union: the member named by the tag, even when some of its fields deviate."""
        picked: typing.Any = None
        pick = discriminator.discriminator
        tag = pick(data) if callable(pick) else None
        if tag is not None:
            for member in typing.get_args(union):
                if typing.get_origin(member) is typing.Annotated:
                    inner, *metadata = typing.get_args(member)
                    if any(isinstance(m, pydantic.Tag) and m.tag == tag for m in metadata):
                        picked = inner
                        break
        if picked is None:
            if isinstance(pick, str) or data is None:
                return self.value(union, data, path, model, first=False)
            return self.deviate(path, model, f"{_kind(data)} with no known tag of the union", data)
        return self.value(picked, data, path, model)

    def deviate(self, path: Path, model: typing.Optional[str], problem: str, value: typing.Any) -> typing.Any:
        self.deviations.append(Deviation(path, model, problem, value))
        return value


_validators: typing.Dict[typing.Any, typing.Callable[[typing.Any], typing.Any]] = {}


def _validator(type_: typing.Any) -> typing.Callable[[typing.Any], typing.Any]:
    """Strict validation of parsed JSON as ``type_`` (the model's own validator for a model)."""
    if isinstance(type_, type) and issubclass(type_, pydantic.BaseModel):
        return type_.model_validate
    try:
        return _validators[type_]
    except KeyError:
        validate = _validators[type_] = pydantic.TypeAdapter(type_).validate_python
        return validate
    except TypeError:  # an annotation that cannot be hashed: not cached
        return pydantic.TypeAdapter(type_).validate_python


def _accepts_none(type_: typing.Any) -> bool:
    if type_ in (None, _NONE, typing.Any, object):
        return True
    origin = typing.get_origin(type_)
    if origin is typing.Annotated:
        return _accepts_none(typing.get_args(type_)[0])
    if origin in _UNION_ORIGINS:
        return any(_accepts_none(member) for member in typing.get_args(type_))
    if origin is typing.Literal:
        return None in typing.get_args(type_)
    return False


def _model_of(type_: typing.Any) -> typing.Optional[typing.Type[pydantic.BaseModel]]:
    while typing.get_origin(type_) is typing.Annotated:
        type_ = typing.get_args(type_)[0]
    if isinstance(type_, type) and issubclass(type_, pydantic.BaseModel):
        return type_
    return None


def _wire_names(cls: typing.Type[pydantic.BaseModel]) -> typing.Set[str]:
    return {_wire_name(name, info) for name, info in cls.model_fields.items()}


def _wire_name(name: str, info: typing.Any) -> str:
    alias = info.validation_alias if isinstance(info.validation_alias, str) else info.alias
    return alias if isinstance(alias, str) else name


def _expected(type_: typing.Any, data: typing.Any, strict: typing.Optional[pydantic.ValidationError]) -> str:
    if strict is None:
        try:
            _validator(type_)(data)
        except pydantic.ValidationError as error:
            strict = error
        except Exception:  # noqa: BLE001 - only used to describe the value
            pass
    if strict is not None:
        errors = strict.errors(include_url=False, include_context=False)
        if errors:
            return f"{errors[0]['msg'].rstrip('.')}, got {_kind(data)} {shorten(data)}"
    return f"expected {type_name(type_)}, got {_kind(data)} {shorten(data)}"


def _kind(data: typing.Any) -> str:
    if data is None:
        return "null"
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
    }.get(type(data), type(data).__name__)


def type_name(type_: typing.Any) -> str:
    """A short name for a type: ``ReturnTts``, ``list[Voice]``, ``SnippetAudioChunk | TimestampMessage``."""
    origin = typing.get_origin(type_)
    arguments = typing.get_args(type_)
    if origin is typing.Annotated:
        return type_name(arguments[0])
    if origin in _UNION_ORIGINS:
        return " | ".join(type_name(member) for member in arguments)
    if origin is typing.Literal:
        return " | ".join(repr(value) for value in arguments)
    if origin is not None and arguments:
        return f"{getattr(origin, '__name__', repr(origin))}[{', '.join(type_name(a) for a in arguments)}]"
    name = getattr(type_, "__name__", None)
    return name if isinstance(name, str) else repr(type_).replace("typing.", "")
