"""Speed and accuracy of our hand pipeline beside MediaPipe's own, on the same frames.

The frames are a moving-hand video made from a real photo (the shared thumb-up hand,
cropped to 640x480), shifted, turned and scaled a little more each frame so that
tracking has real work; the motion is periodic, so the video loops without a jump.
MediaPipe 0.10.14 cannot live in the project venv, so it is installed (the first time,
about a minute) into ``.venv-mediapipe`` in the repository root from
``requirements-mediapipe.txt``, and ``mediapipe_hands_worker.py`` runs there on the same
frames, passed through a temporary .npy file. The two sides are timed one after the
other, never at once. Per-frame medians skip the first 10 frames (warm-up).

Prints one line per figure, ``name value unit``:

- ``gesture_ms_video``, ``gesture_ms_static``: our ``HandTracker`` (lite, one hand), per
  frame, in tracking mode and with every frame searched from scratch; median.
- ``mediapipe_ms_video``, ``mediapipe_ms_static``: ``mp.solutions.hands.Hands``
  (``model_complexity=0``, ``max_num_hands=1``), ``static_image_mode`` False and True.
  Both sides' times include the BGR -> RGB conversion.
- ``gesture_vs_mediapipe_video``, ``gesture_vs_mediapipe_static``: ours / theirs.
- ``landmark_diff_px``: median, over the frames where both found the hand (tracking
  mode) and their 21 landmarks, of the distance between our point and MediaPipe's;
  ``landmark_diff_pct_hand``: the same as a percentage of the hand's size (the longest
  side of the box around MediaPipe's landmarks, median over those frames).
  ``landmark_frames_compared``: how many frames that is.
- ``gesture_fps``: frames per second through the demo's worker loop (``run_stream``):
  ``LiveHands`` (the tracker as the demo opens it, two hands, video mode; mirror off,
  skeletons drawn) and the conversion to a QImage the GUI shows, frames unpaced.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import cv2
import numpy as np
from loop_source import LoopSource  # benchmarks/ is on sys.path when run as a script

from classroom_app.core.hands.live import LiveHands
from classroom_app.core.hands.tracker import HandTracker
from classroom_app.core.vision.stream import run_stream
from classroom_app.ui.frame_label import to_qimage

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PHOTO = ROOT.parent / "shared" / "testdata" / "hands" / "thumbup_mps_hand_thumb_up.jpg"
MP_VENV = ROOT / ".venv-mediapipe"
REQUIREMENTS = HERE / "requirements-mediapipe.txt"
WORKER = HERE / "mediapipe_hands_worker.py"
WIDTH, HEIGHT = 640, 480
FRAMES = 150
WARMUP = 10
FPS_FRAMES = 300


def mediapipe_python() -> Path:
    """The Python of ``.venv-mediapipe``, created and filled first if need be."""
    python = MP_VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    stamp = MP_VENV / ".installed"
    wanted = REQUIREMENTS.read_text()
    if python.exists() and stamp.is_file() and stamp.read_text() == wanted:
        return python
    print(f"Installing {REQUIREMENTS.name} into {MP_VENV.name} (about a minute)...",
          file=sys.stderr, flush=True)
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(MP_VENV)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                    "-r", str(REQUIREMENTS)], check=True, stdout=sys.stderr)
    stamp.write_text(wanted)
    return python


def cover(image: np.ndarray) -> np.ndarray:
    """``image`` scaled to fill WIDTH x HEIGHT, the overflow cropped evenly."""
    height, width = image.shape[:2]
    scale = max(WIDTH / width, HEIGHT / height)
    image = cv2.resize(image, (round(width * scale), round(height * scale)),
                       interpolation=cv2.INTER_AREA)
    top, left = (image.shape[0] - HEIGHT) // 2, (image.shape[1] - WIDTH) // 2
    return image[top:top + HEIGHT, left:left + WIDTH]


def moving_hand(count: int = FRAMES) -> np.ndarray:
    """[count, 480, 640, 3] BGR frames of the photo moving about: up to 60 px sideways,
    30 px up and down, 15 degrees of turn, 0.73x to 0.97x scale, plus a pixel or two of
    shake; about 5 px and 1 degree per frame at the fastest."""
    photo = cv2.imread(str(PHOTO))
    if photo is None:
        raise SystemExit(f"missing test photo: {PHOTO}")
    base = cover(photo)
    rng = np.random.default_rng(0)
    frames = np.empty((count, HEIGHT, WIDTH, 3), np.uint8)
    for i in range(count):
        phase = 2 * np.pi * i / count
        matrix = cv2.getRotationMatrix2D((WIDTH / 2, HEIGHT / 2), 15 * np.sin(2 * phase + 1),
                                         0.85 + 0.12 * np.sin(phase))
        matrix[:, 2] += (60 * np.sin(2 * phase) + rng.normal(0, 1.5),
                         10 + 30 * np.sin(3 * phase) + rng.normal(0, 1.5))
        frames[i] = cv2.warpAffine(base, matrix, (WIDTH, HEIGHT), flags=cv2.INTER_LINEAR,
                                   borderMode=cv2.BORDER_REPLICATE)
    return frames


def run_mediapipe(frames: np.ndarray) -> dict[str, np.ndarray]:
    python = mediapipe_python()
    with tempfile.TemporaryDirectory(prefix="gestures-bench-") as folder:
        source, result = Path(folder) / "frames.npy", Path(folder) / "mediapipe.npz"
        np.save(source, frames)
        env = dict(os.environ, GLOG_minloglevel="2", TF_CPP_MIN_LOG_LEVEL="2")
        done = subprocess.run([str(python), str(WORKER), str(source), str(result)], env=env,
                              capture_output=True, text=True)
        if done.returncode != 0:  # its log is noisy: shown only when it fails
            sys.stderr.write(done.stdout + done.stderr)
            raise SystemExit(f"{WORKER.name} failed ({done.returncode})")
        with np.load(result) as found:
            return {name: found[name] for name in found.files}


def run_ours(frames: np.ndarray, video: bool, threads: int = 2
             ) -> tuple[np.ndarray, np.ndarray]:
    """Per-frame seconds and landmarks [N, 21, 3] (NaN where no hand was found)."""
    tracker = HandTracker.open("lite", max_hands=1, video=video, threads=threads)
    times = np.zeros(len(frames))
    points = np.full((len(frames), 21, 3), np.nan)
    for i, frame in enumerate(frames):
        started = time.perf_counter()
        hands = tracker.process(frame)
        times[i] = time.perf_counter() - started
        if hands:
            points[i] = hands[0].landmarks
    return times, points


def median_ms(times: np.ndarray) -> float:
    return statistics.median(times[WARMUP:]) * 1000


def landmark_diff(ours: np.ndarray, theirs: np.ndarray) -> tuple[float, float, int]:
    """Median distance (px), that as % of the median hand size, frames compared."""
    both = ~np.isnan(ours[:, 0, 0]) & ~np.isnan(theirs[:, 0, 0])
    if not both.any():
        return float("nan"), float("nan"), 0
    distances = np.linalg.norm(ours[both, :, :2] - theirs[both, :, :2], axis=2)
    spans = theirs[both, :, :2].max(axis=1) - theirs[both, :, :2].min(axis=1)
    median = float(np.median(distances))
    return median, 100 * median / float(np.median(spans.max(axis=1))), int(both.sum())


def gesture_fps(frames: np.ndarray) -> float:
    live = LiveHands(HandTracker.open(), mirror=False)

    def process(frame: np.ndarray):
        return to_qimage(live(frame).picture)

    stamps: list[float] = []
    run_stream(LoopSource(list(frames), FPS_FRAMES), process,
               lambda r: stamps.append(time.perf_counter()), threading.Event(), lambda m: None)
    return (len(stamps) - 1 - WARMUP) / (stamps[-1] - stamps[WARMUP])


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    frames = moving_hand()
    theirs = run_mediapipe(frames)  # first, so that installing it overlaps no timing
    ours_video, points_video = run_ours(frames, video=True)
    ours_static, _ = run_ours(frames, video=False)
    # MediaPipe's Python solution keeps about one core busy; ours on one thread too, for
    # a like-for-like figure beside the two-thread one the app uses.
    one_video, _ = run_ours(frames, video=True, threads=1)
    one_static, _ = run_ours(frames, video=False, threads=1)
    fps = gesture_fps(frames)

    figures = {}
    for mode, times in (("video", ours_video), ("static", ours_static)):
        figures[mode] = median_ms(times), median_ms(theirs[f"times_{mode}"])
    for mode in ("video", "static"):
        print(f"gesture_ms_{mode} {figures[mode][0]:.2f} ms")
    for mode in ("video", "static"):
        print(f"mediapipe_ms_{mode} {figures[mode][1]:.2f} ms")
    for mode in ("video", "static"):
        print(f"gesture_vs_mediapipe_{mode} {figures[mode][0] / figures[mode][1]:.2f} x")
    for mode, times in (("video", one_video), ("static", one_static)):
        ratio = median_ms(times) / figures[mode][1]
        print(f"gesture_1thread_ms_{mode} {median_ms(times):.2f} ms")
        print(f"gesture_1thread_vs_mediapipe_{mode} {ratio:.2f} x")
    diff_px, diff_pct, compared = landmark_diff(points_video, theirs["landmarks_video"])
    print(f"landmark_diff_px {diff_px:.2f} px")
    print(f"landmark_diff_pct_hand {diff_pct:.2f} %")
    print(f"landmark_frames_compared {compared} frames")
    print(f"gesture_fps {fps:.1f} fps")


if __name__ == "__main__":
    main()
