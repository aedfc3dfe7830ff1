from __future__ import annotations

from bot.flood import FloodGuard


def test_a_burst_gets_one_warning_then_silence_and_others_are_untouched() -> None:
    now = [0.0]
    guard = FloodGuard(burst=5, window=2.0, clock=lambda: now[0])
    answers = []
    for _ in range(30):
        answers.append(guard.check("a"))
        now[0] += 0.01
    assert answers[:5] == ["ok"] * 5
    assert answers[5] == "warn"
    assert set(answers[6:]) == {"drop"}
    assert guard.check("b") == "ok"  # another user is not slowed down
    now[0] += 3.0  # quiet for a while: a person again
    assert guard.check("a") == "ok"
    guard.forget_idle()
    assert "a" in guard._seen


def test_a_person_typing_is_never_slowed() -> None:
    now = [0.0]
    guard = FloodGuard(clock=lambda: now[0])
    for _ in range(50):
        assert guard.check("a") == "ok"
        now[0] += 1.0
