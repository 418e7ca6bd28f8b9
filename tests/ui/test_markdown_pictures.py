"""The Markdown view loads pictures from the pack only: a path elsewhere on the PC is
never read, however the pack names it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QImage, QTextDocument

from classroom_app.ui.lessons.markdown_view import MarkdownView

IMAGE = QTextDocument.ResourceType.ImageResource.value


def _picture(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    assert image.save(str(path))
    return path


def test_only_pictures_inside_the_pack_are_loaded(qtbot, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    _picture(pack / "images" / "ok.png")
    outside = _picture(tmp_path / "outside.png")
    view = MarkdownView()
    qtbot.addWidget(view)
    view.show_markdown(f"![in](../images/ok.png)\n\n![out][r]\n\n[r]: ../../outside.png\n\n"
                       f"![abs]({outside})\n", pack / "zh_CN", pack)
    base = view.document().baseUrl()
    assert not view.loadResource(IMAGE, base.resolved(QUrl("../images/ok.png"))).isNull()
    for url in (base.resolved(QUrl("../../outside.png")), QUrl.fromLocalFile(str(outside)),
                QUrl(f"file://{outside}"), QUrl("../../outside.png")):
        assert view.loadResource(IMAGE, url).isNull(), url
