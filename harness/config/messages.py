"""Validation errors as one message naming file, line and dotted key, with a "did you mean"."""

from __future__ import annotations

import difflib
import re
from typing import Any, get_args

from pydantic import (
    BaseModel,
    ValidationError,
)

Loc = tuple[int | str, ...]


class KeyLines:
    """Where each key and list item of a YAML config is: its 1-based line.

    Locations are pydantic-style tuples (``("systems", 0, "params")``). An
    error at a location without a line of its own (a default, a key only
    its validator adds) is reported at the closest enclosing one; keys
    changed by ``--set`` have no line.

    >>> lines = KeyLines({("systems",): 3, ("systems", 0): 4})
    >>> lines.line_of(("systems", 0, "name")), lines.line_of(("seed",))
    (4, None)
    """

    def __init__(self, lines: dict[Loc, int] | None = None) -> None:
        self.lines: dict[Loc, int] = dict(lines or {})
        self.overridden: set[Loc] = set()

    def is_overridden(self, loc: Loc) -> bool:
        """Whether ``--set`` gave ``loc`` (or a location enclosing it) its value."""
        return any(loc[: len(prefix)] == prefix for prefix in self.overridden)

    def line_of(self, loc: Loc) -> int | None:
        """The line of ``loc`` or of its closest enclosing location; None if unknown."""
        if self.is_overridden(loc):
            return None
        for end in range(len(loc), 0, -1):
            line = self.lines.get(loc[:end])
            if line is not None:
                return line
        return None

    def overrides_at(self, loc: Loc) -> list[Loc]:
        """The ``--set`` keys that gave ``loc``, a location enclosing it or one inside it."""
        return sorted(
            (
                given
                for given in self.overridden
                if loc[: len(given)] == given or given[: len(loc)] == loc
            ),
            key=str,
        )

    def override(self, loc: Loc) -> None:
        """Forget the lines under ``loc``: its value now comes from ``--set``."""
        self.overridden.add(loc)


def format_location(loc: Loc) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(top level)"


#: A key path at the start of a whole-config validator's message: ``systems[1]: ...``.
_LEADING_KEY = re.compile(r"([A-Za-z_]\w*)((?:\[\d+\]|\.[A-Za-z_]\w*)*): ")


