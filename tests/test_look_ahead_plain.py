"""The look-ahead decides only the days the decision may change on (issue
14): on random customers it finds exactly what deciding every day finds."""

import random
from dataclasses import replace
from datetime import date, timedelta

from odoo.addons.billing_followup.tools import followup_decision as logic

D = date(2026, 3, 2)


def day(n):
    return D + timedelta(days=n)


def every_day(items, history, settings, start, days):
    """The look-ahead as it was: one decision per day."""
    actions = []
    for offset in range(days):
        on = start + timedelta(days=offset)
        decision = logic.decide(items, history, settings, on)
        if isinstance(decision, logic.Action):
            if decision.clear_stage:
                settings = replace(settings, staged=False)
            if decision.step_id is None:
                continue
            actions.append((on, decision))
            sends = {s.step_id: s.sends for s in settings.steps}
            history = logic.record(history, decision, on, sends[decision.step_id])
    return actions


def maybe(rng, value, chance=0.3):
    return value if rng.random() < chance else None


def random_customer(rng):
    offsets = sorted(rng.sample(range(-10, 70), rng.randint(1, 7)))
    steps = tuple(
        logic.Step(
            n + 1,
            offset,
            approval=rng.random() < 0.1,
            severe=offset > 25 and rng.random() < 0.5,
            sends=rng.random() < 0.8,
        )
        for n, offset in enumerate(offsets)
    )
    items = [
        logic.Item(
            n + 1,
            day(rng.randint(-60, 40)),
            rng.choice([-50.0, 20.0, 100.0, 700.0]),
            in_flight=rng.random() < 0.1,
            disputed=rng.random() < 0.1,
            paused_until=maybe(rng, day(rng.randint(-5, 30)), 0.15),
            promised_on=maybe(rng, day(rng.randint(-5, 30)), 0.15),
            currency=rng.choice([1, 1, 2]),
        )
        for n in range(rng.randint(0, 6))
    ]
    settings = logic.Settings(
        steps=steps,
        min_interval=rng.choice([0, 2, 5]),
        blocked_weekdays=frozenset(rng.sample(range(7), rng.choice([0, 0, 2, 5]))),
        min_amounts={1: rng.choice([0.0, 50.0]), 2: 0.0},
        staged=rng.random() < 0.3,
        paused_until=maybe(rng, day(rng.randint(-3, 20)), 0.15),
        promise_grace=rng.choice([0, 3]),
        manual=rng.random() < 0.1,
        payday=rng.choice([0, 0, 5, 31]),
        payday_lead=rng.choice([0, 3]),
        notice_days=rng.choice([1, 7]),
        reply_pause=rng.choice([0, 0, 5]),
    )
    history = logic.History(replied_on=maybe(rng, day(rng.randint(-8, 10)), 0.2))
    for item in items:
        if rng.random() < 0.3 and steps:
            step = rng.choice(steps)
            history = logic.record(
                history,
                logic.Action(step.step_id, step.offset, item.due, (item.line_id,), ()),
                day(rng.randint(-20, 0)),
            )
    return items, history, settings


def test_look_ahead_finds_what_every_day_finds():
    rng = random.Random(14)
    acted = 0
    for _case in range(3000):
        items, history, settings = random_customer(rng)
        start, days = day(rng.randint(-10, 10)), rng.choice([1, 30, 60])
        expected = every_day(items, history, settings, start, days)
        assert logic.look_ahead(items, history, settings, start, days) == expected
        first = logic.look_ahead(items, history, settings, start, days, limit=1)
        assert first == expected[:1]
        acted += bool(expected)
    assert acted > 1000, "the cases act, not only skip"


def test_look_ahead_skips_the_quiet_days():
    """Nothing changes between two dates that matter: not decided."""
    calls = []
    item = logic.Item(1, day(25), 100.0)
    settings = logic.Settings(steps=(logic.Step(1, -3), logic.Step(2, 1)))
    decide = logic.decide
    try:
        logic.decide = lambda *args: calls.append(args[3]) or decide(*args)
        plan = logic.look_ahead([item], logic.History(), settings, day(0), 30)
    finally:
        logic.decide = decide
    assert [on for on, _action in plan] == [day(22), day(26)]
    assert calls == [day(0), day(22), day(23), day(26), day(27)]
