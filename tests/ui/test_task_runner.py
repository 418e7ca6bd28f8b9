"""The one task runner the views share: results, errors and progress reach the GUI
thread, and nothing of a cancelled or replaced task ever does."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QObject

from classroom_app.ui import workers
from classroom_app.ui.workers import TaskRunner

WAIT = 10000


class Seen:
    """What a view would have been told."""

    def __init__(self, runner: TaskRunner) -> None:
        self.done: list[object] = []
        self.failed: list[str] = []
        self.progress: list[tuple[int, int, object]] = []
        runner.done.connect(self.done.append)
        runner.failed.connect(self.failed.append)
        runner.progress.connect(lambda *values: self.progress.append(values))


@pytest.fixture
def runner(qtbot) -> Iterator[TaskRunner]:  # noqa: ANN001 - pytest-qt's fixture
    owner = QObject()
    runner = TaskRunner(owner)
    yield runner
    runner.shutdown()
    owner.deleteLater()


def held(gate: threading.Event, result: object = "late") -> Callable:
    """A task that waits for ``gate`` (or to be asked to stop), then returns ``result``."""

    def work(report: Callable, should_stop: Callable[[], bool]) -> object:
        while not gate.wait(0.01) and not should_stop():
            pass
        return result

    return work


def test_the_result_reaches_the_view_and_the_runner_is_idle_again(qtbot, runner) -> None:
    """A function's return value arrives as ``done``, on the GUI thread."""
    seen = Seen(runner)
    on_gui: list[bool] = []
    runner.done.connect(lambda _: on_gui.append(
        threading.current_thread() is threading.main_thread()))
    with qtbot.waitSignal(runner.done, timeout=WAIT):
        runner.start(lambda: 6 * 7)
    assert runner.busy is False
    assert seen.done == [42] and seen.failed == [] and on_gui == [True]


def test_an_expected_error_arrives_as_its_message(qtbot, runner) -> None:
    """One of the ``errors`` given ends the task as ``failed`` with the error's words."""
    seen = Seen(runner)

    def work() -> object:
        raise ValueError("no such file")

    with qtbot.waitSignal(runner.failed, timeout=WAIT):
        runner.start(work, (ValueError,))
    assert seen.failed == ["no such file"] and seen.done == [] and not runner.busy


def test_an_unforeseen_error_still_ends_the_task(qtbot, runner, monkeypatch) -> None:
    """A bug in the work is shown (sys.excepthook) and never leaves the view busy."""
    shown: list[type] = []
    monkeypatch.setattr(workers.sys, "excepthook", lambda kind, *_: shown.append(kind))

    def work() -> object:
        raise KeyError("oops")

    with qtbot.waitSignal(runner.failed, timeout=WAIT):
        runner.start(work, (ValueError,))
    assert shown == [KeyError] and not runner.busy


def test_progress_arrives_in_order_before_the_result(qtbot, runner) -> None:
    """``report(done, total)`` and ``report(done, total, detail)`` become ``progress``."""
    seen = Seen(runner)

    def work(report: Callable, should_stop: Callable[[], bool]) -> str:
        for done in range(1, 4):
            report(done, 3)
        report(1, 1, "detail")
        return "finished"

    with qtbot.waitSignal(runner.done, timeout=WAIT):
        runner.start(work)
    assert seen.progress == [(1, 3, None), (2, 3, None), (3, 3, None), (1, 1, "detail")]
    assert seen.done == ["finished"]


def test_a_task_cancelled_before_it_ends_is_asked_to_stop_and_its_result_dropped(
        qtbot, runner) -> None:
    """After ``cancel``, the work sees ``should_stop()`` and whatever it returns is lost."""
    seen = Seen(runner)
    stopped = threading.Event()

    def work(report: Callable, should_stop: Callable[[], bool]) -> str:
        while not should_stop():
            report(0, 1)
            threading.Event().wait(0.01)
        stopped.set()
        report(1, 1)
        return "too late"

    runner.start(work)
    qtbot.waitUntil(lambda: len(seen.progress) > 0, timeout=WAIT)
    runner.cancel()
    assert not runner.busy
    qtbot.waitUntil(lambda: stopped.is_set() and not runner._tasks, timeout=WAIT)
    qtbot.wait(50)  # anything still queued would arrive now
    assert seen.done == [] and seen.failed == [] and (1, 1, None) not in seen.progress


def test_a_replaced_task_never_reaches_the_view(qtbot, runner) -> None:
    """Starting a task cancels the running one: only the newer result arrives, even when
    the older one ends later."""
    seen = Seen(runner)
    first, second = threading.Event(), threading.Event()
    runner.start(held(first, "old"))
    runner.start(held(second, "new"))
    assert not second.is_set()
    with qtbot.waitSignal(runner.done, timeout=WAIT):
        second.set()
    first.set()
    qtbot.waitUntil(lambda: not runner._tasks, timeout=WAIT)
    qtbot.wait(50)
    assert seen.done == ["new"]


def test_shutdown_while_running_stops_and_waits_for_the_thread(qtbot, runner) -> None:
    """Closing a view with work under way: the task is asked to stop, its thread has
    ended when ``shutdown`` returns, and its result never arrives."""
    seen = Seen(runner)
    runner.start(held(threading.Event()))
    task = runner._task
    runner.shutdown()
    assert task.isFinished() and not runner.busy and not runner._tasks
    qtbot.wait(50)
    assert seen.done == []


def test_shutdown_lets_go_of_a_task_that_will_not_stop_in_time(qtbot, runner) -> None:
    """A task that ignores the request outlives the wait parentless, so the view can be
    destroyed without destroying a running thread; it is forgotten once it ends."""
    seen, gate = Seen(runner), threading.Event()
    runner.start(lambda: gate.wait(WAIT / 1000))
    runner.shutdown(wait_ms=50)
    assert not runner._tasks and len(workers._LEAVING) == 1
    leaving = next(iter(workers._LEAVING))
    assert leaving.isRunning() and leaving.parent() is None
    gate.set()
    qtbot.waitUntil(lambda: not workers._LEAVING, timeout=WAIT)
    assert seen.done == []


def test_shutdown_with_deliver_hands_over_a_result_that_came_in_time(qtbot, runner) -> None:
    """The class hub must stop a server that started just before the window closed."""
    seen = Seen(runner)
    runner.start(lambda: "server")
    runner.shutdown(deliver=True)
    assert seen.done == ["server"]
    qtbot.wait(50)  # the queued end of the same task is not delivered twice
    assert seen.done == ["server"]
