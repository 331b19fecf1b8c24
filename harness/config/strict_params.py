"""Numbers in a backend's or metric's ``params`` are as strict as the config's own.

Pydantic's lax mode turns ``sentences: true`` into 1, ``'3'`` into 3 and
``3.0`` into 3, while the config's top-level fields (``seed: true``) are
errors. `check_param_numbers` holds every params model to the same rule
before it validates: a field that takes numbers (and not booleans or text)
gets a number of its kind, or a config error naming the key.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from harness.errors import ConfigError


def _kinds(annotation: Any) -> set[Any]:
    """The plain types an annotation admits (through Optional, unions, Annotated)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _kinds(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return {kind for arg in get_args(annotation) for kind in _kinds(arg)}
    if origin is Literal:
        return {type(value) for value in get_args(annotation)}
    return {origin or annotation}


def check_param_numbers(model: type[BaseModel], params: Mapping[str, Any], where: str) -> None:
    """Raise `ConfigError` for a boolean, text or fractional value given to a
    numeric field of ``model`` that does not take it.

    >>> from pydantic import BaseModel
    >>> class P(BaseModel):
    ...     sentences: int = 3
    >>> check_param_numbers(P, {"sentences": True}, "c.yaml: systems[0]")
    Traceback (most recent call last):
    ...
    harness.errors.ConfigError: c.yaml: systems[0].params: sentences: expected an integer, got True
    """
    for key, value in params.items():
        field = model.model_fields.get(key)
        if field is None:
            continue
        kinds = _kinds(field.annotation)
        if not kinds & {int, float} or Any in kinds:
            continue
        wanted = "an integer" if float not in kinds else "a number"
        if isinstance(value, bool):
            wrong = bool not in kinds
        elif isinstance(value, str):
            wrong = str not in kinds
        elif isinstance(value, float):
            wrong = float not in kinds
        else:
            wrong = False
        if wrong:
            raise ConfigError(f"{where}.params: {key}: expected {wanted}, got {value!r}")


__all__ = ["check_param_numbers"]
