"""The examples in the docstrings of every module of `harness.text.quantities`."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import harness.text.quantities as package


def test_doctests_pass() -> None:
    names = sorted(info.name for info in pkgutil.iter_modules(package.__path__))
    results = {
        name: doctest.testmod(importlib.import_module(f"{package.__name__}.{name}"))
        for name in names
    }
    assert {name: r.failed for name, r in results.items() if r.failed} == {}
    assert sum(r.attempted for r in results.values()) >= 30
