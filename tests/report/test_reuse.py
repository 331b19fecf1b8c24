"""Content keys of report files: what a plot shows decides its key; a damaged file has none."""

from __future__ import annotations

from harness.report.plots import Box, Panel, PlotSpec, draw
from harness.report.reuse import content_key, html_key, png_key, seal_html


def _spec(value: float = 0.5, system: str = "lead3") -> PlotSpec:
    panel = Panel("words ↑", boxes=(Box(0, (0.25, value)), Box(1, (1.0,))))
    return PlotSpec("distribution", "Length: per-example values", ("given", system), (panel,))


def test_key_changes_with_anything_the_plot_shows() -> None:
    base = _spec().key()
    assert _spec().key() == base
    assert _spec(value=0.75).key() != base
    assert _spec(system="lead1").key() != base
    assert content_key("html", {"x": 1}) != content_key("plot", {"x": 1})


def test_drawn_png_carries_its_key_and_a_damaged_one_none() -> None:
    spec = _spec()
    data = draw(spec)
    assert png_key(data) == spec.key()
    assert png_key(data[:-20]) is None  # truncated: IEND missing
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0x01  # inside the image data: its CRC no longer matches
    assert png_key(bytes(flipped)) is None
    assert png_key(data + b"extra") is None
    assert png_key(b"not a png") is None


def test_sealed_page_gives_its_key_only_while_whole() -> None:
    key = "ab" * 32
    sealed = seal_html("<!doctype html><html><p>hi</p></html>\n", key).encode("utf-8")
    assert html_key(sealed) == key
    assert html_key(sealed.replace(b"hi", b"ho")) is None
    assert html_key(sealed[:-1]) is None
    assert html_key(b"<html></html>\n") is None
