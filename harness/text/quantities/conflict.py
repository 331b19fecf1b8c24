"""Context conflicts: whether two equal values are stated of different things.

On an axis of `cues.CONTEXT_AXES` ("2,700 wounded" is not "2,700 died"), in time (an
earlier value of a comparison stated as the current one), or by frame: the summary's
words tie the value to another source value (`moved_to`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from harness.text.quantities.cues import AXIS_KINDS, CONTEXT_AXES, CUE_CLASSES, HYPERNYMS
from harness.text.quantities.equivalence import comparable, equivalent
from harness.text.quantities.record import MatchSettings, Quantity

# kinds whose frame words are compared (see `moved_to`)
_FRAMED = frozenset({"count", "money", "percent", "quantity"})
_AXIS_CLASSES = frozenset().union(*CONTEXT_AXES.values())
_TIMED_KINDS = frozenset({"count", "money", "percent", "quantity", "duration"})
# a summary value marked as a comparison may be an earlier value
_COMPARING = frozenset({"baseline", "past", "compare"})


def _unanchored(summary: frozenset[str], source: frozenset[str]) -> bool:
    """The summary states as current a value the source gives as an earlier one:
    it does not mark it as a comparison, and does not tie it to the time the
    source ties it to ("5.5 percent in August" for "from 5.5 percent in August"
    is fine; "in September" is not)."""
    if _COMPARING & summary:
        return False
    s_times = {c for c in summary if c.startswith("dated:")}
    c_times = {c for c in source if c.startswith("dated:")}
    if s_times and not c_times:
        return False
    return not (s_times & c_times)


def _normalise(classes: Iterable[str]) -> frozenset[str]:
    found = set(classes)
    for hyper, hypos in HYPERNYMS.items():
        if hypos <= found:
            found.add(hyper)
    return frozenset(found)


def _covers(summary_class: str, source_class: str) -> bool:
    return summary_class == source_class or source_class in HYPERNYMS.get(
        summary_class, frozenset()
    )


def _axis_part(classes: frozenset[str], axis: str) -> frozenset[str]:
    members = CONTEXT_AXES[axis]
    return frozenset(c for c in classes if c in members or c == f"total:{axis}")


def _axes_for(kind: str) -> list[str]:
    return [axis for axis in CONTEXT_AXES if kind in AXIS_KINDS[axis]]


def context_conflict(
    summary_classes: Iterable[str], source_classes: Iterable[str], kind: str = "count"
) -> str | None:
    """The axis on which two context class sets conflict, else ``None``.

    >>> context_conflict({"death"}, {"injury"})
    'event'
    >>> context_conflict({"casualty"}, {"death"}) is None
    True
    >>> context_conflict({"death"}, {"casualty"})
    'event'
    >>> context_conflict({"death"}, set()) is None
    True
    """
    s_all = _normalise(summary_classes)
    c_all = _normalise(source_classes)
    for axis in _axes_for(kind):
        s_part = _axis_part(s_all, axis)
        c_part = _axis_part(c_all, axis)
        if s_part and c_part and not any(_covers(a, b) for a in s_part for b in c_part):
            return axis
    # an earlier value ("up from 12.4 million") stated as if it were the current one
    if kind in _TIMED_KINDS and "baseline" in c_all and _unanchored(s_all, c_all):
        return "time"
    return None


def conflict_with(s: Quantity, classes: Iterable[str], settings: MatchSettings) -> str | None:
    """`context_conflict` of summary quantity ``s`` against ``classes``; ``None`` when
    the settings switch the context check off."""
    if not settings.context:
        return None
    return context_conflict(s.context, classes, s.kind)


def merged_context(a: Quantity, b: Quantity) -> frozenset[str]:
    """Context of a sum/difference: shared classes, or the covering class, or a total."""
    merged: set[str] = set()
    ca, cb = _normalise(a.context), _normalise(b.context)
    for axis in CONTEXT_AXES:
        pa, pb = _axis_part(ca, axis), _axis_part(cb, axis)
        if not pa or not pb:
            continue
        if pa == pb:
            merged |= pa
            continue
        union = pa | pb
        hyper = [h for h, hypos in HYPERNYMS.items() if union <= hypos | {h}]
        merged |= {hyper[0]} if hyper else {f"total:{axis}"}
    return frozenset(merged)


def axis_cues(q: Quantity, axis: str) -> str:
    """The words of ``q`` on ``axis`` for an evidence sentence: its cues, or its counted word."""
    if axis == "thing":
        return q.counted or ""
    if axis not in CONTEXT_AXES:
        return ""
    members = CONTEXT_AXES[axis]
    words = [w for w in q.cues if any(c in members for c in CUE_CLASSES.get(w, ()))]
    return "/".join(words)


def same_setting(s: Quantity, c: Quantity) -> bool:
    """The same counted word, or (with none) exactly the same context classes."""
    if s.counted is not None:
        return s.counted == c.counted
    return c.counted is None and set(s.context) == set(c.context)


def agrees(s: Quantity, c: Quantity) -> bool:
    """Both quantities have classes on an axis and the summary's cover the source's."""
    s_all, c_all = _normalise(s.context), _normalise(c.context)
    for axis in _axes_for(s.kind):
        s_part, c_part = _axis_part(s_all, axis), _axis_part(c_all, axis)
        if s_part and c_part and any(_covers(a, b) for a in s_part for b in c_part):
            return True
    return False


_THING_AXES = ("event", "trade", "damage", "attack")


def shared_axis(a: Iterable[str], b: Iterable[str]) -> bool:
    """Both class sets have classes on one of the event, trade, damage or attack axes."""
    ca, cb = _normalise(a), _normalise(b)
    return any(_axis_part(ca, axis) and _axis_part(cb, axis) for axis in _THING_AXES)


def _slots(q: Quantity) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """What a quantity is stated of: frame words, counted word, context classes."""
    counted = frozenset((q.counted,)) if q.counted else frozenset()
    return frozenset(q.frame), counted, frozenset(q.context) & _AXIS_CLASSES


def moved_to(
    s: Quantity, c: Quantity, source: Sequence[Quantity], settings: MatchSettings
) -> tuple[Quantity, str] | None:
    """Another source value that the summary's words tie ``s`` to instead of ``c``.

    The source states another value ``d`` (of the same kind, not equivalent to
    ``s``) of a frame word or the counted word of the summary quantity, which
    ``c`` does not have ("Gábor Tóth, took 41.8%" for "Gábor Tóth took 52.4%";
    "the IMF cut its growth forecast to 2.8%, while the World Bank kept its
    estimate at 2.3%" for "the IMF cut its growth forecast to 2.3%"; the
    counted word only if ``c`` counts nothing and is no part), and nothing the
    summary says of ``s`` ties it to ``c`` rather than to ``d``: no frame
    word, counted word or context class shared with ``c`` and not with ``d``,
    where ``d`` has some of that sort (if ``d`` has no counted word, an
    agreeing one of ``c`` tells nothing), and no frame word of ``s`` (not
    ``d``'s) in the sentence of ``c`` but not in that of ``d``. ``d`` is in
    the sentence of ``c`` or the next or previous one, and is not the other
    value of a change with ``c`` ("from 2.9% to 1.5%"). Returns ``(d, the
    shared word)``, else ``None``.
    """
    if s.kind not in _FRAMED or c.kind != s.kind or "baseline" in s.context:
        return None  # (the words of a change belong to both its values)
    mine, theirs = _slots(s), _slots(c)
    if not (mine[0] or mine[1]):
        return None
    for d in source:
        if d is c or d.kind != s.kind or abs(d.sentence - c.sentence) > 1:
            continue
        if c.sentence == d.sentence and "baseline" in {*c.context, *d.context}:
            continue  # two values of one thing at two times ("from 2.9% to 1.5%")
        if comparable(s, d) is None or equivalent(s, d, settings):
            continue
        other = _slots(d)
        toward = sorted((mine[0] & other[0]) - theirs[0])
        if c.counted is None and "part" not in c.context:
            # (a part counts what its whole counts: "31 of 44 drones")
            toward += sorted(mine[1] & other[1])
        if not toward:
            continue
        if any((m & t) - o for m, t, o in zip(mine, theirs, other, strict=True) if o):
            continue
        if c.sentence != d.sentence and (mine[0] - other[0]) & (
            c.sentence_words - d.sentence_words
        ):
            continue  # the summary's other words are in c's sentence, not d's
        return d, toward[0]
    return None
