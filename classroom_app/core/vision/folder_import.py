"""Taking every picture in a folder as examples of one class, as a worker thread runs it.

Without a camera, a class's examples come from a folder of photos (one folder per
class). :func:`import_folder` is the pure loop: it reads each picture, hands it to
``add`` (the demo's own feature pipeline: a picture sample, or a hand's landmark
features) and reports progress; it never touches a widget and stops when asked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from classroom_app.core.i18n import tr
from classroom_app.core.vision.pictures import PictureError, pictures_in, read_picture


@dataclass(frozen=True)
class FolderReport:
    folder: Path
    added: int
    skipped: tuple[str, ...]  # one reason per picture not taken, naming the file

    def total(self) -> int:
        return self.added + len(self.skipped)


def folder_pictures(folder: Path) -> list[Path]:
    """The pictures directly in ``folder``; an OSError says why it cannot be listed."""
    if not folder.is_dir():
        raise OSError(tr("'{name}' is not a folder.").format(name=folder.name))
    return pictures_in(folder)


def import_folder(folder: Path, add: Callable[[np.ndarray], str | None],
                  on_progress: Callable[[int, int], None],
                  should_stop: Callable[[], bool] = lambda: False,
                  max_side: int | None = 1280) -> FolderReport:
    """Give each picture in ``folder`` to ``add``, which returns None when it took the
    picture or a reason when not (no hand in it, say)."""
    files = folder_pictures(folder)
    added, skipped = 0, []
    for done, file in enumerate(files, 1):
        if should_stop():
            break
        try:
            reason = add(read_picture(file, max_side=max_side))
        except PictureError as error:
            reason = str(error)
        if reason is None:
            added += 1
        else:
            skipped.append(reason if file.name in reason else f"{file.name}: {reason}")
        on_progress(done, len(files))
    return FolderReport(folder, added, tuple(skipped))
