"""`PlotSpec`: everything one figure shows, as plain data (its content key included)."""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from typing import Literal

from harness.report.reuse import content_key


def _label(text: str) -> str:
    # A "$" in a name would otherwise start matplotlib's math mode (and an odd
    # number of them is a parse error).
    return text.replace("$", r"\$")


@dataclass(frozen=True)
class MeanPoint:
    """One system's mean in a panel: its x position, mean, CI bounds and whether it is best."""

    position: int
    mean: float
    low: float
    high: float
    best: bool


@dataclass(frozen=True)
class Box:
    """One system's per-example values in a panel, at x position ``position``."""

    position: int
    values: tuple[float, ...]


@dataclass(frozen=True)
class Panel:
    """One value of the metric: its title and its points (means) or boxes (distribution)."""

    title: str
    points: tuple[MeanPoint, ...] = ()
    boxes: tuple[Box, ...] = ()


@dataclass(frozen=True)
class PlotSpec:
    """Everything one figure shows; `draw` draws it from this alone.

    Attributes:
        kind: ``"means"`` (error bars) or ``"distribution"`` (box plots).
        title: The figure's title.
        systems: The x tick labels, one per system, in order.
        panels: One per value of the metric.
    """

    kind: Literal["means", "distribution"]
    title: str
    systems: tuple[str, ...]
    panels: tuple[Panel, ...]

    def key(self) -> str:
        """The content key of the PNG this spec draws (of every field, recursively)."""
        return content_key("plot", _plain(self))


def _plain(value: object) -> object:
    # `dataclasses.asdict` without its per-float deep copies (a distribution
    # holds every example's value): a dataclass becomes the list of its fields.
    if is_dataclass(value) and not isinstance(value, type):
        return [_plain(getattr(value, item.name)) for item in fields(value)]
    if isinstance(value, tuple):
        return [_plain(item) for item in value] if value and is_dataclass(value[0]) else value
    return value
