"""After presenting a lesson: who was there? A grid of large name tiles, everyone
present until touched, and an explicit confirm.

The dialog opens on the projector, where the teacher holds a presenter clicker: no key
(PageUp, PageDown, Space, Enter, B, Esc) changes a tile or confirms. Only a touch or a
click does, so a pupil is never marked absent, nor the list recorded, by accident.
"""

from __future__ import annotations

import math
from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from classroom_app.core.i18n import sentences, tr
from classroom_app.core.store import Learner
from classroom_app.ui.theme import repolish
from classroom_app.ui.window_fit import room

STYLE = """
QDialog QLabel { font-size: 16pt; }
QPushButton[tile="true"] { font-size: 14pt; padding: 0.3em 0.2em; min-height: 1.7em;
                            border-radius: 8px; }
QPushButton[tile="true"]:checked { background: #dff3e4; border: 2px solid #1b7f3b;
                                   color: #111; }
QPushButton[tile="true"]:!checked { background: #eeeeee; border: 2px dashed #9a9a9a;
                                    color: #777; }
QPushButton { font-size: 14pt; }
"""


def _quiet(button: QPushButton) -> QPushButton:
    """A button only a touch or a click presses (no focus, never the default)."""
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setAutoDefault(False)
    button.setDefault(False)
    return button


class AttendanceDialog(QDialog):
    def __init__(self, learners: list[Learner], minutes: float, steps_done: int = 0,
                 steps: int = 0, parent: QWidget | None = None, periods: int = 1) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Who attended?"))
        self.setStyleSheet(STYLE)
        self.tiles: dict[int, QPushButton] = {}
        layout = QVBoxLayout(self)
        done = tr("{done} of {total} steps were done: each pupil present gets {credit} class "
                  "periods.").format(done=steps_done, total=steps,
                                     credit=f"{periods * steps_done / max(steps, 1):.1f}")
        intro = QLabel(sentences(
            tr("The lesson took {minutes} minutes.").format(minutes=round(minutes)),
            done if steps else "",
            tr("Everyone counts as present: touch the name of anyone who was absent, then "
               "confirm.")))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self._grid(learners), 1)
        self.count = QLabel()
        layout.addWidget(self.count)
        layout.addLayout(self._buttons())
        self._update()
        area = room(parent if parent is not None else self)
        self.resize(min(area.width() - 40, 1000), min(area.height() - 60, 700))

    def _grid(self, learners: list[Learner]) -> QScrollArea:
        inner = QWidget()
        grid = QGridLayout(inner)
        columns = 6 if len(learners) > 30 else 5
        names = Counter(learner.name for learner in learners)
        for i, learner in enumerate(learners):
            tile = _quiet(QPushButton())
            # Two pupils of one name are told apart by their student number's end.
            tile.setProperty("shown", learner.name if names[learner.name] == 1
                             else f"{learner.name} {learner.student_number[-2:]}")
            tile.setProperty("tile", True)
            tile.setCheckable(True)
            tile.setChecked(True)
            # Equal columns that never ask for more width than the screen has.
            tile.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            tile.setMinimumWidth(96)
            tile.setProperty("learner", learner)
            tile.toggled.connect(self._update)
            grid.addWidget(tile, i // columns, i % columns)
            self.tiles[learner.id] = tile
        grid.setRowStretch(math.ceil(len(learners) / columns), 1)
        for column in range(columns):
            grid.setColumnStretch(column, 1)
        scroll = QScrollArea()
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(inner)
        return scroll

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.all_button = _quiet(QPushButton(tr("Everyone was here")))
        self.all_button.clicked.connect(lambda: [t.setChecked(True) for t in self.tiles.values()])
        self.skip_button = _quiet(QPushButton(tr("Do not record")))
        self.skip_button.clicked.connect(self.skip)
        self.confirm_button = _quiet(QPushButton())
        self.confirm_button.setProperty("primary", True)
        self.confirm_button.clicked.connect(self.accept)
        row.addWidget(self.all_button)
        row.addStretch()
        row.addWidget(self.skip_button)
        row.addWidget(self.confirm_button)
        return row

    def _update(self) -> None:
        for tile in self.tiles.values():
            # One line a tile, so that a class of 45 shows whole on a 768-pixel screen.
            tile.setText(("✔ " if tile.isChecked() else "✘ ") + tile.property("shown"))
            tile.setToolTip(tile.property("shown") + " · "
                            + (tr("present") if tile.isChecked() else tr("absent")))
            repolish(tile)
        present, absent = len(self.present()), len(self.absent())
        self.count.setText(tr("{present} present · {absent} absent").format(present=present,
                                                                            absent=absent))
        self.confirm_button.setText(tr("Record attendance ({present} present)")
                                    .format(present=present))

    def present(self) -> list[int]:
        return [i for i, tile in self.tiles.items() if tile.isChecked()]

    def absent(self) -> list[int]:
        return [i for i, tile in self.tiles.items() if not tile.isChecked()]

    def skip(self) -> None:
        """Leave without a record, once the teacher says so."""
        answer = QMessageBox.question(
            self, tr("Do not record"), tr("Leave without recording who attended? The lesson "
                                          "will not count for anyone."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        event.accept()  # a clicker's keys (Esc and Enter included) change nothing here

    def done(self, result: int) -> None:
        self.decided = True
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if getattr(self, "decided", False):
            return super().closeEvent(event)
        event.ignore()  # the window's close box: ask, as "Do not record" does
        self.skip()
