"""Markdown with pictures, scaled to fit the view (SVG drawn crisp at that size).

On the projector the type itself can fit the view: the largest size, down to a
still-readable one, at which the whole step shows without scrolling.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QSize, QUrl
from PySide6.QtGui import QFont, QImage, QImageReader, QResizeEvent, QShowEvent, QTextDocument
from PySide6.QtWidgets import QTextBrowser


class MarkdownView(QTextBrowser):
    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setFrameShape(QTextBrowser.Shape.NoFrame)
        self._text = ""
        self._base = Path(".")
        self._root = Path(".")
        self._laid_out_width = 0
        self._type_range: tuple[float, float] | None = None
        self._fitting = False

    def fit_type(self, smallest_pt: float, largest_pt: float) -> None:
        """From now on show the text in the largest size between the two at which it
        fits the view without scrolling. Text too long even at the smallest keeps the
        largest size and scrolls: shrinking it would cost the back row and save nothing."""
        self._type_range = (smallest_pt, largest_pt)
        self._fit()

    def _fit(self) -> None:
        if self._type_range is None or self._fitting or not self._text:
            return
        self._fitting = True  # setting the font sends events that would call us again
        try:
            low, high = self._type_range
            if self._fits(high):
                return
            if not self._fits(low):
                self._fits(high)
                return
            for _ in range(6):
                middle = (low + high) / 2
                if self._fits(middle):
                    low = middle
                else:
                    high = middle
            self._fits(low)
        finally:
            self._fitting = False

    def _fits(self, point_size: float) -> bool:
        font = QFont(self.font())
        font.setPointSizeF(point_size)
        self.document().setDefaultFont(font)
        self.document().setTextWidth(self.viewport().width())
        return self.document().size().height() <= self.viewport().height()

    def type_size(self) -> float:
        return self.document().defaultFont().pointSizeF()

    def at_end(self) -> bool:
        bar = self.verticalScrollBar()
        return bar.value() >= bar.maximum()

    def at_start(self) -> bool:
        return self.verticalScrollBar().value() <= 0

    def show_markdown(self, text: str, base: Path, root: Path | None = None) -> None:
        """``text`` with its pictures from ``base``; nothing outside ``root`` (the
        pack's folder; ``base`` unless given) is ever loaded."""
        self._text, self._base = text, base
        self._root = (root or base).resolve()
        self._render()

    def _render(self) -> None:
        self._laid_out_width = self.viewport().width()
        self.document().clear()
        self.document().setBaseUrl(QUrl.fromLocalFile(str(self._base) + "/"))
        self.setMarkdown(self._text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        width = self.viewport().width()
        if self._text and abs(width - self._laid_out_width) > 0.1 * max(width, 1):
            self._render()
        else:
            self._fit()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # the style sheet set the widget's font
            self._fit()

    def inside_pack(self, url: QUrl) -> Path | None:
        """The file ``url`` names if it lies in the pack; None for anything else (a path
        elsewhere on the PC, '..', another scheme): the validator refuses those, and a
        pack changed after its import must not show a file from elsewhere either."""
        if url.isLocalFile():
            path = Path(url.toLocalFile())
        elif url.scheme():
            return None
        else:
            path = self._base / url.toString()
        resolved = path.resolve()
        return resolved if resolved.is_relative_to(self._root) else None

    def loadResource(self, kind: int, url: QUrl):  # noqa: ANN201, N802 - Qt override
        path = self.inside_pack(url)
        if kind != QTextDocument.ResourceType.ImageResource.value:
            return super().loadResource(kind, url) if path else None
        if path is None:
            return QImage()
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
