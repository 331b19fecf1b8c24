"""The code of a plugin's backend or metric, hashed into the fingerprint that keys its cache.

A component that harness ships changes only with harness (a score's cache key
also holds harness's code digest, `harness.code_digest`), and the ``python``
and ``command`` backends hash the user code they run. A backend or metric a
plugin registers (entry-point group ``harness.plugins``, or any module outside
harness that uses the ``@backend`` / ``@metric`` decorators) has only the
version its author bumps by hand: editing a plugin under development (an
editable install, a module on ``sys.path``) without bumping it would serve the
summaries and scores of the code that is gone.

So `component_fingerprint` adds ``params["plugin_code_sha256"]`` to such a
component's fingerprint: the SHA-256 of the module that defines its class (and
of each module of its bases outside harness and the standard library), and of
the user's own modules they import (`harness.backend._local_imports.local_imports`, from the
folder each module is imported from; an installed package's modules are its
own, not the user's, so only the defining module counts there). The cache key,
the manifest's ``components`` and what `harness check` compares are this
fingerprint. Each module is hashed once per process.
"""

from __future__ import annotations

import sys
import sysconfig
from functools import cache
from pathlib import Path
from typing import Protocol

from harness.backend._local_imports import import_root, local_imports
from harness.backend._protocol import file_sha256
from harness.records import Fingerprint

#: The params key that holds a plugin component's code digests.
PLUGIN_CODE_KEY = "plugin_code_sha256"


class Fingerprinted(Protocol):
    """A backend or metric: anything with a fingerprint."""

    @property
    def fingerprint(self) -> Fingerprint:
        """What made its results."""


def _is_harness(module_name: str) -> bool:
    return module_name == "harness" or module_name.startswith("harness.")


@cache
def _stdlib_roots() -> tuple[Path, ...]:
    paths = sysconfig.get_paths()
    return tuple(Path(paths[key]).resolve() for key in ("stdlib", "platstdlib") if key in paths)


@cache
def _module_code(module_name: str) -> tuple[tuple[str, str], ...]:
    """``(role, sha256)`` of a module outside harness and of the user's modules it imports."""
    module = sys.modules.get(module_name)
    file = getattr(module, "__file__", None) if module is not None else None
    if module is None or not file or not file.endswith(".py") or not Path(file).is_file():
        return ()
    path = Path(file)
    if any(path.resolve().is_relative_to(root) for root in _stdlib_roots()):
        return ()  # a base such as typing.Generic or abc.ABC
    found = [(f"module {module_name}", file_sha256(path))]
    root = import_root(module_name, path)
    for name, helper in local_imports(module, path, [root]):
        if helper.is_file():
            found.append((f"{module_name} import {name}", file_sha256(helper)))
    return tuple(found)


def plugin_code(component_type: type) -> dict[str, str]:
    """The code digests of a component class defined outside harness (empty for harness's).

    Args:
        component_type: The component's class.

    Returns:
        Role (``module NAME``, ``NAME import HELPER``) → SHA-256 of its file.
    """
    code: dict[str, str] = {}
    for klass in component_type.__mro__:
        if klass is object or _is_harness(klass.__module__):
            continue
        code.update(_module_code(klass.__module__))
    return code


def component_fingerprint(component: Fingerprinted) -> Fingerprint:
    """``component.fingerprint``, with its code digests when a plugin defines it (see the module).

    >>> from harness.backend import BACKENDS, BuildContext
    >>> from harness.backend.lead import LeadParams
    >>> from pathlib import Path
    >>> lead = BACKENDS.get("lead").factory(LeadParams(), BuildContext(Path(".")))
    >>> component_fingerprint(lead) == lead.fingerprint
    True
    """
    fingerprint = component.fingerprint
    code = plugin_code(type(component))
    if not code:
        return fingerprint
    return fingerprint.model_copy(update={"params": {**fingerprint.params, PLUGIN_CODE_KEY: code}})


__all__ = ["PLUGIN_CODE_KEY", "component_fingerprint", "plugin_code"]
