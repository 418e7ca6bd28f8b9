"""A window that hosts one demo from the catalog, with its choice of picture source.

The demo's module is imported only now, when it is opened. A demo view is a QWidget
built as ``View(params, session)`` with ``start(spec)``, ``stop()`` and a ``failed(str)``
signal; the :class:`DemoSession` says who uses it, for saving and recording their work.
Without a camera the window offers the sample photos that ship in ``assets/samples``.
"""

from __future__ import annotations

import importlib

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from classroom_app.core import paths
from classroom_app.core.demo_catalog import DemoManifest
from classroom_app.core.i18n import pick, tr
from classroom_app.core.vision.sources import SourceSpec
from classroom_app.ui.demo_session import DemoSession


def load_demo_class(manifest: DemoManifest) -> type:
    module_name, _, attribute = manifest.entry_point.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


class DemoWindow(QWidget):
    def __init__(self, manifest: DemoManifest, params: dict | None = None,
                 session: DemoSession | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.manifest = manifest
        self.setWindowTitle(pick(manifest.title))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.closing = False
        layout = QVBoxLayout(self)
        title = QLabel(pick(manifest.title))
        title.setProperty("role", "title")
        layout.addWidget(title)
        summary = QLabel(pick(manifest.summary))
        summary.setWordWrap(True)
        layout.addWidget(summary)
        bar = QHBoxLayout()
        layout.addLayout(bar)
        bar.addWidget(QLabel(tr("Pictures from:")))
        self.source_box = QComboBox()
        self.source_box.addItem(tr("Camera"), SourceSpec("camera", "0"))
        self.source_box.addItem(tr("Sample photos"),
                                SourceSpec("images", str(paths.sample_images_dir())))
        self.source_box.addItem(tr("A video file…"), "video")
        self.source_box.addItem(tr("A folder of photos…"), "folder")
        self.source_box.addItem(tr("A photo…"), "photo")
        self.source_box.activated.connect(self._source_chosen)
        bar.addWidget(self.source_box)
        bar.addStretch()
        close = QPushButton(tr("Close"))
        close.clicked.connect(self.close)
        bar.addWidget(close)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        try:
            view_class = load_demo_class(manifest)
            self.view = view_class(params or {}, session or DemoSession())
        except Exception as error:  # noqa: BLE001 - any broken demo must not take the app down
            self.view = QLabel(tr("This demo cannot start: {error}").format(error=error))
            self.view.setWordWrap(True)
            layout.addWidget(self.view, 1)
            return
        self.view.failed.connect(self._failed)
        layout.addWidget(self.view, 1)
        start = SourceSpec("camera", "0") if manifest.needs_camera else \
            SourceSpec("images", str(paths.sample_images_dir()))
        self.start(start)

    def start(self, spec: SourceSpec) -> None:
        self.status.clear()
        for i in range(self.source_box.count()):
            if self.source_box.itemData(i) == spec:
                self.source_box.setCurrentIndex(i)
        if hasattr(self.view, "start"):
            self.view.start(spec)

    def _source_chosen(self, index: int) -> None:
        data = self.source_box.itemData(index)
        if data == "video":
            path, _ = QFileDialog.getOpenFileName(self, tr("Choose a video"), "",
                                                  tr("Videos (*.mp4 *.avi *.mkv *.mov *.webm)"))
            data = SourceSpec("video", path) if path else None
        elif data == "folder":
            path = QFileDialog.getExistingDirectory(self, tr("Choose a folder of photos"))
            data = SourceSpec("images", path) if path else None
        elif data == "photo":
            path, _ = QFileDialog.getOpenFileName(
                self, tr("Choose a photo"), "", tr("Pictures (*.jpg *.jpeg *.png *.bmp *.webp)"))
            data = SourceSpec("images", path) if path else None
        if isinstance(data, SourceSpec):
            self.start(data)

    def _failed(self, message: str) -> None:
        if self.closing:
            return
        self.status.setText(message + " " + tr("Showing the sample photos instead."))
        self.status.setProperty("role", "feedback-wrong")
        samples = SourceSpec("images", str(paths.sample_images_dir()))
        current = self.source_box.currentData()
        if current != samples:
            self.source_box.setCurrentIndex(1)
            if hasattr(self.view, "start"):
                self.view.start(samples)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape:
            self.close()
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.closing = True
        if hasattr(self.view, "stop"):
            self.view.stop()
        super().closeEvent(event)
