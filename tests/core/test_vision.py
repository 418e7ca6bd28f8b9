"""Camera sources and face detection, on real photos."""

from __future__ import annotations

import threading
from pathlib import Path

import cv2
import numpy as np
import pytest

from classroom_app.core import i18n, paths
from classroom_app.core.vision.faces import FaceDetector, draw_faces
from classroom_app.core.vision.sources import (
    CameraSource,
    ImageFolderSource,
    SourceError,
    SourceSpec,
    open_source,
)
from classroom_app.core.vision.stream import LatestSlot, run_stream


@pytest.fixture(autouse=True)
def english() -> None:
    i18n.set_language("en")


def test_finds_the_face_in_the_shipped_sample() -> None:
    frame = cv2.imread(str(paths.sample_images_dir() / "astronaut.jpg"))
    faces = FaceDetector().detect(frame)
    assert len(faces) == 1
    face = faces[0]
    assert 150 < face.x + face.w / 2 < 350 and 50 < face.y + face.h / 2 < 250
    assert draw_faces(frame, faces).shape == frame.shape


def test_no_face_in_a_photo_of_coffee() -> None:
    frame = cv2.imread(str(paths.sample_images_dir() / "coffee.jpg"))
    assert FaceDetector().detect(frame) == []


def test_two_children_are_two_faces(shared_testdata: Path) -> None:
    frame = cv2.imread(str(shared_testdata / "faces" / "mps_face_two_kids.jpg"))
    assert len(FaceDetector().detect(frame)) == 2


def test_a_missing_camera_says_what_to_do() -> None:
    with pytest.raises(SourceError, match="No camera found"):
        CameraSource(97)


def test_image_folder_and_missing_paths(tmp_path: Path) -> None:
    source = open_source(SourceSpec("images", str(paths.sample_images_dir())), paced=False)
    shapes = {source.read().shape for _ in range(8)}
    assert len(shapes) > 1  # it walks through the photos
    (tmp_path / "notes.txt").write_text("not a picture")
    with pytest.raises(SourceError, match="No readable pictures"):
        ImageFolderSource(tmp_path)
    with pytest.raises(SourceError, match="does not exist"):
        open_source(SourceSpec("video", str(tmp_path / "gone.mp4")))


def test_a_video_file_loops(tmp_path: Path) -> None:
    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 25, (64, 48))
    for i in range(5):
        writer.write(np.full((48, 64, 3), i * 40, np.uint8))
    writer.release()
    source = open_source(SourceSpec("video", str(path)), paced=False)
    frames = [source.read() for _ in range(12)]
    assert all(f.shape == (48, 64, 3) for f in frames)
    source.close()


def test_a_video_that_is_not_a_video_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fake.mp4"
    path.write_text("not a video")
    with pytest.raises(SourceError):
        open_source(SourceSpec("video", str(path))).read()


def test_latest_slot_keeps_only_the_newest() -> None:
    slot: LatestSlot[int] = LatestSlot()
    assert slot.put(1) is True
    assert slot.put(2) is False and slot.put(3) is False
    assert slot.take() == 3 and slot.take() is None
    assert slot.dropped == 2


class _FailingSource:
    def __init__(self, frames: int) -> None:
        self.left = frames
        self.closed = False

    def read(self) -> np.ndarray:
        if self.left == 0:
            raise SourceError("unplugged")
        self.left -= 1
        return np.zeros((4, 4, 3), np.uint8)

    def close(self) -> None:
        self.closed = True


def test_a_stream_reports_an_unplugged_camera_and_closes_it() -> None:
    source, errors, results = _FailingSource(3), [], []
    done = run_stream(source, lambda f: f.mean(), results.append, threading.Event(),
                      errors.append)
    assert done == 3 and len(results) == 3 and errors == ["unplugged"] and source.closed
