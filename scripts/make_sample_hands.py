"""Renders the sample hands the app ships for classrooms without a camera.

No PyPI package carries photos of hands showing gestures under a licence that allows
redistribution, and a flat drawing (an emoji, a skeleton of landmarks) is not something
MediaPipe's palm detector answers to. A shaded 3D hand is: this script models one from
rounded capsules (palm, wrist, three bones per finger) in the six canned gestures,
ray-marches it with soft light, and writes

    assets/samples/hands/<gesture>/<n>.jpg   photos per gesture (turned, scaled, skin
                                             tones, left and right hands, backgrounds)
    assets/samples/hands/gestures.mp4        a short clip moving through the gestures

Every photo is checked with the app's own hand models (palm detection + landmarks +
the gesture rule) and only those named as intended are kept; the counts are printed.
Made by the project (Apache-2.0 like the code); run from the checkout:

    .venv/bin/python scripts/make_sample_hands.py [--only=thumb_up,fist] [--no-clip]
"""

from __future__ import annotations

import math
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "assets" / "samples" / "hands"
SIZE = (480, 360)
CURL = (90, 100, 60)  # a folded finger's bends at its three joints, in degrees
STRAIGHT = (0, 0, 0)

# name: (base x, base y), bone lengths (cm), radius at the base
FINGERS = {
    "index": ((-2.5, 8.6), (4.0, 2.5, 2.1), 0.95),
    "middle": ((-0.8, 8.9), (4.4, 2.8, 2.3), 1.0),
    "ring": ((0.9, 8.5), (4.1, 2.6, 2.2), 0.95),
    "pinky": ((2.5, 7.7), (3.3, 2.0, 1.9), 0.85),
}
THUMB_BONES = (4.0, 3.2, 2.6)
THUMB_OUT = (-0.75, 0.65, -0.1)  # spread away from the palm
THUMB_UP = (-0.2, 0.7, -0.7)  # along the side of the fist, tip up
THUMB_ACROSS = (0.55, 0.35, -0.75)  # folded over the curled fingers


@dataclass(frozen=True)
class Pose:
    """Spread (degrees) and bends of each finger, and where the thumb points."""

    fingers: dict[str, tuple[float, tuple[float, float, float]]]
    thumb: tuple[float, float, float]
    thumb_bends: tuple[float, float]


def _pose(extended: set[str], thumb: tuple[float, float, float],
          thumb_bends: tuple[float, float] = (0, 0)) -> Pose:
    spreads = {"index": -8, "middle": -1, "ring": 6, "pinky": 13}
    return Pose({n: (spreads[n] if n in extended else 0, STRAIGHT if n in extended else CURL)
                 for n in FINGERS}, thumb, thumb_bends)


GESTURES = {
    "open_palm": ("Open_Palm", _pose({"index", "middle", "ring", "pinky"}, THUMB_OUT)),
    "fist": ("Closed_Fist", _pose(set(), THUMB_ACROSS, (30, 30))),
    "victory": ("Victory", _pose({"index", "middle"}, THUMB_ACROSS, (30, 30))),
    "pointing_up": ("Pointing_Up", _pose({"index"}, THUMB_ACROSS, (30, 30))),
    "thumb_up": ("Thumb_Up", _pose(set(), THUMB_UP, (15, 10))),
    "i_love_you": ("ILoveYou", _pose({"index", "pinky"}, THUMB_OUT)),
}


def rotation(axis: tuple[float, float, float], degrees: float) -> np.ndarray:
    a = math.radians(degrees)
    c, s = math.cos(a), math.sin(a)
    x, y, z = np.asarray(axis, float) / np.linalg.norm(axis)
    return np.array([[c + x * x * (1 - c), x * y * (1 - c) - z * s, x * z * (1 - c) + y * s],
                     [y * x * (1 - c) + z * s, c + y * y * (1 - c), y * z * (1 - c) - x * s],
                     [z * x * (1 - c) - y * s, z * y * (1 - c) + x * s, c + z * z * (1 - c)]])


def _chain(start: np.ndarray, direction: np.ndarray, axis: np.ndarray, bones, bends,
           radius: float, taper: float) -> list:
    capsules, point, angle = [], start, 0.0
    for length, bend in zip(bones, bends, strict=True):
        angle += bend
        end = point + length * (rotation(axis, -angle) @ direction)
        capsules.append((point, end, radius))
        point, radius = end, radius * taper
    return capsules


