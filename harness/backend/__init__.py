"""Summarizer backends: the protocol, the registry, and the built-in backends.

Importing this package registers: ``lead``, ``textrank``, ``precomputed``,
``command``, ``python``, ``hf``, ``openai``.
"""

from harness.backend import command, hf, lead, openai, precomputed, python, textrank
from harness.backend._protocol import (
    BACKENDS,
    BackendEntry,
    BuildContext,
    Generation,
    Summarizer,
    backend,
    build_backend,
)

__all__ = [
    "BACKENDS",
    "BackendEntry",
    "BuildContext",
    "Generation",
    "Summarizer",
    "backend",
    "build_backend",
    "command",
    "hf",
    "lead",
    "openai",
    "precomputed",
    "python",
    "textrank",
]
