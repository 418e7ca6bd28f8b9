"""Screenshots of every projector step of some lessons, for review: run under Xvfb, e.g.

    xvfb-run -a -s "-screen 0 1024x768x24" \
        .venv/bin/python scripts/lesson_screenshots.py OUT [--lesson=ID ...] [--lang=en]

Without --lesson, the senior lessons. Each step is saved as OUT/<lesson>_<n>_<step>_<lang>.png
(a long step also as ..._more.png after one clicker press), and a line is printed for each
step that needs more than two screens or has a button cut off. Uses a throw-away data
directory.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("CLASSROOM_DATA_DIR", tempfile.mkdtemp(prefix="classroom-lessons-"))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QAbstractScrollArea  # noqa: E402
from shots import arguments, settle, shoot, start_app, teacher_window  # noqa: E402

from classroom_app.core.context import open_context  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "ui"))
from screen_fit import fit_problems  # noqa: E402


def screens(window) -> float:  # noqa: ANN001 - the projector window
    """How many screenfuls the step's longest scrolling area holds."""
    most = 1.0
    for area in window.findChildren(QAbstractScrollArea):
        bar = area.verticalScrollBar()
        if area.isVisible() and bar.maximum() > 0 and bar.pageStep() > 0:
            most = max(most, 1 + bar.maximum() / bar.pageStep())
    return most


def run(out: Path, ctx, lang: str, lesson_ids: list[str]) -> None:  # noqa: ANN001
    ctx.update_settings(language=lang)
    window = teacher_window(ctx, 1024, 768)
    info = ctx.store.classes()[0]
    for lesson_id in lesson_ids:
        lesson = ctx.library.get(lesson_id)
        window.present_lesson(lesson, info)
        player, projector = window.player, window.projector
        for index, step in enumerate(player.lesson.steps):
            player.go_to(index)
            name = f"{lesson_id}_{index + 1}_{step.id}_{lang}"
            shoot(projector, out / f"{name}.png")
            held = screens(projector)
            if held > 1.05:
                QTest.keyClick(player, Qt.Key.Key_PageDown)
                shoot(projector, out / f"{name}_more.png")
            for problem in fit_problems(projector):
                print(f"{name}: {problem}")
            if held > 2:
                print(f"{name}: {held:.1f} screens")
        projector.close()
        settle()
    window.close()


def main() -> None:
    out, options = arguments()
    start_app()
    ctx = open_context()
    ctx.store.add_class("高一(3)班", "senior", 10, "2026-09-01")
    lesson_ids = options.get("lesson") or [lesson.id for lesson in ctx.library.by_stage("senior")]
    for lang in options.get("lang", ["zh_CN", "en"]):
        run(out, ctx, lang, lesson_ids)
    ctx.close()


if __name__ == "__main__":
    main()
