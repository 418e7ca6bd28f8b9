"""Drives the real app as a student, as fast as it can, until it is killed.

Prints ``SHOWN <attempt> <step>`` each time the lesson player shows a step as
completed, so that the test that kills this process knows what must have survived.
"""

from __future__ import annotations

import os
import sys
from datetime import date

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from classroom_app.app import build_main_window  # noqa: E402
from classroom_app.core.context import open_context  # noqa: E402
from classroom_app.ui import theme  # noqa: E402
from classroom_app.ui.gui_gc import GuiGarbageCollector  # noqa: E402
from classroom_app.ui.lessons.quiz_view import QuizView  # noqa: E402
from classroom_app.ui.lessons.step_views import ReflectionStepView  # noqa: E402


def main() -> None:
    app = QApplication(sys.argv[:1])
    GuiGarbageCollector(app)
    theme.apply(app)
    ctx = open_context()
    if not ctx.store.classes():
        info = ctx.store.add_class("四(1)班", "primary", 4, date.today().isoformat())
        ctx.store.add_learners(info.id, [("1", "小明")])
    info = ctx.store.classes()[0]
    learner = ctx.store.learners(info.id)[0]
    window = build_main_window(ctx)
    window.show()
    lessons = ctx.library.by_stage("primary")
    state = {"lesson": 0}

    def open_next_lesson() -> None:
        lesson = lessons[state["lesson"] % len(lessons)]
        state["lesson"] += 1
        window.learner_picked(info, learner)
        window.open_student_lesson(lesson)
        player = window.player
        player.step_completed.connect(
            lambda step_id, p=player: print(f"SHOWN {p.attempt.id} {step_id}", flush=True))
        player.finished.connect(lambda: QTimer.singleShot(0, open_next_lesson))

    def act() -> None:
        player = window.player
        if player is None or window.stack.currentWidget() is not player:
            return
        view = player.views.get(player.index)
        if isinstance(view, QuizView) and view.index not in view.answered:
            view.buttons[0].click()
            view.check()
        elif isinstance(view, ReflectionStepView) and not view.response():
            view.editor.setPlainText("我明白了。")
        else:
            player.next()

    open_next_lesson()
    timer = QTimer()
    timer.timeout.connect(act)
    timer.start(5)
    print("READY", flush=True)
    app.exec()


if __name__ == "__main__":
    main()
