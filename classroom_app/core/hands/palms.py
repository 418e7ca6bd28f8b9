"""Palm detection: MediaPipe's SSD palm detector, decoded in NumPy.

The frame is letterboxed into 192x192 (zero padding), the model scores 2016 anchors,
and boxes above the threshold are merged by weighted non-maximum suppression. Each palm
comes back in frame pixels with its seven keypoints (wrist first, middle-finger base
third), from which :class:`~classroom_app.core.hands.regions.HandRegion` builds the
region the landmark model looks at.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import cv2
import numpy as np
import onnxruntime as ort

SIZE = 192
SCORE_THRESHOLD = 0.5
NMS_IOU = 0.3


@cache
def anchors() -> np.ndarray:
    """The 2016 anchor centres [N, 2] in [0, 1]: 24x24x2 (stride 8) + 12x12x6 (stride 16)."""
    rows = []
    for stride, per_cell in ((8, 2), (16, 6)):
        cells = SIZE // stride
        ys, xs = np.mgrid[0:cells, 0:cells]
        centres = np.stack([(xs + 0.5) / cells, (ys + 0.5) / cells], axis=-1).reshape(-1, 2)
        rows.append(np.repeat(centres, per_cell, axis=0))
    return np.concatenate(rows).astype(np.float32)


@dataclass(frozen=True)
class Palm:
    box: np.ndarray  # x0, y0, x1, y1 in frame pixels
    keypoints: np.ndarray  # [7, 2] in frame pixels
    score: float


@dataclass(frozen=True)
class Letterbox:
    scale: float
    dx: float
    dy: float

    def to_frame(self, xy: np.ndarray) -> np.ndarray:
        """Points in [0, 1] of the 192 square to frame pixels."""
        out = xy * SIZE
        out[..., 0] = (out[..., 0] - self.dx) / self.scale
        out[..., 1] = (out[..., 1] - self.dy) / self.scale
        return out


def letterbox(rgb: np.ndarray) -> tuple[np.ndarray, Letterbox]:
    """``rgb`` (uint8) fitted into 192x192 with zero padding, as float [0, 1] NHWC."""
    h, w = rgb.shape[:2]
    scale = SIZE / max(h, w)
    nw, nh = max(1, round(w * scale)), max(1, round(h * scale))
    resized = cv2.resize(rgb, (nw, nh), interpolation=cv2.INTER_AREA if scale < 1
                         else cv2.INTER_LINEAR)
    canvas = np.zeros((SIZE, SIZE, 3), np.float32)
    dx, dy = (SIZE - nw) // 2, (SIZE - nh) // 2
    canvas[dy:dy + nh, dx:dx + nw] = resized * np.float32(1 / 255)
    return canvas[None], Letterbox(scale, dx, dy)


def weighted_nms(boxes: np.ndarray, keypoints: np.ndarray, scores: np.ndarray,
                 iou_threshold: float = NMS_IOU) -> list[tuple[np.ndarray, np.ndarray, float]]:
    """MediaPipe's weighted NMS: each cluster's boxes and keypoints averaged by score."""
    order = np.argsort(-scores)
    boxes, keypoints, scores = boxes[order], keypoints[order], scores[order]
    remaining = np.arange(len(scores))
    out = []
    while len(remaining):
        top = boxes[remaining[0]]
        rest = boxes[remaining]
        iw = np.clip(np.minimum(rest[:, 2], top[2]) - np.maximum(rest[:, 0], top[0]), 0, None)
        ih = np.clip(np.minimum(rest[:, 3], top[3]) - np.maximum(rest[:, 1], top[1]), 0, None)
        inter = iw * ih
        areas = (rest[:, 2] - rest[:, 0]) * (rest[:, 3] - rest[:, 1])
        top_area = (top[2] - top[0]) * (top[3] - top[1])
        iou = inter / np.maximum(areas + top_area - inter, 1e-9)
        cluster = remaining[iou > iou_threshold]
        if len(cluster) == 0:
            cluster = remaining[:1]
        weights = scores[cluster][:, None]
        total = weights.sum()
        out.append(((boxes[cluster] * weights).sum(axis=0) / total,
                    (keypoints[cluster] * weights[:, :, None]).sum(axis=0) / total,
                    float(scores[remaining[0]])))
        remaining = remaining[iou <= iou_threshold]
    return out


class PalmDetector:
    def __init__(self, session: ort.InferenceSession, threshold: float = SCORE_THRESHOLD
                 ) -> None:
        self.session = session
        self.input_name = session.get_inputs()[0].name
        self.threshold = threshold

    def detect(self, rgb: np.ndarray) -> list[Palm]:
        """Palms in an RGB uint8 frame, best first."""
        tensor, box = letterbox(rgb)
        raw, logits = self.session.run(["Identity", "Identity_1"], {self.input_name: tensor})
        scores = 1 / (1 + np.exp(-np.clip(logits[0, :, 0], -100, 100)))
        keep = np.flatnonzero(scores >= self.threshold)
        if len(keep) == 0:
            return []
        raw = raw[0, keep] / SIZE
        centres = anchors()[keep]
        cx, cy = raw[:, 0] + centres[:, 0], raw[:, 1] + centres[:, 1]
        w, h = raw[:, 2], raw[:, 3]
        boxes = np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=1)
        points = raw[:, 4:18].reshape(-1, 7, 2) + centres[:, None, :]
        palms = []
        for merged_box, merged_points, score in weighted_nms(boxes, points, scores[keep]):
            corners = box.to_frame(merged_box.reshape(2, 2).copy()).reshape(4)
            palms.append(Palm(corners, box.to_frame(merged_points.copy()), score))
        return palms
