"""Reading pictures from disk with messages a person can act on.

Non-image files, pictures too small to show anything, and pictures so large they would
exhaust a classroom PC's memory are refused with :class:`PictureError`; big but
reasonable photos are shrunk on load.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from classroom_app.core.i18n import tr
from classroom_app.core.vision.imagenet import SMALLEST_SIDE

MAX_FILE_BYTES = 80 * 1024 * 1024
MAX_SIDE = 2048  # larger pictures are shrunk; the model sees 224 pixels anyway
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff")


class PictureError(Exception):
    """A file cannot be used as a picture; the message says why."""


def read_picture(path: Path, max_side: int | None = MAX_SIDE) -> np.ndarray:
    """The picture at ``path`` as a BGR array, at most ``max_side`` pixels on its long side
    (None: as it is, for answers in the picture's own pixels)."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise PictureError(tr("'{name}' cannot be read: {error}")
                           .format(name=path.name, error=error.strerror or error)) from error
    if size > MAX_FILE_BYTES:
        raise PictureError(tr("'{name}' is too large ({mb:.0f} MB) to be a photo.")
                           .format(name=path.name, mb=size / 1e6))
    data = np.fromfile(str(path), np.uint8)  # also works for Chinese file names on Windows
    picture = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    if picture is None:
        raise PictureError(tr("'{name}' is not a picture (or a kind of picture this app cannot "
                              "read).").format(name=path.name))
    height, width = picture.shape[:2]
    if min(height, width) < SMALLEST_SIDE:
        raise PictureError(tr("'{name}' is too small ({width}×{height} pixels) to show "
                              "anything.").format(name=path.name, width=width, height=height))
    scale = (max_side or max(height, width)) / max(height, width)
    if scale < 1:
        picture = cv2.resize(picture, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return picture


def pictures_in(folder: Path) -> list[Path]:
    """The picture files directly inside ``folder``, sorted."""
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)


def pictures_by_recording(folder: Path) -> list[tuple[Path, str]]:
    """A class folder's pictures, each with its recording: a picture directly inside is
    a recording of its own (separate photos are not neighbouring frames); each subfolder
    is one recording (the frames of one video, say), its pictures in name order."""
    found = [(p, str(p)) for p in pictures_in(folder)]
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        found += [(p, str(sub)) for p in pictures_in(sub)]
    return found
