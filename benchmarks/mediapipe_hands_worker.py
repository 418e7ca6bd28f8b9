"""MediaPipe's own hand solution over a stack of frames; run by benchmarks/gestures.py
inside .venv-mediapipe (see requirements-mediapipe.txt), never in the project venv.

Usage: ``python mediapipe_hands_worker.py FRAMES.npy OUT.npz``. FRAMES.npy holds BGR
uint8 frames [N, H, W, 3]. For ``static_image_mode`` False ("video") and then True
("static"), with ``max_num_hands=1`` and ``model_complexity=0`` (the lite models), each
frame's BGR -> RGB conversion and ``Hands.process`` are timed. OUT.npz gets, per mode,
``times_<mode>`` [N] (seconds, wall clock), ``cpu_<mode>`` [N] (seconds of process CPU
time) and ``landmarks_<mode>`` [N, 21, 3] (x, y in frame pixels, z scaled by the width
as MediaPipe does; NaN where no hand was found), and ``version``.
"""

from __future__ import annotations

import sys
import time

import cv2
import mediapipe as mp
import numpy as np


def run(frames: np.ndarray, static: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    height, width = frames.shape[1:3]
    times = np.zeros(len(frames))
    cpu = np.zeros(len(frames))
    points = np.full((len(frames), 21, 3), np.nan)
    with mp.solutions.hands.Hands(static_image_mode=static, max_num_hands=1,
                                  model_complexity=0) as hands:
        for i, frame in enumerate(frames):
            started, started_cpu = time.perf_counter(), time.process_time()
            found = hands.process(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
            times[i] = time.perf_counter() - started
            cpu[i] = time.process_time() - started_cpu
            if found.multi_hand_landmarks:
                marks = found.multi_hand_landmarks[0].landmark
                points[i] = [(m.x * width, m.y * height, m.z * width) for m in marks]
    return times, cpu, points


def main() -> None:
    frames = np.load(sys.argv[1])
    out: dict[str, np.ndarray] = {"version": np.array(mp.__version__)}
    for mode, static in (("video", False), ("static", True)):
        out[f"times_{mode}"], out[f"cpu_{mode}"], out[f"landmarks_{mode}"] = run(frames, static)
    np.savez(sys.argv[2], **out)


if __name__ == "__main__":
    main()
