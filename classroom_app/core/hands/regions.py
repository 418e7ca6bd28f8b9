"""Rotated square hand regions, as MediaPipe defines them, in image pixels.

A region is a centre, a side and a rotation (radians, clockwise in the image, 0 when the
hand points up). It comes from a palm detection (wrist to middle-finger base, scale 2.6,
shifted towards the fingers) or, when tracking, from the previous frame's landmarks
(scale 2.0). :meth:`HandRegion.crop_matrix` maps the region onto the landmark model's
square input; :meth:`HandRegion.to_image` maps points back.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

# Landmarks that outline the palm and finger bases (MediaPipe's tracking subset).
TRACKING_LANDMARKS = (0, 1, 2, 3, 5, 6, 9, 10, 13, 14, 17, 18)


def normalize_radians(angle: float) -> float:
    return angle - 2 * math.pi * math.floor((angle + math.pi) / (2 * math.pi))


def rotation_between(start: np.ndarray, end: np.ndarray) -> float:
    """Rotation that turns the direction start -> end into "up" (pixels, y down)."""
    return normalize_radians(math.pi / 2 - math.atan2(-(end[1] - start[1]), end[0] - start[0]))


@dataclass(frozen=True)
class HandRegion:
    cx: float
    cy: float
    size: float
    rotation: float

    @classmethod
    def around(cls, cx: float, cy: float, width: float, height: float, rotation: float,
               scale: float, shift_y: float) -> HandRegion:
        """MediaPipe's RectTransformation: shift along the rotated y axis, square, scale."""
        cx -= height * shift_y * math.sin(rotation)
        cy += height * shift_y * math.cos(rotation)
        return cls(cx, cy, max(width, height) * scale, rotation)

    @classmethod
    def from_palm(cls, box: np.ndarray, keypoints: np.ndarray) -> HandRegion:
        """From a palm box (x0, y0, x1, y1) and its keypoints (wrist 0, middle base 2)."""
        rotation = rotation_between(keypoints[0], keypoints[2])
        return cls.around((box[0] + box[2]) / 2, (box[1] + box[3]) / 2, box[2] - box[0],
                          box[3] - box[1], rotation, scale=2.6, shift_y=-0.5)

    @classmethod
    def from_landmarks(cls, points: np.ndarray) -> HandRegion:
        """The region for the next frame from this frame's 21 landmarks (x, y pixels)."""
        subset = points[list(TRACKING_LANDMARKS), :2]
        target = ((points[5, :2] + points[13, :2]) / 2 + points[9, :2]) / 2
        rotation = rotation_between(points[0, :2], target)
        low, high = subset.min(axis=0), subset.max(axis=0)
        centre = (low + high) / 2
        c, s = math.cos(-rotation), math.sin(-rotation)
        relative = subset - centre
        projected = np.stack([relative[:, 0] * c - relative[:, 1] * s,
                              relative[:, 0] * s + relative[:, 1] * c], axis=1)
        p_low, p_high = projected.min(axis=0), projected.max(axis=0)
        pc = (p_low + p_high) / 2
        c, s = math.cos(rotation), math.sin(rotation)
        cx = pc[0] * c - pc[1] * s + centre[0]
        cy = pc[0] * s + pc[1] * c + centre[1]
        width, height = p_high - p_low
        return cls.around(cx, cy, float(width), float(height), rotation, scale=2.0,
                          shift_y=-0.1)

    def to_image_matrix(self, crop: int) -> np.ndarray:
        """2x3 affine map from crop pixels (0..crop) to image pixels."""
        c, s = math.cos(self.rotation), math.sin(self.rotation)
        k = self.size / crop
        return np.array([[c * k, -s * k, self.cx - k * crop / 2 * (c - s)],
                         [s * k, c * k, self.cy - k * crop / 2 * (s + c)]], np.float64)

    def crop(self, image: np.ndarray, crop: int) -> np.ndarray:
        """The region warped to a ``crop`` x ``crop`` square, borders replicated."""
        matrix = cv2.invertAffineTransform(self.to_image_matrix(crop))
        return cv2.warpAffine(image, matrix, (crop, crop), flags=cv2.INTER_LINEAR,
                              borderMode=cv2.BORDER_REPLICATE)

    def to_image(self, points: np.ndarray, crop: int) -> np.ndarray:
        """Crop-pixel points [N, 2+] to image pixels; z is scaled like x and y."""
        matrix = self.to_image_matrix(crop)
        out = points.astype(np.float64).copy()
        out[:, :2] = points[:, :2] @ matrix[:, :2].T + matrix[:, 2]
        if points.shape[1] > 2:
            out[:, 2] = points[:, 2] * self.size / crop
        return out

    def corners(self) -> np.ndarray:
        """The four corners in image pixels, for drawing."""
        square = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], np.float64)
        return self.to_image(square, 1)

    def iou(self, other: HandRegion) -> float:
        """Overlap of the two axis-aligned boxes around the regions."""
        a, b = self.corners(), other.corners()
        ax0, ay0 = a.min(axis=0)
        ax1, ay1 = a.max(axis=0)
        bx0, by0 = b.min(axis=0)
        bx1, by1 = b.max(axis=0)
        iw = max(0.0, min(ax1, bx1) - max(ax0, bx0))
        ih = max(0.0, min(ay1, by1) - max(ay0, by0))
        inter = iw * ih
        union = (ax1 - ax0) * (ay1 - ay0) + (bx1 - bx0) * (by1 - by0) - inter
        return inter / union if union > 0 else 0.0
