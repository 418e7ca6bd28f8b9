"""One class of a "teach the computer" project: its name, its examples as thumbnails,
and the buttons that add more (hold to collect, pictures, a whole folder) or delete."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from classroom_app.core.i18n import tr
from classroom_app.ui.frame_label import to_qimage

THUMB = 64


class ClassPanel(QFrame):
    """One class: its name, its examples as thumbnails, and the buttons to add more."""

    hold = Signal(int, bool)  # class index, held
    add_files = Signal(int)
    add_folder = Signal(int)
    remove = Signal(int)
    renamed = Signal(int, str)
    delete_samples = Signal(int, list)

    def __init__(self, index: int, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index = index
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        layout.addLayout(top)
        self.name = QLineEdit(name)
        self.name.setPlaceholderText(tr("Name of this class"))
        self.name.editingFinished.connect(lambda: self.renamed.emit(self.index, self.name.text()))
        top.addWidget(self.name, 1)
        self.count = QLabel()
        top.addWidget(self.count)
        self.remove_button = QPushButton(tr("Remove class"))
        self.remove_button.clicked.connect(lambda: self.remove.emit(self.index))
        top.addWidget(self.remove_button)
        self.thumbs = QListWidget()
        self.thumbs.setViewMode(QListWidget.ViewMode.IconMode)
        self.thumbs.setFlow(QListWidget.Flow.LeftToRight)
        self.thumbs.setWrapping(False)
        self.thumbs.setIconSize(QSize(THUMB, THUMB))
        self.thumbs.setFixedHeight(THUMB + 26)
        self.thumbs.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.thumbs.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.thumbs.installEventFilter(self)
        layout.addWidget(self.thumbs)
        # Two rows, so that a class fits the narrow column of a 1024-pixel screen.
        self.hold_button = QPushButton(tr("Hold to collect examples"))
        self.hold_button.pressed.connect(lambda: self.hold.emit(self.index, True))
        self.hold_button.released.connect(lambda: self.hold.emit(self.index, False))
        layout.addWidget(self.hold_button)
        buttons = QHBoxLayout()
        layout.addLayout(buttons)
        files = QPushButton(tr("Add pictures…"))
        files.clicked.connect(lambda: self.add_files.emit(self.index))
        buttons.addWidget(files, 1)
        self.folder_button = QPushButton(tr("Add a folder…"))
        self.folder_button.setToolTip(tr("Every picture in a folder becomes an example of "
                                         "this class"))
        self.folder_button.clicked.connect(lambda: self.add_folder.emit(self.index))
        buttons.addWidget(self.folder_button, 1)
        self.delete_button = QPushButton(tr("Delete selected"))
        self.delete_button.clicked.connect(self._delete_selected)
        buttons.addWidget(self.delete_button, 1)

    def add_thumbnail(self, sample_id: str, view: np.ndarray) -> None:
        item = QListWidgetItem(QIcon(QPixmap.fromImage(to_qimage(view))), "")
        item.setData(Qt.ItemDataRole.UserRole, sample_id)
        item.setToolTip(tr("Select and press Delete to remove a bad example"))
        self.thumbs.addItem(item)
        self.thumbs.scrollToBottom()
        self.update_count()

    def update_count(self) -> None:
        self.count.setText(tr("{n} examples").format(n=self.thumbs.count()))

    def _delete_selected(self) -> None:
        ids = [i.data(Qt.ItemDataRole.UserRole) for i in self.thumbs.selectedItems()]
        if ids:
            for item in self.thumbs.selectedItems():
                self.thumbs.takeItem(self.thumbs.row(item))
            self.update_count()
            self.delete_samples.emit(self.index, ids)

    def eventFilter(self, watched: object, event: object) -> bool:  # noqa: N802 - Qt override
        if isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress and \
                event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self._delete_selected()
            return True
        return super().eventFilter(watched, event)
