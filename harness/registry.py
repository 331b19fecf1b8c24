"""One generic registry for named components (backends, metrics).

Components register themselves with a decorator on a factory. Third-party
packages can add components through the entry-point group
``harness.plugins``: each entry point (``name = module`` or ``name =
module:attr``) is loaded once, and importing its module runs its
registration decorators.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import Generic, TypeVar

from harness.errors import ConfigError

EntryT = TypeVar("EntryT")

PLUGIN_GROUP = "harness.plugins"
_plugins_scanned = False
# (name, value) of every entry point tried, so that none is imported twice.
_plugins_tried: set[tuple[str, str]] = set()
# entry point as written in its package's metadata -> why it could not be loaded
_plugin_failures: dict[str, str] = {}


def _describe(point: EntryPoint) -> str:
    dist = getattr(point, "dist", None)
    origin = f" (package {dist.name} {dist.version})" if dist is not None else ""
    return f"{point.name} = {point.value}{origin}"


def _load(point: EntryPoint) -> None:
    key = (point.name, point.value)
    if key in _plugins_tried:
        return
    _plugins_tried.add(key)
    try:
        point.load()
    except (Exception, SystemExit) as error:  # a plugin's bug must not hide the other plugins
        _plugin_failures[_describe(point)] = f"{type(error).__name__}: {error}"


def load_plugins() -> None:
    """Load every entry point of the ``harness.plugins`` group (each once).

    Every entry point is tried, so one that fails does not keep the others
    from registering their components.

    Raises:
        ConfigError: An entry point failed to load (its module does not
            import, raises on import, or lacks the named attribute). It is
            raised on every call, never only once: a run must not go on
            silently without the plugin.
    """
    global _plugins_scanned
    if not _plugins_scanned:
        # Set first: a plugin that looks a name up while it loads must not recurse.
        _plugins_scanned = True
        for point in entry_points(group=PLUGIN_GROUP):
            _load(point)
    if _plugin_failures:
        failures = "; ".join(f"{point}: {why}" for point, why in _plugin_failures.items())
        raise ConfigError(
            f"plugin entry point of group {PLUGIN_GROUP!r} failed to load: {failures}",
            hint="fix or reinstall the package that declares it, or uninstall it "
            "(`pip uninstall <package>`); the other plugins are loaded",
        )


def _closest(name: str, choices: Sequence[str]) -> str | None:
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(name: str, choices: Sequence[str]) -> str:
    """Return a "did you mean" suggestion sentence, or an empty string.

    >>> did_you_mean("rogue", ["rouge", "length"])
    " Did you mean 'rouge'?"
    """
    close = _closest(name, choices)
    return f" Did you mean {close!r}?" if close else ""


def did_you_mean_clause(name: str, choices: Sequence[str]) -> str:
    """The suggestion as a clause inside a message ("...; did you mean 'x'? known: ..."), or "".

    >>> did_you_mean_clause("rogue.rouge1", ["rouge.rouge1", "length.words"])
    "did you mean 'rouge.rouge1'? "
    """
    close = _closest(name, choices)
    return f"did you mean {close!r}? " if close else ""


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


__all__ = ["PLUGIN_GROUP", "Registry", "did_you_mean", "did_you_mean_clause", "load_plugins"]
