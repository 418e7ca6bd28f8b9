"""Regenerate the hand models in ``models/hands`` from the mediapipe 0.10.14 wheel.

Development only: needs the packages in ``models/requirements-convert-hands.txt``
(TensorFlow for the TFLite reference interpreter, tf2onnx for the conversion); the app
itself needs only onnxruntime and OpenCV. The mediapipe wheel is only unpacked (its
protobuf pin conflicts with TensorFlow 2.21, so it is not installed). Run from the
repository root::

    python -m venv /tmp/hands && /tmp/hands/bin/pip install -r models/requirements-convert-hands.txt
    /tmp/hands/bin/python models/convert_hands.py [--wheel mediapipe-0.10.14-...whl]

It writes the four ONNX files (palm detection and hand landmarks, lite and full), the
reference outputs of the TFLite interpreter for fixed inputs (``reference_outputs.npz``,
numbers only) and ``manifest.toml`` with every file's sha256. The reference inputs are
seeded noise with smooth shapes, rebuilt by :func:`reference_inputs` in the tests, and,
when ``../shared/testdata`` is beside the checkout, real hand photos resized with OpenCV;
the photos themselves are not stored, only the sha256 of the tensor made from each.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "models" / "hands"
TESTDATA = ROOT.parent / "shared" / "testdata" / "hands"
MEDIAPIPE = "mediapipe==0.10.14"
MODELS = {
    "palm_detection_lite": "mediapipe/modules/palm_detection/palm_detection_lite.tflite",
    "palm_detection_full": "mediapipe/modules/palm_detection/palm_detection_full.tflite",
    "hand_landmark_lite": "mediapipe/modules/hand_landmark/hand_landmark_lite.tflite",
    "hand_landmark_full": "mediapipe/modules/hand_landmark/hand_landmark_full.tflite",
}
REFERENCE_PHOTOS = ("thumbup_mps_hand_thumb_up.jpg", "victory_mps_hand_victory.jpg")
TOLERANCE = 1e-3


def reference_inputs(size: int, seed: int = 7) -> np.ndarray:
    """Two deterministic [1, size, size, 3] float inputs in [0, 1]: noise, and soft shapes.

    Built with NumPy only, so a test can rebuild them bit for bit.
    """
    rng = np.random.default_rng(seed)
    noise = rng.random((size, size, 3), dtype=np.float32)
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) / size
    blob = np.exp(-(((xx - 0.5) / 0.18) ** 2 + ((yy - 0.55) / 0.25) ** 2))
    shapes = np.stack([0.3 + 0.6 * blob, 0.25 + 0.5 * blob, 0.2 + 0.35 * blob * xx],
                      axis=-1).astype(np.float32)
    return np.stack([noise, shapes])[:, None]


def photo_input(path: Path, size: int) -> np.ndarray:
    import cv2

    image = cv2.cvtColor(cv2.imread(str(path)), cv2.COLOR_BGR2RGB)
    resized = cv2.resize(image, (size, size), interpolation=cv2.INTER_AREA)
    return (resized.astype(np.float32) / 255.0)[None]


def tensor_sha256(tensor: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(tensor, np.float32).tobytes()).hexdigest()


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def unpack(wheel: Path, folder: Path) -> dict[str, Path]:
    out = {}
    with zipfile.ZipFile(wheel) as archive:
        for name, member in MODELS.items():
            target = folder / f"{name}.tflite"
            target.write_bytes(archive.read(member))
            out[name] = target
    return out


def download_wheel(folder: Path) -> Path:
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d",
                    str(folder), "--only-binary=:all:", "--python-version", "3.11",
                    MEDIAPIPE], check=True)
    return next(folder.glob("mediapipe-*.whl"))


def convert(tflite: Path, onnx_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "tf2onnx.convert", "--tflite", str(tflite),
                    "--output", str(onnx_path), "--opset", "17"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def run_tflite(tflite: Path, tensor: np.ndarray) -> list[np.ndarray]:
    import tensorflow as tf

    interpreter = tf.lite.Interpreter(model_path=str(tflite))
    interpreter.allocate_tensors()
    interpreter.set_tensor(interpreter.get_input_details()[0]["index"], tensor)
    interpreter.invoke()
    details = sorted(interpreter.get_output_details(), key=lambda d: d["name"])
    return [interpreter.get_tensor(d["index"]).copy() for d in details]


def run_onnx(path: Path, tensor: np.ndarray) -> list[np.ndarray]:
    import onnxruntime as ort

    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    names = sorted(o.name for o in session.get_outputs())
    return session.run(names, {session.get_inputs()[0].name: tensor})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wheel", type=Path, help="the mediapipe 0.10.14 wheel (downloaded "
                        "if not given)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    references: dict[str, np.ndarray] = {}
    diffs: dict[str, float] = {}
    photo_hashes: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        wheel = args.wheel or download_wheel(folder)
        tflites = unpack(wheel, folder)
        for name, tflite in tflites.items():
            onnx_path = OUT / f"{name}.onnx"
            convert(tflite, onnx_path)
            size = 192 if name.startswith("palm") else 224
            inputs = {"synthetic": reference_inputs(size)}
            for photo in REFERENCE_PHOTOS:
                if (TESTDATA / photo).is_file():
                    tensor = photo_input(TESTDATA / photo, size)
                    inputs[photo] = tensor[None]
                    photo_hashes[f"{photo}@{size}"] = tensor_sha256(tensor)
            worst = 0.0
            for key, batch in inputs.items():
                for i, tensor in enumerate(batch):
                    expected = run_tflite(tflite, tensor)
                    got = run_onnx(onnx_path, tensor)
                    for j, (e, g) in enumerate(zip(expected, got, strict=True)):
                        references[f"{name}/{key}/{i}/{j}"] = e
                        worst = max(worst, float(np.abs(e - g).max()))
            diffs[name] = worst
            print(f"{name}: ONNX vs TFLite max difference {worst:.2e}")
            if worst > TOLERANCE:
                sys.exit(f"{name}: the conversion differs from TFLite by {worst}")
    np.savez_compressed(OUT / "reference_outputs.npz", **references)
    write_manifest(diffs, photo_hashes)


def write_manifest(diffs: dict[str, float], photo_hashes: dict[str, str]) -> None:
    from importlib.metadata import version

    lines = [
        "# MediaPipe hand models (palm detection, hand landmarks), regenerated by "
        "models/convert_hands.py",
        'task = "hand-landmarks"',
        'licence = "Apache-2.0"',
        f'source = "PyPI {MEDIAPIPE}, mediapipe/modules/palm_detection and '
        'mediapipe/modules/hand_landmark"',
        f'converter = "tf2onnx=={version("tf2onnx")} --opset 17, tensorflow-cpu=='
        f'{version("tensorflow-cpu")} (reference TFLite interpreter)"',
        'reference_outputs = "reference_outputs.npz"',
        f'reference_outputs_sha256 = "{file_sha256(OUT / "reference_outputs.npz")}"',
        "",
        "[palm_input]",
        'name = "input_1"',
        "shape = [1, 192, 192, 3]",
        'layout = "NHWC RGB, float [0, 1], letterboxed with zero padding"',
        "",
        "[palm_outputs]",
        'Identity = "[1, 2016, 18] box (cx, cy, w, h) and 7 keypoints, 192-pixel units, '
        'relative to the anchor"',
        'Identity_1 = "[1, 2016, 1] score logits"',
        "",
        "[landmark_input]",
        'name = "input_1"',
        "shape = [1, 224, 224, 3]",
        'layout = "NHWC RGB, float [0, 1], the rotated square hand region, replicated '
        'borders"',
        "",
        "[landmark_outputs]",
        'Identity = "[1, 63] 21 landmarks (x, y, z) in crop pixels"',
        'Identity_1 = "[1, 1] hand presence (after sigmoid)"',
        'Identity_2 = "[1, 1] handedness: P(left hand) in a mirrored (selfie) image"',
        'Identity_3 = "[1, 63] world landmarks in metres"',
        "",
        "[reference_photos]",
        "# sha256 of the float32 tensors made from ../shared/testdata/hands photos",
    ]
    lines += [f'"{key}" = "{value}"' for key, value in sorted(photo_hashes.items())]
    for name in MODELS:
        lines += ["", f"[variants.{name}]", f'file = "{name}.onnx"',
                  f'sha256 = "{file_sha256(OUT / f"{name}.onnx")}"',
                  f"max_difference_to_tflite = {diffs[name]:.2e}"]
    (OUT / "manifest.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
