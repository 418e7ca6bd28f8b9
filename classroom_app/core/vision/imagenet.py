"""EfficientNet-Lite0's pre-processing, done with OpenCV exactly as the model was trained.

RGB, centre crop of 224/256 of the short side, bicubic resize to 224x224, then
``(x - 127) / 128``, NCHW. See ``models/efficientnet_lite0/manifest.toml``.
"""

from __future__ import annotations

import cv2
import numpy as np

SIZE = 224
CROP_FRACTION = 224 / 256
SMALLEST_SIDE = 16  # below this a picture holds nothing the model can recognise


def centre_side(frame: np.ndarray) -> int:
    """The side of :func:`centre_crop`'s square in ``frame``'s pixels."""
    return max(1, int(round(min(frame.shape[:2]) * CROP_FRACTION)))


def centre_crop(frame: np.ndarray) -> np.ndarray:
    """The square centre of ``frame``, 224/256 of its short side."""
    h, w = frame.shape[:2]
    side = centre_side(frame)
    top, left = (h - side) // 2, (w - side) // 2
    return frame[top:top + side, left:left + side]


def model_view(frame: np.ndarray) -> np.ndarray:
    """The 224x224 BGR picture the model is given: what the computer "sees"."""
    if frame.ndim == 2:
        frame = cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
    elif frame.shape[2] == 4:
        frame = cv2.cvtColor(frame, cv2.COLOR_BGRA2BGR)
    crop = centre_crop(frame)
    # Shrinking a big frame with INTER_AREA first keeps bicubic from aliasing.
    if crop.shape[0] > 2 * SIZE:
        crop = cv2.resize(crop, (2 * SIZE, 2 * SIZE), interpolation=cv2.INTER_AREA)
    return cv2.resize(crop, (SIZE, SIZE), interpolation=cv2.INTER_CUBIC)


def to_input(view: np.ndarray) -> np.ndarray:
    """A 224x224 BGR picture as the model's input tensor [1, 3, 224, 224]."""
    rgb = view[:, :, ::-1].astype(np.float32)
    return np.ascontiguousarray(((rgb - 127.0) / 128.0).transpose(2, 0, 1)[None])


def preprocess(frame: np.ndarray) -> np.ndarray:
    """A BGR (or grey, or BGRA) picture of any size as the model's input tensor."""
    return to_input(model_view(frame))
