"""Markdown with pictures, scaled to fit the view (SVG drawn crisp at that size)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, QUrl
from PySide6.QtGui import QImage, QImageReader, QResizeEvent, QTextDocument
from PySide6.QtWidgets import QTextBrowser


class MarkdownView(QTextBrowser):
    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setFrameShape(QTextBrowser.Shape.NoFrame)
        self._text = ""
        self._base = Path(".")
        self._laid_out_width = 0

    def show_markdown(self, text: str, base: Path) -> None:
        self._text, self._base = text, base
        self._render()

    def _render(self) -> None:
        self._laid_out_width = self.viewport().width()
        self.document().clear()
        self.document().setBaseUrl(QUrl.fromLocalFile(str(self._base) + "/"))
        self.setMarkdown(self._text)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        width = self.viewport().width()
        if self._text and abs(width - self._laid_out_width) > 0.1 * max(width, 1):
            self._render()

    def loadResource(self, kind: int, url: QUrl):  # noqa: ANN201, N802 - Qt override
        if kind != QTextDocument.ResourceType.ImageResource.value:
            return super().loadResource(kind, url)
        path = Path(url.toLocalFile()) if url.isLocalFile() else self._base / url.toString()
        reader = QImageReader(str(path))
        natural = reader.size()
        if not natural.isValid():
            return QImage()
        max_w = max(160, int(self.viewport().width() * 0.9))
        max_h = max(120, int(self.viewport().height() * 0.5))
        scale = min(max_w / natural.width(), max_h / natural.height())
        if path.suffix.lower() != ".svg":
            scale = min(scale, 1.5)  # photos may grow a little, never blur badly
        reader.setScaledSize(QSize(max(1, int(natural.width() * scale)),
                                   max(1, int(natural.height() * scale))))
        return reader.read()
