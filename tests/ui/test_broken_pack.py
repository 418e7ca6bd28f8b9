"""A broken imported pack is refused with its problems; the app runs with the others."""

from __future__ import annotations

import shutil

from PySide6.QtWidgets import QLabel, QMessageBox

from classroom_app.core import paths


def test_a_broken_pack_is_named_on_the_home_screen(make_window, ctx) -> None:
    target = paths.imported_lessons_dir() / "broken-lesson"
    shutil.copytree(paths.shipped_lessons_dir() / "p2-teach-by-examples", target)
    (target / "en" / "intro.md").unlink()
    ctx.reload_lessons()
    window = make_window()
    warnings = [label for label in window.home.findChildren(QLabel)
                if "broken-lesson" in label.text()]
    assert warnings and "en/intro.md" in warnings[0].toolTip()
    assert len(window.home.cards) == len(ctx.library.lessons) >= 9


def test_importing_a_bad_zip_shows_why(make_window, on_modal, tmp_path) -> None:
    window = make_window(teacher=True)
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"definitely not a zip")
    messages = []

    def read_and_close(dialog) -> None:
        messages.append(dialog.text())
        dialog.button(QMessageBox.StandardButton.Ok).click()

    on_modal(read_and_close)
    window.import_lesson(bad)
    assert messages and "zip" in messages[0]
