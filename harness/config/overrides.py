"""``--set key=value`` overrides applied to a config mapping before validation."""

from __future__ import annotations

from typing import Any

import yaml

from harness.config.messages import KeyLines, Loc
from harness.config.yaml_numbers import NumbersLoader, load_value
from harness.errors import ConfigError

#: Mappings whose keys are value names, which hold a dot (``rouge.rouge2``): in
#: ``--set report.labels.rouge.rouge2=R2`` the rest of the path is one key.
_VALUE_NAME_KEYS = (("report", "labels"), ("report", "digits"))


#: The events around a YAML document's value, which read none of its text.
_FRAME_EVENTS = (
    yaml.StreamStartEvent,
    yaml.StreamEndEvent,
    yaml.DocumentStartEvent,
    yaml.DocumentEndEvent,
)


def _parts(dotted: str) -> list[str]:
    parts = dotted.split(".")
    for prefix in _VALUE_NAME_KEYS:
        if tuple(parts[: len(prefix)]) == prefix and len(parts) > len(prefix) + 1:
            return [*prefix, ".".join(parts[len(prefix) :])]
    return parts


def _override_loc(dotted: str) -> Loc:
    return tuple(int(part) if part.isdigit() else part for part in _parts(dotted))


def _set_dotted(data: dict[str, Any], dotted: str, value: Any, origin: str) -> None:
    parts = _parts(dotted)
    node: Any = data
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                raise ConfigError(
                    f"{origin}: --set {dotted}: {part!r} is not an index of a list "
                    f"of {len(node)} items"
                )
            if last:
                node[int(part)] = value
            else:
                if parts[:index] == ["metrics"] and isinstance(node[int(part)], str):
                    # A bare metric name is {name: NAME}, as the config reads it.
                    node[int(part)] = {"name": node[int(part)]}
                node = node[int(part)]
        elif isinstance(node, dict):
            if last:
                node[part] = value
            elif part not in node and parts[index + 1].isdigit():
                listed = ".".join(parts[: index + 1])
                raise ConfigError(
                    f"{origin}: --set {dotted}: the config has no {listed} list, "
                    f"so it has no item {parts[index + 1]} to set",
                    hint=f"give the whole list, e.g. --set '{listed}=[{{...}}]'",
                )
            else:
                node = node.setdefault(part, {})
        else:
            raise ConfigError(
                f"{origin}: --set {dotted}: {'.'.join(parts[:index])} is not a mapping"
            )


def _read_value(item: str, key: str, raw: str) -> Any:
    """The YAML value of ``--set KEY=RAW``, all of it.

    YAML drops a comment (``Lead #1`` reads as ``Lead``) and an anchor
    (``&x y`` reads as ``y``) without a word; on a command line either is a
    value cut short, so both are errors.

    Raises:
        ConfigError: The value is not YAML, or YAML would read less of it.
    """
    if not raw.strip():
        return ""
    quote = f"quote the value: --set '{key}=\"...\"'"
    try:
        events = list(yaml.parse(raw, Loader=NumbersLoader))
        value = load_value(raw)
    except yaml.YAMLError as error:
        problem = getattr(error, "problem", None) or str(error)
        raise ConfigError(
            f"--set {item!r}: the value is not valid YAML: {problem}", hint=quote
        ) from None
    read = [event for event in events if not isinstance(event, _FRAME_EVENTS)]
    if any(isinstance(event, yaml.NodeEvent) and event.anchor for event in read):
        raise ConfigError(
            f"--set {item!r}: YAML reads '&' as an anchor, so the value would be {value!r}",
            hint=quote,
        )
    end = max((event.end_mark.index for event in read if event.end_mark), default=0)
    if raw[end:].strip():
        raise ConfigError(
            f"--set {item!r}: YAML reads {raw[end:].strip()!r} as a comment, so the value "
            f"would be {value!r}",
            hint=quote,
        )
    return value


def apply_overrides(
    data: dict[str, Any], overrides: list[str], origin: str, lines: KeyLines | None = None
) -> dict[str, Any]:
    """Apply ``key.sub=value`` overrides; the value is parsed as YAML.

    ``lines``, when given, forgets the file's lines of the keys overridden.

    >>> apply_overrides({"seed": 0}, ["seed=3", "benchmark.limit=5"], "c.yaml")
    {'seed': 3, 'benchmark': {'limit': 5}}
    """
    for item in overrides:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(
                f"--set {item!r}: expected key=value", hint="e.g. --set benchmark.limit=10"
            )
        if "" in key.strip().split("."):
            raise ConfigError(
                f"--set {item!r}: the key {key.strip()!r} has an empty part (a dot at an end, "
                "or two together)",
                hint="name keys with single dots between them, e.g. --set benchmark.limit=10",
            )
        if "[" in key:
            raise ConfigError(
                f"--set {item!r}: a list item is addressed by a dotted index, not brackets",
                hint="e.g. --set metrics.0.params.flag_weight=1 for the first metric",
            )
        value = _read_value(item, key.strip(), raw)
        _set_dotted(data, key.strip(), value, origin)
        if lines is not None:
            lines.override(_override_loc(key.strip()))
    return data


__all__ = [
    "apply_overrides",
]
