"""Which calls are on their way to which Ray actor, and which one an actor's death is charged to.

The ``ray`` executor keeps two calls on their way to each actor, so that the
next task waits on the actor while one runs. When an actor dies with two
unanswered calls, the driver cannot tell which of them it was running: Ray
answers calls out of order, and the answer of a call that finished just
before the actor died can be lost with it (a call that ended well is then
reported as killed). So a death counts against a task only when it was the
actor's one unanswered call. Every task that was on its way to an actor that
died is a *suspect*: it runs again uncounted, and from then on alone on an
actor (no other call before or behind it), so its next death is its own.

Kept apart from the executor so that the rule can be tested without Ray's
timing deciding the case.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field


@dataclass
class ActorCalls:
    """The calls on their way to each actor (a handle hashes by its actor id).

    A suspect goes only to an idle actor, which then takes no other call until
    it answers: so a call runs alone exactly when it is a suspect's.

    Attributes:
        on_way: Per actor, the tasks sent to it and not answered yet.
        suspects: Tasks that were on their way to an actor that died.
    """

    on_way: dict[Hashable, list[int]] = field(default_factory=dict)
    suspects: set[int] = field(default_factory=set)
    _charged: dict[Hashable, int | None] = field(default_factory=dict)

    def may_take(self, actor: Hashable, index: int) -> bool:
        """Whether ``index`` may go to ``actor`` now: a suspect only to an idle actor."""
        return index not in self.suspects or not self.on_way.get(actor)

    def sent(self, actor: Hashable, index: int) -> bool:
        """Note a call sent; True when it runs alone (the actor takes no other until it ends)."""
        self.on_way.setdefault(actor, []).append(index)
        return index in self.suspects

    def answered(self, actor: Hashable, index: int) -> bool:
        """Note an answer; True when the call ran alone (all the actor's slots are free again)."""
        self.on_way[actor].remove(index)
        alone = index in self.suspects
        self.suspects.discard(index)
        return alone

    def died(self, actor: Hashable, index: int) -> tuple[bool, bool]:
        """Note that ``index``'s actor died before answering it.

        Returns:
            ``(first, charged)``: whether this is the first news of the
            actor's death (replace it), and whether the death counts
            against ``index`` (it was the actor's one unanswered call when
            the first news came). Either way ``index`` is a suspect now.
        """
        first = actor not in self._charged
        if first:
            calls = self.on_way[actor]
            self._charged[actor] = calls[0] if len(calls) == 1 else None
        self.on_way[actor].remove(index)
        self.suspects.add(index)
        return first, self._charged[actor] == index

    def is_dead(self, actor: Hashable) -> bool:
        """Whether news of ``actor``'s death came (it takes no more calls)."""
        return actor in self._charged

    def settled(self, index: int) -> None:
        """``index`` will not run again (it failed for good)."""
        self.suspects.discard(index)
