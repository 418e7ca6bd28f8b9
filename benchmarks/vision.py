"""Speed and agreement of the image models, on this machine.

Prints one line per figure, ``name value unit``:

- ``classify_fp32_ms``, ``classify_int8_ms``: median per 640x480 frame, pre-processing
  (crop, resize, normalise) and inference included. Targets: <= 8 ms and <= 4 ms.
- ``person_check_ms``: median time of one search for a face that fills a 640x480
  frame (the Haar cascade the demo runs beside the ImageNet model, at most every 0.2 s).
- ``classify_fps``: frames per second through the demo's worker loop (``run_stream``):
  frame in, int8 top 5 and the person check out, frame converted for display. Target
  >= 30. ``classify_fps_searching_every_frame`` searches for a face on every frame (the
  worst case), ``classify_fps_without_person_check`` not at all.
- ``embed_ms``: median features of one frame (fp32), the cost of one collected sample.
- ``train_3x50_s``: training on 3 classes x 50 cached embeddings (120 epochs, held-out
  test and confusion matrix included). Target < 1 s.
- ``int8_top1_agreement``: share of the shared object photos (../shared/testdata/objects)
  where int8 and fp32 agree on the best label; target >= 0.9.
  ``int8_top1_agreement_all`` adds the faces, hands and sample photos, which are not
  ImageNet objects and so mostly low-confidence guesses.
"""

from __future__ import annotations

import statistics
import threading
import time
from pathlib import Path

import cv2
import numpy as np
from loop_source import LoopSource  # benchmarks/ is on sys.path when run as a script

from classroom_app.core import paths
from classroom_app.core.vision import imagenet
from classroom_app.core.vision.classifier import open_shipped
from classroom_app.core.vision.embeddings import Embedder
from classroom_app.core.vision.person import PersonCheck
from classroom_app.core.vision.stream import run_stream
from classroom_app.core.vision.training import train

SHARED = Path(__file__).resolve().parents[2] / "shared" / "testdata"


def photos() -> tuple[list[Path], list[Path]]:
    objects = sorted((SHARED / "objects").glob("*")) if SHARED.is_dir() else []
    others = sorted(p for folder in ("faces", "hands") for p in (SHARED / folder).glob("*.*")
                    ) if SHARED.is_dir() else []
    return objects, others + sorted(paths.sample_images_dir().glob("*.jpg"))


def frames_640() -> list[np.ndarray]:
    objects, others = photos()
    return [cv2.resize(cv2.imread(str(p)), (640, 480)) for p in objects + others]


def median_ms(fn, frames: list[np.ndarray], runs: int = 100) -> float:
    for frame in frames[:5]:
        fn(frame)
    times = []
    for i in range(runs):
        frame = frames[i % len(frames)]
        started = time.perf_counter()
        fn(frame)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def demo_fps(process, count: int = 300) -> float:
    """Frames per second of the demo's worker loop over the photos at 640x480."""
    frames = frames_640()
    started = time.perf_counter()
    run_stream(LoopSource(frames, count), process, lambda r: None, threading.Event(),
               lambda m: None)
    return count / (time.perf_counter() - started)


def main() -> None:
    frames = frames_640()
    fp32, int8 = open_shipped("fp32"), open_shipped("int8")
    print(f"classify_fp32_ms {median_ms(fp32.classify, frames):.2f} ms")
    print(f"classify_int8_ms {median_ms(int8.classify, frames):.2f} ms")
    print(f"person_check_ms {median_ms(PersonCheck(0).fills, frames):.2f} ms")

    def loop(person: PersonCheck | None) -> float:
        def process(frame: np.ndarray):
            found = int8.classify(frame), person is not None and person.fills(frame)
            np.ascontiguousarray(frame[:, :, ::-1])  # the GUI's BGR -> RGB for display
            return found

        return demo_fps(process)

    print(f"classify_fps {loop(PersonCheck()):.1f} fps")
    print(f"classify_fps_searching_every_frame {loop(PersonCheck(0)):.1f} fps")
    print(f"classify_fps_without_person_check {loop(None):.1f} fps")

    embedder = Embedder()
    print(f"embed_ms {median_ms(embedder.embed, frames):.2f} ms")

    rng = np.random.default_rng(0)
    views = []
    for picture in frames[:3]:
        for _ in range(50):
            s = rng.uniform(0.6, 1.0)
            h, w = int(480 * s), int(640 * s)
            y, x = rng.integers(0, 481 - h), rng.integers(0, 641 - w)
            views.append(imagenet.model_view(picture[y:y + h, x:x + w]))
    features = embedder.embed_views(views)
    labels = np.repeat(np.arange(3), 50)
    train(features, labels, ["a", "b", "c"])  # warm-up
    started = time.perf_counter()
    model = train(features, labels, ["a", "b", "c"])
    print(f"train_3x50_s {time.perf_counter() - started:.3f} s")
    print(f"train_3x50_test_accuracy {model.test_accuracy:.2f} ratio")

    objects, others = photos()

    def agreement(files: list[Path]) -> float:
        same = sum(fp32.classify(cv2.imread(str(p))).best.label.index ==
                   int8.classify(cv2.imread(str(p))).best.label.index for p in files)
        return same / max(1, len(files))

    if objects:
        print(f"int8_top1_agreement {agreement(objects):.2f} ratio")
    print(f"int8_top1_agreement_all {agreement(objects + others):.2f} ratio")


if __name__ == "__main__":
    main()
