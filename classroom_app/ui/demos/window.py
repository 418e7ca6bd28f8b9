"""A window that hosts one demo from the catalog, with its choice of picture source.

The demo's module is imported only now, when it is opened. A demo view is a QWidget
built as ``View(params, session)`` that keeps the :class:`DemoView` contract; the
:class:`DemoSession` says who uses it and which demo it is, for saving and recording
their work.

A camera demo first tries the camera; the view's worker thread opens it, so a camera
that takes a second or two to answer never freezes the window. When it cannot be
opened, the demo goes on with the video or photos chosen for it last time, or shows
the :class:`NoCameraPanel` so the teacher can choose them (and the choice is kept).
The window's content scrolls rather than growing past a classroom screen.
"""

from __future__ import annotations

import importlib
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from classroom_app.core.demo_catalog import DemoManifest
from classroom_app.core.i18n import pick, tr
from classroom_app.core.vision.source_memory import SourceMemory
from classroom_app.core.vision.sources import SourceSpec, samples_spec
from classroom_app.ui.demos.demo_view import DemoView
from classroom_app.ui.demos.no_camera_panel import NoCameraPanel, choose_folder, choose_video
from classroom_app.ui.demos.session import DemoSession
from classroom_app.ui.widgets import scrolling


def load_demo_class(manifest: DemoManifest) -> type:
    module_name, _, attribute = manifest.entry_point.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


class DemoWindow(QWidget):
    def __init__(self, manifest: DemoManifest, params: dict | None = None,
                 session: DemoSession | None = None, parent: QWidget | None = None, *,
                 memory: SourceMemory | None = None, camera: int = 0) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.manifest = manifest
        self.memory = memory
        self.camera = SourceSpec("camera", str(camera))
        self.spec: SourceSpec | None = None
        self.setWindowTitle(pick(manifest.title))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.closing = False
        layout = QVBoxLayout(self)
        layout.addLayout(self._header())
        summary = QLabel(pick(manifest.summary))
        summary.setWordWrap(True)
        layout.addWidget(summary)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.hide()
        layout.addWidget(self.status)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        self.panel = NoCameraPanel(manifest)
        self.panel.chosen.connect(self.use_source)
        self.panel.retry.connect(lambda: self.start(self.camera))
        self.panel.without_picture.connect(self._without_picture)
        self.view = self._make_view(params or {},
                                     replace(session or DemoSession(), manifest=manifest))
        self.stack.addWidget(scrolling(self.view))
        self.stack.addWidget(scrolling(self.panel))
        if isinstance(self.view, DemoView):
            self.view.failed.connect(self._failed)
            self.start(self._first_source())

    def _header(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        title = QLabel(pick(self.manifest.title))
        title.setProperty("role", "title")
        title.setWordWrap(True)  # a long English title at projector size
        bar.addWidget(title, 1)
        bar.addWidget(QLabel(tr("Pictures from:")))
        self.source_box = QComboBox()
        # A teacher's file may have a long name: the box does not grow past the screen.
        self.source_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.source_box.setMinimumContentsLength(10)
        self.source_box.activated.connect(self._source_chosen)
        bar.addWidget(self.source_box)
        close = QPushButton(tr("Close"))
        close.clicked.connect(self.close)
        bar.addWidget(close)
        return bar

    def _make_view(self, params: dict, session: DemoSession) -> QWidget:
        try:
            return load_demo_class(self.manifest)(params, session)
        except Exception as error:  # noqa: BLE001 - any broken demo must not take the app down
            view = QLabel(tr("This demo cannot start: {error}").format(error=error))
            view.setWordWrap(True)
            return view

    def _first_source(self) -> SourceSpec:
        if self.manifest.needs_camera:
            return self.camera
        return self.sample() or self.camera

    def sample(self) -> SourceSpec | None:
        """The shipped sample that suits this demo, if there is one."""
        path = self.manifest.sample_path()
        return samples_spec(path) if path is not None and path.exists() else None

    # -- the source box ------------------------------------------------------------------
    def _fill_source_box(self) -> None:
        """Camera, the demo's samples, the source in use (by its own name), and choices."""
        box = self.source_box
        box.clear()
        box.addItem(tr("Camera"), self.camera)
        sample = self.sample()
        if sample is not None:
            box.addItem(sample.describe(), sample)
        if self.spec is not None and self.spec not in (self.camera, sample):
            box.addItem(self.spec.describe(), self.spec)
        box.addItem(tr("A video file…"), "video")
        box.addItem(tr("A folder of photos…"), "folder")
        box.addItem(tr("A photo…"), "photo")
        box.setCurrentIndex(next((i for i in range(box.count())
                                  if box.itemData(i) == self.spec), 0))

    def _source_chosen(self, index: int) -> None:
        data = self.source_box.itemData(index)
        if data == "video":
            data = choose_video(self)
        elif data == "folder":
            data = choose_folder(self)
        elif data == "photo":
            path, _ = QFileDialog.getOpenFileName(
                self, tr("Choose a photo"), "", tr("Pictures (*.jpg *.jpeg *.png *.bmp *.webp)"))
            data = SourceSpec("images", path) if path else None
        if isinstance(data, SourceSpec):
            self.use_source(data)
        else:
            self._fill_source_box()

    # -- starting and failing ------------------------------------------------------------
    def use_source(self, spec: SourceSpec) -> None:
        """The teacher chose ``spec``: remember it for this demo, and show it."""
        if self.memory is not None:
            self.memory.remember(self.manifest.id, spec)
        self.start(spec)

    def start(self, spec: SourceSpec) -> None:
        self.spec = spec
        self._say("")
        self._fill_source_box()
        self.stack.setCurrentIndex(0)
        if isinstance(self.view, DemoView):
            self.view.start(spec)

    def _failed(self, message: str) -> None:
        if self.closing or self.spec is None:
            return
        failed, self.spec = self.spec, None
        recalled = self.memory.recall(self.manifest.id) if self.memory else None
        if failed.kind == "camera" and recalled is not None:
            self.start(recalled)
            self._say(tr("No camera found: showing “{source}”, chosen for this demo last "
                         "time.").format(source=recalled.describe()))
            return
        self.panel.show_problem(failed.kind == "camera", message)
        self._fill_source_box()
        self.stack.setCurrentIndex(1)

    def _without_picture(self) -> None:
        """A teach demo goes on with no picture: its classes come from folders."""
        self.stack.setCurrentIndex(0)
        self._say(tr("No picture: add each class's examples from a folder of photos."))

    def showing_panel(self) -> bool:
        return self.stack.currentIndex() == 1

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape:
            self.close()
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.closing = True
        if isinstance(self.view, DemoView):
            self.view.stop()
        super().closeEvent(event)
