"""Number and text formatting every report format shares (Markdown, rich, LaTeX, HTML).

Pure functions of plain values: how a table number, a signed difference, a
name from the data (escaped for one Markdown cell) and a direction arrow are
written. `harness.report.table` and `harness.report.meta` both use them.
"""

from __future__ import annotations

import re


def format_number(value: float | None, digits: int = 3) -> str:
    """Format a table number; ``None`` shows as an em dash.

    >>> format_number(0.41234), format_number(None), format_number(123.456)
    ('0.412', '—', '123.5')
    """
    if value is None:
        return "—"
    if abs(value) >= 100:
        return f"{value:.1f}"
    return f"{value:.{digits}f}"


def format_value(value: float | None, digits: int | None) -> str:
    """A number with ``digits`` decimals; ``None`` digits: `format_number`'s default.

    >>> format_value(0.41234, 2), format_value(123.456, 3), format_value(123.456, None)
    ('0.41', '123.456', '123.5')
    """
    if digits is None or value is None:
        return format_number(value)
    return f"{value:.{digits}f}"


def format_diff(value: float | None, digits: int = 3) -> str:
    """A signed difference; ``None`` shows as an em dash.

    >>> format_diff(0.0412), format_diff(-0.2), format_diff(None)
    ('+0.041', '-0.200', '—')
    """
    if value is None:
        return "—"
    value += 0.0  # -0.0 -> 0.0, so a zero difference never prints as "+-0.000"
    return ("+" if value >= 0 else "") + format_number(value, digits)


def format_signed(value: float | None, digits: int) -> str:
    """A signed number with exactly ``digits`` decimals; ``None`` shows as an em dash.

    >>> format_signed(0.0412, 2), format_signed(-0.0, 3)
    ('+0.04', '+0.000')
    """
    if value is None:
        return "—"
    value += 0.0  # -0.0 -> 0.0
    return f"{value:+.{digits}f}"


def format_difference(
    diff: float | None, ci_low: float | None, ci_high: float | None, digits: int | None = None
) -> str:
    """``+diff [low, high]``: a paired difference and its interval, as every report writes it.

    The interval is written as its two bounds, never as ``± half-width``: a bootstrap
    interval need not be symmetric about the difference.

    >>> format_difference(-0.3001, -0.3807, -0.2468), format_difference(0.5, None, None, 2)
    ('-0.300 [-0.381, -0.247]', '+0.50')
    """
    text = format_diff(diff) if digits is None else format_signed(diff, digits)
    if diff is not None and ci_low is not None and ci_high is not None:
        text += f" [{format_value(ci_low, digits)}, {format_value(ci_high, digits)}]"
    return text


# Every line break str.splitlines knows (U+2028, U+0085, ... included): each would end
# a table row early in some renderer.
_LINE_BREAK = re.compile("\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_MD_SPECIAL = {"\\": "\\\\", "|": "\\|", "&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MD_SPECIAL_RE = re.compile("[\\\\|&<>]")


def escape_markdown(text: str) -> str:
    r"""Escape a name from the data for one GitHub-flavoured Markdown table cell or heading.

    ``|`` cannot end the cell, HTML is shown as text, and a line break becomes
    ``<br>`` instead of ending the table row.

    >>> print(escape_markdown("a|b <i>x</i> & c\nd"))
    a\|b &lt;i&gt;x&lt;/i&gt; &amp; c<br>d
    """
    escaped = _MD_SPECIAL_RE.sub(lambda match: _MD_SPECIAL[match.group(0)], text)
    return _LINE_BREAK.sub("<br>", escaped)


def markdown_code(text: str) -> str:
    r"""``text`` as one Markdown code span, whatever backticks or line breaks it holds.

    >>> print(markdown_code("lead3"), markdown_code("a`b"), markdown_code("x\ny"))
    `lead3` ``a`b`` `x y`
    """
    flat = _LINE_BREAK.sub(" ", text)
    fence = "`" * (max((len(run) for run in re.findall("`+", flat)), default=0) + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def format_confidence(confidence: float) -> str:
    """A confidence level as a percentage, with as many decimals as it has.

    ``.0%`` would round 0.999 up to "100%" (an interval that covers everything)
    and 0.975 to "97%": the legends would name another level than the CSV's ``ci99.9``.

    >>> format_confidence(0.95), format_confidence(0.999), format_confidence(0.9)
    ('95%', '99.9%', '90%')
    """
    return f"{confidence * 100:g}%"


def direction_arrow(higher_is_better: bool | None) -> str:
    """↑ when higher is better, ↓ when lower is better, nothing otherwise."""
    return {True: " ↑", False: " ↓", None: ""}[higher_is_better]


__all__ = [
    "direction_arrow",
    "escape_markdown",
    "format_confidence",
    "format_diff",
    "format_difference",
    "format_number",
    "format_signed",
    "format_value",
    "markdown_code",
]
