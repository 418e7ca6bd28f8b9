"""What both ends of ``classroom session`` print: where the lesson is, on which stream,
and how a command waits for Ctrl-C."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys

from classroom_app.core.i18n import tr
from classroom_app.core.session.protocol import LessonState


def say(text: str, error: bool = False) -> None:
    print(text, file=sys.stderr if error else sys.stdout, flush=True)


def until_signal(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        # Windows' loops have no signal handlers (NotImplementedError); there Ctrl-C
        # arrives as KeyboardInterrupt instead, which run() handles.
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(number, stop.set)


def describe(state: LessonState, steps: int = 0, titles: tuple[str, ...] = ()) -> str:
    """Where the lesson is, for people: steps counted from 1."""
    if state.ended:
        return tr("the lesson has ended")
    shown = state.step + 1
    step = (tr("step {step} of {count}").format(step=shown, count=steps) if steps
            else tr("step {step}").format(step=shown))
    if state.step < len(titles) and titles[state.step]:
        step = f"{step} ({titles[state.step]})"
    if state.activity == "quiz":
        return tr("{step}, quiz open").format(step=step)
    if state.demo is not None:
        return tr("{step}, demo {demo}").format(step=step, demo=state.demo)
    return step
