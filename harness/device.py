"""The torch device of a model-based component: chosen, checked and described.

``hf``, ``nli``, ``bertscore`` and ``embedding`` take a ``device`` param:

- ``"auto"`` (the default) is ``"cuda"`` when torch sees a CUDA GPU, else
  ``"cpu"``. Nothing requires a GPU.
- An explicit device (``"cpu"``, ``"cuda"``, ``"cuda:1"``, ``"mps"``) is
  checked against what torch sees when the component is built, so a config
  that asks for a GPU the machine lacks fails before any work is done, with
  an error that says what torch sees.

The device a component ran on is not part of its fingerprint (it should not
change what a model says), but the manifest records it per component with the
GPU's name (`describe_device`), so a result can be traced to the hardware.
"""

from __future__ import annotations

from typing import Any

from harness.errors import ConfigError

AUTO = "auto"


def resolve_device(torch: Any, device: str, owner: str) -> str:
    """The torch device string for a configured ``device``.

    Args:
        torch: The imported ``torch`` module (callers import it lazily).
        device: ``"auto"`` or a torch device string.
        owner: The component, for messages (e.g. ``"the nli metric"``).

    Raises:
        ConfigError: The string is not a torch device, or names a device
            torch cannot see.
    """
    if device == AUTO:
        return "cuda" if torch.cuda.is_available() else "cpu"
    hint = "use device: auto (a GPU when torch sees one, else the CPU) or device: cpu"
    try:
        parsed = torch.device(device)
    except (RuntimeError, ValueError, TypeError):
        raise ConfigError(
            f"{owner}: params.device is {device!r}, which is not a torch device",
            hint=f"{hint}; other devices are written like 'cuda:1' or 'mps'",
        ) from None
    if parsed.type == "cuda":
        if not torch.cuda.is_available():
            raise ConfigError(
                f"{owner}: params.device is {device!r}, but torch {torch.__version__} "
                "sees no CUDA device",
                hint=f"{hint}, or install a CUDA build of torch",
            )
        count = torch.cuda.device_count()
        if parsed.index is not None and parsed.index >= count:
            raise ConfigError(
                f"{owner}: params.device is {device!r}, but torch sees {count} CUDA "
                f"device(s): cuda:0 to cuda:{count - 1}",
                hint=hint,
            )
    elif parsed.type == "mps" and not torch.backends.mps.is_available():
        raise ConfigError(
            f"{owner}: params.device is {device!r}, but torch {torch.__version__} "
            "sees no Apple MPS device",
            hint=hint,
        )
    return device


def describe_device(torch: Any, device: str) -> str:
    """``device`` with the GPU's name for the manifest, e.g. ``"cuda (NVIDIA H100)"``.

    >>> import torch
    >>> describe_device(torch, "cpu")
    'cpu'
    """
    parsed = torch.device(device)
    if parsed.type != "cuda":
        return device
    index = parsed.index if parsed.index is not None else torch.cuda.current_device()
    return f"{device} ({torch.cuda.get_device_name(index)})"


__all__ = ["AUTO", "describe_device", "resolve_device"]