def _leading_location(message: str) -> tuple[Loc, str]:
    """The key a whole-config check names first, and the rest of its message.

    A check of several fields at once (two systems with one name) is at the top
    level for pydantic; its message starts with the key it is about, so that the
    error can name that key's line.

    >>> _leading_location("systems[1]: name 'a' is used twice")
    (('systems', 1), "name 'a' is used twice")
    >>> _leading_location("give exactly one")
    ((), 'give exactly one')
    """
    found = _LEADING_KEY.match(message)
    if found is None:
        return (), message
    loc: list[int | str] = [found.group(1)]
    for part in re.findall(r"\[(\d+)\]|\.(\w+)", found.group(2)):
        loc.append(int(part[0]) if part[0] else part[1])
    return tuple(loc), message[found.end() :]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside an annotation (``list[M]``, ``M | None``, ...), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model whose fields are the keys at ``loc`` (None past a plain mapping)."""
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None:
            return None
        if isinstance(part, int):
            continue  # a list index: the list's item model was found with the field
        field = current.model_fields.get(part)
        current = None if field is None else _model_in(field.annotation)
    return current


def _unknown_key(loc: Loc, model: type[BaseModel] | None) -> str:
    """The message for an unknown key, with a suggestion or the keys allowed there."""
    parent = None if model is None else _model_at(model, loc[:-1])
    if parent is None or not loc:
        return "unknown key (check the spelling; see the README's config reference)"
    keys = list(parent.model_fields)
    close = difflib.get_close_matches(str(loc[-1]), keys, n=1, cutoff=0.6)
    if close:
        return f"unknown key; did you mean {close[0]!r}?"
    return f"unknown key; the keys allowed here are: {', '.join(keys)}"


#: Pydantic's error types for a section given as null, and what to say.
_NULL_SECTIONS = {
    "model_type": "is null (nothing follows the key), but takes a mapping: give its keys, "
    "or remove the key",
    "dict_type": "is null (nothing follows the key), but takes a mapping: give its keys, "
    "or remove the key",
    "list_type": "is null (nothing follows the key), but takes a list: give its items, "
    "or remove the key",
}


def _union_field(model: type[BaseModel] | None, loc: Loc) -> Any:
    """The field ``loc[:-1]`` names when it is a union (``str | list[str]``), so that
    ``loc[-1]`` is pydantic's tag of one of its members (``"list[str]"``), not a key;
    else None."""
    if model is None or len(loc) < 2 or not isinstance(loc[-2], str):
        return None
    parent = _model_at(model, loc[:-2])
    if parent is None:
        return None
    field = parent.model_fields.get(loc[-2])
    if field is None:
        return None
    members = [arg for arg in get_args(field.annotation) if arg is not type(None)]
    return field if len(members) > 1 and loc[-1] not in parent.model_fields else None


def _merge_union_errors(items: list[Any], model: type[BaseModel] | None) -> list[Any]:
    """One error for a value that no member of its union field takes: pydantic gives
    one per member, at locations that end in the member's tag (``cache.str``,
    ``cache.literal[False]``), which name no key of the config."""
    merged: list[Any] = []
    seen: set[Loc] = set()
    for item in items:
        loc = tuple(item["loc"])
        field = _union_field(model, loc)
        if field is None:
            merged.append(item)
            continue
        expected = field.description or " or ".join(
            str(arg).replace("typing.", "") for arg in get_args(field.annotation)
        )
        if loc[:-1] in seen:
            continue
        seen.add(loc[:-1])
        merged.append({**item, "loc": loc[:-1], "type": "union", "msg": f"expected {expected}"})
    return merged


def validation_message(
    error: ValidationError,
    origin: str,
    *,
    lines: KeyLines | None = None,
    model: type[BaseModel] | None = None,
) -> str:
    """One line per problem: ``origin:LINE: dotted.key: message (got value)``.

    Args:
        error: The pydantic error.
        origin: The config file (or ``file: systems[0].params``) named first.
        lines: Where each key is in the file; without it (or for a key that
            ``--set`` changed) the line is left out.
        model: The model that was validated, so that an unknown key gets a
            "did you mean" from the keys allowed in its place.
    """
    out = []
    for item in _merge_union_errors(list(error.errors()), model):
        loc = tuple(item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        if not loc and item["type"] == "value_error":
            loc, message = _leading_location(message)
        where = format_location(loc)
        if item["type"] == "extra_forbidden":
            message = _unknown_key(loc, model)
        got = item.get("input")
        shown = "" if item["type"] in ("missing", "extra_forbidden") else f" (got {got!r})"
        if got is None and item["type"] in _NULL_SECTIONS:
            # `report:` with every line under it commented out is null, not {}.
            message, shown = _NULL_SECTIONS[item["type"]], ""
        elif item["type"] in ("model_type", "dict_type"):
            # not "a valid dictionary or instance of BenchmarkConfig": no class names
            message = "expected a mapping (its keys and values, one `key: value` each)"
        if isinstance(got, dict):
            shown = ""
        elif isinstance(got, bool) and shown:
            shown = f" (got {str(got).lower()}, a boolean)"
        if item["type"] in ("string_type", "union") and isinstance(got, int | float):
            # YAML read `name: 2024` or `split: no` (yes, on, off) as a number or boolean.
            shown = f"{shown[:-1]}: quote the value to give it as text)"
        line = None if lines is None else lines.line_of(loc)
        at = f"{origin}:{line}" if line is not None else origin
        if lines is not None and lines.is_overridden(loc):
            where += " (from --set)"
        out.append(f"{at}: {where}: {message}{shown}")
    return "\n".join(out)


__all__ = [
    "KeyLines",
    "Loc",
    "validation_message",
]
