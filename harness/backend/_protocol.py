"""The Summarizer protocol, the backend registry and `build_backend`."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Protocol, TypeVar

from pydantic import BaseModel, BeforeValidator, ValidationError

from harness.config import SystemConfig, validation_message
from harness.config.strict_params import check_param_numbers
from harness.errors import ConfigError, HarnessError
from harness.records import Example, Fingerprint
from harness.registry import Registry


@dataclass(frozen=True)
class Generation:
    """A backend's answer for one example: a summary, or the error that prevented it.

    Attributes:
        summary: The summary, or ``None`` when generation failed.
        error: Why generation failed, else ``None``.
        truncated_tokens: How many input tokens were cut so that the source
            fits the model's input limit (the summary saw only the rest);
            ``None`` when nothing was cut or the backend does not truncate.
        cut_off: Set when the summary reached the backend's output limit and
            was kept to its last whole sentence: the unfinished end that was
            dropped (``""`` when it stopped right after a sentence). ``None``:
            the model ended the summary itself.
        served_model: The model an API says wrote the summary (the snapshot
            behind an alias such as ``gpt-4o-mini``), when it says.
    """

    summary: str | None
    error: str | None = None
    truncated_tokens: int | None = None
    cut_off: str | None = None
    served_model: str | None = None

    @classmethod
    def failed(cls, error: str) -> Generation:
        """A failed generation with a message a person can act on."""
        return cls(summary=None, error=error)

    @classmethod
    def raised(cls, error: BaseException) -> Generation:
        """A generation failed by an exception: ``"<type>: <message>"``."""
        return cls.failed(f"{type(error).__name__}: {error}")


class Summarizer(Protocol):
    """What every backend builds.

    ``summarize`` returns exactly one `Generation` per example, in order. A
    failure that concerns one example is returned as that example's
    ``Generation.failed``; an exception means the whole batch failed, and the
    runner records it for every example of the batch.

    ``cacheable`` is False for backends that only read data that already
    exists (``precomputed``): caching them would only copy it.

    A backend that runs a torch model may also have a ``runs_on`` string
    attribute (`harness.device`), which the manifest records.

    A backend sees each example's source alone, so examples that share a
    source get one generation (`harness.generation`). One that is also given
    the example's id sets ``reads_example_ids`` (True) and is run on each.
    """

    @property
    def fingerprint(self) -> Fingerprint: ...

    @property
    def cacheable(self) -> bool: ...

    def summarize(self, examples: Sequence[Example]) -> list[Generation]: ...


@dataclass(frozen=True)
class BuildContext:
    """What a factory may need besides its params.

    Attributes:
        config_dir: Folder of the config file; relative paths in params
            resolve against the CWD first, then against it.
        seed: The run's seed.
    """

    config_dir: Path
    seed: int = 0


def _number_as_text(value: Any) -> Any:
    # YAML reads `version: 2` as a number; any number names a version as well.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


#: The ``version`` param of backends that run user code: any text (a number is
#: read as its text), part of the fingerprint, so changing it forces a fresh run.
VersionParam = Annotated[str | None, BeforeValidator(_number_as_text)]


def file_sha256(path: str | Path) -> str:
    """SHA-256 (hex) of a file's bytes, for the fingerprint of code a backend runs.

    Raises:
        OSError: The file cannot be read.
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def user_code_fingerprint(name: str, params: BaseModel, code_sha256: dict[str, str]) -> Fingerprint:
    """The fingerprint of a backend that runs user code (``command``, ``python``).

    Args:
        name: The backend's registered name.
        params: Its validated params (``version`` among them).
        code_sha256: What each code file is (e.g. ``"module"``, ``"argv[1]"``)
            → the `file_sha256` of it, so that editing the code is a cache miss.
    """
    return Fingerprint(
        kind="backend",
        name=name,
        version="1",
        params={**params.model_dump(mode="json"), "code_sha256": code_sha256},
    )


ParamsT = TypeVar("ParamsT", bound=BaseModel)
Factory = Callable[[Any, BuildContext], Summarizer]


@dataclass(frozen=True)
class BackendEntry:
    """A registered backend: its params model and factory."""

    name: str
    factory: Factory
    params_model: type[BaseModel]
    description: str


BACKENDS: Registry[BackendEntry] = Registry("backend")


FactoryT = Callable[[ParamsT, BuildContext], Summarizer]


def backend(
    name: str, params: type[ParamsT], description: str
) -> Callable[[FactoryT[ParamsT]], FactoryT[ParamsT]]:
    """Register a backend factory.

    Args:
        name: The name configs use in ``systems[].backend``.
        params: Pydantic model of the backend's ``params`` (``extra="forbid"``).
        description: One line for ``harness list`` and the README.
    """

    def register(factory: FactoryT[ParamsT]) -> FactoryT[ParamsT]:
        BACKENDS.add(name, BackendEntry(name, factory, params, description))
        return factory

    return register


def build_backend(system: SystemConfig, context: BuildContext, where: str) -> Summarizer:
    """Validate ``system.params`` and build its summarizer.

    Args:
        system: The system's config.
        context: Build context.
        where: Location for errors, e.g. ``"configs/x.yaml: systems[2]"``.

    Raises:
        ConfigError: Unknown backend or invalid params.
    """
    entry = BACKENDS.get(system.backend, where=f"{where}.backend")
    check_param_numbers(entry.params_model, system.params, where)
    try:
        params = entry.params_model.model_validate(system.params)
    except ValidationError as error:
        raise ConfigError(
            validation_message(error, f"{where}.params", model=entry.params_model)
        ) from None
    try:
        return entry.factory(params, context)
    except HarnessError as error:  # a model, program or file the params name: say which
        error.at(where)
        raise


__all__ = [
    "BACKENDS",
    "BackendEntry",
    "BuildContext",
    "Generation",
    "Summarizer",
    "VersionParam",
    "backend",
    "build_backend",
    "file_sha256",
    "user_code_fingerprint",
]
