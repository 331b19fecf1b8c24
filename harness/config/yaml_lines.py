"""Reading a YAML config with the line of every key (duplicate keys are an error)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from harness.config.messages import KeyLines, Loc, format_location
from harness.config.yaml_numbers import NumbersLoader
from harness.errors import ConfigError

_MERGE_TAG = "tag:yaml.org,2002:merge"


def _mapping_keys(
    node: yaml.MappingNode, loc: Loc, origin: str
) -> Iterator[tuple[Loc, yaml.Node, int]]:
    """(location, value node, line) of each key; `ConfigError` on a key given twice."""
    first: dict[tuple[str, str], int] = {}
    for key_node, value_node in node.value:
        # Complex keys (a mapping as key) name nothing in a config; merges (<<) are no keys.
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE_TAG:
            continue
        line = key_node.start_mark.line + 1
        ident = (key_node.tag, key_node.value)
        inner = (*loc, key_node.value)
        if ident in first:
            raise ConfigError(
                f"{origin}:{line}: {format_location(inner)}: duplicate key "
                f"(first given on line {first[ident]}, again on line {line}); "
                "YAML would silently keep only the last value",
                hint="remove one of the two, or merge them into one",
            )
        first[ident] = line
        yield inner, value_node, line


def _key_lines(node: yaml.Node, origin: str) -> KeyLines:
    """Walk a composed YAML document: the line of every key and list item.

    Raises:
        ConfigError: A mapping gives the same key twice (names both lines).
    """
    lines = KeyLines()
    pending: list[tuple[yaml.Node, Loc]] = [(node, ())]
    # An alias is the node it names: walked once, or an alias cycle (&a [*a])
    # would never end and an alias bomb (nine aliases of nine aliases ...) not
    # in a lifetime. The keys under an alias are on their anchor's lines.
    walked: set[int] = set()
    while pending:
        current, loc = pending.pop()
        if id(current) in walked:
            continue
        walked.add(id(current))
        if isinstance(current, yaml.MappingNode):
            for inner, value_node, line in _mapping_keys(current, loc, origin):
                lines.lines.setdefault(inner, line)
                pending.append((value_node, inner))
        elif isinstance(current, yaml.SequenceNode):
            for index, item in enumerate(current.value):
                lines.lines.setdefault((*loc, index), item.start_mark.line + 1)
                pending.append((item, (*loc, index)))
    return lines


#: Mappings and lists a config may hold once its aliases are expanded (an alias
#: bomb, a list of nine aliases of a list of nine ..., expands past any memory).
_MAX_CONTAINERS = 100_000


def _tree(value: Any, path: Path) -> Any:
    """``value`` with every mapping and list its own copy.

    An alias (``*p``) makes YAML share one object between the places that name
    it; ``--set systems.0.params.x=1`` would then change every system whose
    params are ``*p`` (a merge, ``<<: *d``, shares the values it copies too).

    Raises:
        ConfigError: An alias refers to a mapping or list that holds it, or
            the aliases expand to more than `_MAX_CONTAINERS` of them.
    """
    copied = 0

    def copy(item: Any, holders: tuple[int, ...]) -> Any:
        nonlocal copied
        if not isinstance(item, dict | list):
            return item
        if id(item) in holders:
            raise ConfigError(
                f"{path}: an alias refers to a mapping or list that contains it (&a [*a]); "
                "a config cannot hold itself",
                hint="replace the alias with the values it should stand for",
            )
        copied += 1
        if copied > _MAX_CONTAINERS:
            raise ConfigError(
                f"{path}: its aliases expand to more than {_MAX_CONTAINERS:,} mappings "
                "and lists; no config needs that many",
                hint="write the values out instead of nesting aliases of aliases",
            )
        inner = (*holders, id(item))
        if isinstance(item, dict):
            return {key: copy(value, inner) for key, value in item.items()}
        return [copy(value, inner) for value in item]

    return copy(value, ())


def _not_utf8(path: Path, data: bytes, error: UnicodeDecodeError) -> ConfigError:
    line = data.count(b"\n", 0, error.start) + 1
    return ConfigError(
        f"{path}:{line}: not UTF-8 text (byte {data[error.start : error.start + 1]!r} "
        f"at offset {error.start})",
        hint="save the file as UTF-8",
    )


def read_yaml_lines(path: Path) -> tuple[dict[str, Any], KeyLines]:
    """Read a YAML mapping and the line of each key.

    Raises:
        ConfigError: The file is missing, not UTF-8, not YAML, gives a key
            twice, or is not a mapping (names file and line).
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the file: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _not_utf8(path, data, error) from None
    loader = NumbersLoader(text)
    try:
        node = loader.get_single_node()
        lines = KeyLines() if node is None else _key_lines(node, str(path))
        value = None if node is None else _tree(loader.construct_document(node), path)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(error, "problem", None) or str(error)
        tab = "'\\t'" in problem  # PyYAML's words for a tab where YAML wants spaces
        raise ConfigError(
            f"{where}: invalid YAML: {problem}",
            hint="YAML indents with spaces only: replace the tab there with spaces"
            if tab
            else None,
        ) from None
    finally:
        loader.dispose()
    if not isinstance(value, dict):
        raise ConfigError(
            f"{path}: expected a YAML mapping at the top level, got {type(value).__name__}",
            hint="start from configs/quickstart.yaml",
        )
    return value, lines


def read_yaml(path: Path) -> dict[str, Any]:
    """Read a YAML mapping, raising `ConfigError` with file and line on failure."""
    return read_yaml_lines(path)[0]


__all__ = [
    "read_yaml",
    "read_yaml_lines",
]