def capsules(pose: Pose) -> list:
    """The hand's bones as (start, end, radius), palm facing the camera (-z)."""
    found = []
    for name, ((x, y), bones, radius) in FINGERS.items():
        spread, bends = pose.fingers[name]
        turn = rotation((0, 0, 1), -spread)
        found += _chain(np.array([x, y, 0.0]), turn @ np.array([0, 1.0, 0]),
                        turn @ np.array([1.0, 0, 0]), bones, bends, radius, 0.9)
    direction = np.asarray(pose.thumb, float) / np.linalg.norm(pose.thumb)
    axis = np.cross(direction, [0, 0, 1.0])
    found += _chain(np.array([-3.3, 2.0, -0.5]), direction, axis / np.linalg.norm(axis),
                    THUMB_BONES, (0, *pose.thumb_bends), 1.15, 0.88)
    return found


def blend(pose_a: Pose, pose_b: Pose, t: float) -> Pose:
    """A pose part way from ``pose_a`` to ``pose_b`` (for the clip's transitions)."""
    def mix(a, b):
        return tuple(x + (y - x) * t for x, y in zip(a, b, strict=True))
    fingers = {n: (pose_a.fingers[n][0] + (pose_b.fingers[n][0] - pose_a.fingers[n][0]) * t,
                   mix(pose_a.fingers[n][1], pose_b.fingers[n][1])) for n in FINGERS}
    return Pose(fingers, mix(pose_a.thumb, pose_b.thumb),
                mix(pose_a.thumb_bends, pose_b.thumb_bends))


# -- signed distances ----------------------------------------------------------------
def _capsule(points: np.ndarray, a: np.ndarray, b: np.ndarray, r: float) -> np.ndarray:
    pa, ba = points - a, b - a
    h = np.clip((pa @ ba) / (ba @ ba), 0, 1)
    return np.linalg.norm(pa - h[:, None] * ba, axis=1) - r


def _palm(points: np.ndarray) -> np.ndarray:
    q = np.abs(points - np.array([-0.2, 4.6, 0.0])) - np.array([3.0, 3.6, 0.9])
    return np.linalg.norm(np.maximum(q, 0), axis=1) + np.minimum(q.max(axis=1), 0) - 0.9


def _smooth_min(a: np.ndarray, b: np.ndarray, k: float) -> np.ndarray:
    h = np.clip(0.5 + 0.5 * (b - a) / k, 0, 1)
    return b * (1 - h) + a * h - k * h * (1 - h)


def _distance(points: np.ndarray, bones: list, view: np.ndarray) -> np.ndarray:
    local = points @ view  # the inverse of a rotation is its transpose
    d = _palm(local)
    d = _smooth_min(d, _capsule(local, np.array([-0.2, 0.5, 0]), np.array([-0.2, -14, 0]),
                                2.6), 1.2)
    for a, b, r in bones:
        d = _smooth_min(d, _capsule(local, a, b, r), 0.6)
    return d


# -- rendering -------------------------------------------------------------------------
@dataclass(frozen=True)
class Shot:
    view: np.ndarray  # the hand's rotation
    zoom: float = 1.0
    shift: tuple[float, float] = (0.0, 2.0)
    skin: tuple[int, int, int] = (150, 185, 225)  # BGR
    background: tuple[tuple[int, int, int], tuple[int, int, int]] = ((200, 205, 210),
                                                                      (170, 180, 190))
    mirror: bool = False  # a left hand


def render(pose: Pose, shot: Shot, size: tuple[int, int] = SIZE) -> np.ndarray:
    """The hand ray-marched with a key light, soft occlusion and a darker rim."""
    w, h = size
    bones = capsules(pose)
    ys, xs = np.mgrid[0:h, 0:w]
    width_cm = 30.0 / shot.zoom
    px = (xs - w / 2) / w * width_cm + shot.shift[0]
    py = -(ys - h / 2) / w * width_cm + 5 + shot.shift[1]
    origins = np.stack([px.ravel(), py.ravel(), np.full(px.size, -30.0)], 1)
    depth = np.zeros(len(origins))
    hit = np.zeros(len(origins), bool)
    alive = np.ones(len(origins), bool)
    for _ in range(80):
        idx = np.flatnonzero(alive)
        if not len(idx):
            break
        d = _distance(origins[idx] + depth[idx, None] * [0, 0, 1.0], bones, shot.view)
        depth[idx] += d
        hit[idx[d < 0.01]] = True
        alive[idx[(d < 0.01) | (depth[idx] > 70)]] = False
    top, bottom = (np.array(c, float) for c in shot.background)
    picture = top + (bottom - top) * (ys.ravel() / h)[:, None]
    idx = np.flatnonzero(hit)
    points = origins[idx] + depth[idx, None] * [0, 0, 1.0]

    def field(p: np.ndarray) -> np.ndarray:
        return _distance(p, bones, shot.view)

    e = 0.02
    normal = np.stack([field(points + v) - field(points - v)
                       for v in np.eye(3) * e], 1)
    normal /= np.linalg.norm(normal, axis=1, keepdims=True) + 1e-9
    light = np.array([-0.4, 0.6, -0.7]) / np.linalg.norm([-0.4, 0.6, -0.7])
    diffuse = np.clip(normal @ light, 0, 1)
    rim = np.clip(1 + normal[:, 2], 0, 1) ** 2
    occlusion = np.clip(field(points + 0.5 * normal) / 0.5, 0, 1)
    shade = 0.35 + 0.55 * diffuse * (0.6 + 0.4 * occlusion) + 0.1 * occlusion
    picture[idx] = np.array(shot.skin)[None, :] * shade[:, None] * (1 - 0.25 * rim[:, None])
    out = np.clip(picture, 0, 255).reshape(h, w, 3).astype(np.uint8)
    out = cv2.GaussianBlur(out, (3, 3), 0)
    return out[:, ::-1].copy() if shot.mirror else out


