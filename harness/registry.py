"""One generic registry for named components (backends, metrics).

Components register themselves with a decorator on a factory. Third-party
packages can add components through the entry-point group
``harness.plugins``: each entry point names a module that is imported once,
and importing it runs its registration decorators.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Generic, TypeVar

from harness.errors import ConfigError

EntryT = TypeVar("EntryT")

PLUGIN_GROUP = "harness.plugins"
_plugins_loaded = False


def load_plugins() -> None:
    """Import every module named in the ``harness.plugins`` entry-point group (once)."""
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True
    for point in entry_points(group=PLUGIN_GROUP):
        importlib.import_module(point.value.split(":")[0])


def did_you_mean(name: str, choices: list[str]) -> str:
    """Return a "did you mean" suggestion sentence, or an empty string.

    >>> did_you_mean("rogue", ["rouge", "length"])
    " Did you mean 'rouge'?"
    """
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    return f" Did you mean {close[0]!r}?" if close else ""


@dataclass
class Registry(Generic[EntryT]):
    """A name → entry mapping with helpful lookup errors.

    Args:
        kind: What the entries are ("backend", "metric"), used in messages.
    """

    kind: str

    def __post_init__(self) -> None:
        self._entries: dict[str, EntryT] = {}

    def add(self, name: str, entry: EntryT) -> None:
        """Register ``entry`` under ``name``; re-registering a name is an error."""
        if name in self._entries:
            raise ValueError(f"{self.kind} {name!r} is already registered")
        self._entries[name] = entry

    def get(self, name: str, where: str = "") -> EntryT:
        """Look up ``name``; raise `ConfigError` listing the choices if unknown.

        Args:
            name: The registered name.
            where: Where the name came from, e.g. "config.yaml: systems[1].backend".
        """
        load_plugins()
        try:
            return self._entries[name]
        except KeyError:
            names = self.names()
            prefix = f"{where}: " if where else ""
            raise ConfigError(
                f"{prefix}unknown {self.kind} {name!r}.{did_you_mean(name, names)}",
                hint=f"available {self.kind}s: {', '.join(names)}",
            ) from None

    def names(self) -> list[str]:
        """Sorted registered names."""
        load_plugins()
        return sorted(self._entries)

    def items(self) -> Iterator[tuple[str, EntryT]]:
        """(name, entry) pairs in name order."""
        for name in self.names():
            yield name, self._entries[name]


__all__ = ["PLUGIN_GROUP", "Registry", "did_you_mean", "load_plugins"]
