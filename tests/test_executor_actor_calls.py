"""Whom a Ray actor's death is charged to (`harness.executor._actor_calls`), case by case.

`tests/test_executor_ray.py` kills real actors; which case a real run meets
depends on Ray's timing, so each case is also written out here.
"""

from __future__ import annotations

from harness.executor._actor_calls import ActorCalls


def test_a_death_with_one_call_on_its_way_is_charged_to_that_call() -> None:
    calls = ActorCalls()
    calls.sent("a", 0)
    assert calls.died("a", 0) == (True, True)
    assert calls.is_dead("a")


def test_a_lost_answer_charges_no_one_and_both_calls_run_again_alone() -> None:
    # Task 0 finished, but its answer was lost when task 1 killed the actor:
    # Ray reports both as killed, and either may come first.
    calls = ActorCalls()
    calls.sent("a", 0)
    calls.sent("a", 1)
    assert calls.died("a", 1) == (True, False)
    assert calls.died("a", 0) == (False, False)
    assert calls.suspects == {0, 1}
    # A suspect waits for an idle actor, and then has it to itself.
    calls.sent("b", 2)
    assert not calls.may_take("b", 0)
    assert calls.may_take("b", 3)
    assert calls.may_take("c", 0)
    assert calls.sent("c", 0) is True
    assert calls.answered("c", 0) is True  # every slot of c is free again
    assert calls.suspects == {1}
    assert calls.sent("d", 1) is True
    assert calls.died("d", 1) == (True, True)  # alone: its death is its own


def test_an_answer_after_the_news_of_the_death_frees_no_slot_of_the_dead_actor() -> None:
    calls = ActorCalls()
    calls.sent("a", 0)
    calls.sent("a", 1)
    assert calls.died("a", 1) == (True, False)
    assert calls.answered("a", 0) is False
    assert calls.is_dead("a")
    assert calls.suspects == {1}


def test_a_plain_call_is_not_alone_and_a_settled_suspect_is_forgotten() -> None:
    calls = ActorCalls()
    assert calls.sent("a", 0) is False
    assert calls.answered("a", 0) is False
    calls.sent("b", 1)
    calls.died("b", 1)
    calls.settled(1)
    assert calls.suspects == set()
