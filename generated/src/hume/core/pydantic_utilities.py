"""The base class of every API model, and the discriminator used by tagged unions."""

from __future__ import annotations

import typing

import pydantic

__all__ = ["ModelOrDict", "UniversalBaseModel", "discriminated_by"]


T = typing.TypeVar("T")

ModelOrDict = typing.Union[T, typing.Mapping[str, typing.Any]]
"""Where a method takes an object that is no single model (a union of models, a map): a model
instance, or a plain mapping of wire names, checked against the type before it is sent in a JSON body."""


class UniversalBaseModel(pydantic.BaseModel):
    """Base class of the API's models.

    Fields the server sends that this SDK version does not know are kept (``model_extra``)
    rather than rejected, so a newer server does not break an older SDK. Fields are
    filled by their Python name or by their wire name (alias). Validation schemas are
    built when a model is first used, not when its module is imported.
    """

    model_config = pydantic.ConfigDict(
        extra="allow",
        populate_by_name=True,
        protected_namespaces=(),
        defer_build=True,
    )


def discriminated_by(property_name: str, tags: typing.Mapping[str, str]) -> pydantic.Discriminator:
    """A union discriminator: the value of ``property_name`` picks the member.

    ``tags`` maps each wire value to the ``pydantic.Tag`` of its member. Works on raw JSON
    (dicts) and on model instances alike.
    """

    def tag_of(value: typing.Any) -> typing.Optional[str]:
        if isinstance(value, dict):
            wire = value.get(property_name)
        else:
            wire = getattr(value, property_name, None)
        return tags.get(wire) if isinstance(wire, str) else None

    return pydantic.Discriminator(tag_of)
