"""The school's AI application shelf: every demo in the catalog, opened on demand.

The cards scroll: six demos do not fit a 1024×768 screen, and squeezed cards cut their
summaries."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from classroom_app.core.context import AppContext
from classroom_app.core.i18n import pick, tr
from classroom_app.core.lessons.model import stage_name
from classroom_app.ui.widgets import scrolling


class DemoShelfView(QWidget):
    open_demo = Signal(str, dict)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        title = QLabel(tr("AI demos"))
        title.setProperty("role", "title")
        outer.addWidget(title)
        cards = QWidget()
        layout = QVBoxLayout(cards)
        layout.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolling(cards), 1)
        for manifest in ctx.demos.demos:
            card = QFrame()
            card.setProperty("role", "card")
            inner = QVBoxLayout(card)
            name = QLabel(pick(manifest.title))
            name.setProperty("role", "title")
            inner.addWidget(name)
            summary = QLabel(pick(manifest.summary))
            summary.setWordWrap(True)
            inner.addWidget(summary)
            stages = " / ".join(stage_name(s) for s in manifest.stages)
            needs = tr("needs a camera (or a video or photos)") if manifest.needs_camera else ""
            meta = QLabel(f"{stages}  {needs}")
            meta.setProperty("role", "subtitle")
            inner.addWidget(meta)
            button = QPushButton("▶ " + tr("Open"))
            button.setProperty("primary", True)
            button.clicked.connect(lambda _=False, m=manifest.id: self.open_demo.emit(m, {}))
            inner.addWidget(button)
            layout.addWidget(card)
        for problem in ctx.demos.problems:
            layout.addWidget(QLabel(problem))
        layout.addStretch()
