"""The queue's transition table and its guard: every allowed transition and every refusal."""

import pytest

from accounts.errors import TransitionNotAllowed
from moderation.models import ItemState
from moderation.queue.workflow import TRANSITIONS, assert_transition, can_transition

ALL = [s.value for s in ItemState]
ALLOWED = sorted((a, b) for a, tos in TRANSITIONS.items() for b in tos)
REFUSED = sorted((a, b) for a in ALL for b in ALL if b not in TRANSITIONS.get(a, ()))


class _Item:
    def __init__(self, state):
        self.state = state


def test_transitions_cover_every_state():
    assert set(TRANSITIONS) == set(ALL)


@pytest.mark.parametrize(("src", "dst"), ALLOWED)
def test_assert_transition_allowed_passes(src, dst):
    assert_transition(_Item(src), dst)
    assert can_transition(src, dst)


@pytest.mark.parametrize(("src", "dst"), REFUSED)
def test_assert_transition_refused_raises_swedish_message(src, dst):
    with pytest.raises(TransitionNotAllowed) as exc:
        assert_transition(_Item(src), dst)
    assert "Inlägget" in exc.value.message
    assert exc.value.status_code == 409


def test_workflow_main_path_new_review_decided_reopened():
    path = ["new", "in_review", "decided", "reopened", "in_review", "decided"]
    for a, b in zip(path, path[1:], strict=False):
        assert can_transition(a, b), (a, b)


def test_decided_only_reopens():
    assert TRANSITIONS["decided"] == frozenset({"reopened"})
    with pytest.raises(TransitionNotAllowed, match="redan beslutat"):
        assert_transition(_Item("decided"), "decided")