SKINS = ((150, 185, 225), (120, 160, 205), (95, 125, 170), (70, 95, 135), (165, 200, 235))
BACKGROUNDS = (((200, 205, 210), (170, 180, 190)), ((215, 225, 235), (150, 175, 200)),
               ((120, 140, 90), (70, 90, 60)), ((60, 60, 70), (30, 30, 35)),
               ((225, 215, 200), (190, 170, 150)))


def shots(count: int) -> list[Shot]:
    """``count`` varied views: turned a little, nearer or farther, either hand."""
    rng = np.random.default_rng(7)
    found = []
    for i in range(count):
        view = rotation((0, 0, 1), rng.uniform(-18, 18)) @ \
            rotation((0, 1, 0), rng.uniform(-25, 25)) @ rotation((1, 0, 0), rng.uniform(-12, 12))
        found.append(Shot(view, zoom=rng.uniform(0.8, 1.15),
                          shift=(rng.uniform(-4, 4), rng.uniform(0, 3)),
                          skin=SKINS[i % len(SKINS)],
                          background=BACKGROUNDS[(i * 2 + 1) % len(BACKGROUNDS)],
                          mirror=i % 2 == 1))
    return found


def named(tracker, picture: np.ndarray) -> list[str]:
    from classroom_app.core.hands.gestures import classify

    tracker.tracks.clear()
    return [classify(hand).name for hand in tracker.process(picture)]


def photos(per_gesture: int, tries: int, only: set[str]) -> None:
    from classroom_app.core.hands.tracker import HandTracker

    tracker = HandTracker.open("lite", max_hands=1, video=False)
    candidates = shots(tries)
    for folder, (gesture, pose) in GESTURES.items():
        if only and folder not in only:
            continue
        target = OUT / folder
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        kept = 0
        for i, shot in enumerate(candidates):
            # Judged as shipped: the JPEG, not the render before compression.
            jpeg = cv2.imencode(".jpg", render(pose, shot), [cv2.IMWRITE_JPEG_QUALITY, 85])[1]
            found = named(tracker, cv2.imdecode(jpeg, cv2.IMREAD_COLOR))
            if found[:1] == [gesture] and kept < per_gesture:
                kept += 1
                (target / f"{folder}_{kept}.jpg").write_bytes(jpeg.tobytes())
            print(f"{folder} try {i + 1}: {found}", flush=True)
        print(f"{folder}: kept {kept} of {len(candidates)} renders", flush=True)


def clip(fps: int = 10, hold: float = 1.6, move: float = 0.6) -> None:
    """The gestures one after another, the hand turning gently, as a webcam clip."""
    order = ["open_palm", "fist", "victory", "thumb_up", "pointing_up", "i_love_you"]
    poses = [GESTURES[name][1] for name in order]
    frames_hold, frames_move = int(hold * fps), int(move * fps)
    writer = cv2.VideoWriter(str(OUT / "gestures.mp4"), cv2.VideoWriter_fourcc(*"mp4v"),
                             fps, SIZE)
    n = 0
    for i, pose in enumerate(poses):
        following = poses[(i + 1) % len(poses)]
        steps = [pose] * frames_hold + [blend(pose, following, (k + 1) / (frames_move + 1))
                                        for k in range(frames_move)]
        for step in steps:
            view = rotation((0, 0, 1), 10 * math.sin(n / 9)) @ \
                rotation((0, 1, 0), 15 * math.sin(n / 13))
            writer.write(render(step, Shot(view, shift=(2 * math.sin(n / 11), 2.0))))
            n += 1
    writer.release()
    print(f"clip: {n} frames at {fps} fps", flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    OUT.mkdir(parents=True, exist_ok=True)
    # --only=thumb_up,fist remakes those photos alone; --no-clip / --clip-only as named
    only = {name for arg in sys.argv if arg.startswith("--only=")
            for name in arg.split("=", 1)[1].split(",")}
    if "--clip-only" not in sys.argv:
        photos(per_gesture=6, tries=12, only=only)
    if "--no-clip" not in sys.argv:
        clip()
