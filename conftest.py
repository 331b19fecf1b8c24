"""Doctests of harness modules that import an optional package (tests/requires.py).

pytest collects the doctests of ``harness/`` too (``--doctest-modules``); one
whose examples import a module of an extra (``>>> import torch``) is skipped on
an install without it, naming the extra, and fails under ``CI=true`` or
``HARNESS_REQUIRE_ALL=1``, like every other test. The test fixtures and the
``requires`` marker are in tests/conftest.py.
"""

from __future__ import annotations

import re

import pytest
from _pytest.doctest import DoctestItem

from tests.requires import EXTRA_OF, reported_at_the_test, require

_IMPORT = re.compile(r"^\s*(?:import|from)\s+([A-Za-z_]\w*)", re.MULTILINE)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Require the optional modules that a doctest's examples import."""
    if not isinstance(item, DoctestItem) or item.dtest is None:
        return
    imported = {name for example in item.dtest.examples for name in _IMPORT.findall(example.source)}
    with reported_at_the_test():
        for module in sorted(imported & set(EXTRA_OF)):
            require(module, extra=EXTRA_OF[module])
