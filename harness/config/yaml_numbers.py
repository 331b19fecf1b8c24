"""YAML numbers as YAML 1.2 reads them (the core schema), for configs and ``--set`` values.

PyYAML's safe loader follows YAML 1.1, which reads ``010`` as 8 (octal), ``1:30``
as 90 (base 60), ``1_000`` as 1000, and ``2e-2`` as text (no dot). A config
number means what it says in decimal: here an integer is ``[-+]?[0-9]+``
(``010`` is 10), ``0x``/``0o`` prefixes are hexadecimal/octal, a float is
decimal with an optional exponent (``2e-2``, ``1.5E3``) or ``.inf``/``.nan``;
anything else (``1:30``, ``1_000``) stays text, which the config's own
validation then rejects, naming the line.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)


class NumbersLoader(yaml.SafeLoader):
    """PyYAML's safe loader with YAML 1.2's integers and floats (module docstring)."""


NumbersLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag not in (_INT_TAG, _FLOAT_TAG)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
NumbersLoader.add_implicit_resolver(_INT_TAG, _INT, list("-+0123456789"))
NumbersLoader.add_implicit_resolver(_FLOAT_TAG, _FLOAT, list("-+0123456789."))


def _integer(loader: yaml.SafeLoader, node: yaml.Node) -> int:
    text = str(loader.construct_scalar(node))  # type: ignore[arg-type]
    try:
        if text.startswith("0x"):
            return int(text[2:], 16)
        if text.startswith("0o"):
            return int(text[2:], 8)
        return int(text, 10)
    except ValueError as error:  # more digits than Python converts (4,300)
        raise yaml.constructor.ConstructorError(
            None, None, f"the integer {text[:12]}... cannot be read: {error}", node.start_mark
        ) from None


def _float(loader: yaml.SafeLoader, node: yaml.Node) -> float:
    text = str(loader.construct_scalar(node)).lower()  # type: ignore[arg-type]
    if text.endswith(".inf"):
        return -math.inf if text.startswith("-") else math.inf
    if text == ".nan":
        return math.nan
    return float(text)


NumbersLoader.add_constructor(_INT_TAG, _integer)
NumbersLoader.add_constructor(_FLOAT_TAG, _float)


def load_value(text: str) -> Any:
    """One YAML value (a ``--set`` value) read with `NumbersLoader`."""
    return yaml.load(text, Loader=NumbersLoader)  # a SafeLoader: builds no objects


__all__ = ["NumbersLoader", "load_value"]
