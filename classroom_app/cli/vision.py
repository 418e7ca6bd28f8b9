"""``classroom classify`` and ``classroom train``: the image models without a GUI."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from classroom_app.core.i18n import language, tr

if TYPE_CHECKING:
    from classroom_app.core.vision.classifier import ImageClassifier
    from classroom_app.core.vision.training import TrainedModel

# The vision modules load onnxruntime and OpenCV: imported by the commands that use
# them, so that `classroom lessons list` and the rest start without them.


def class_help() -> str:
    """What ``--class NAME=DIR`` takes, and how its pictures are grouped for the test."""
    return tr("a class and its folder; each picture in it is a recording of its own, each "
              "subfolder one recording (the frames of one video): the test holds out whole "
              "recordings")


def add_parsers(sub: argparse._SubParsersAction) -> None:
    classify = sub.add_parser("classify", help=tr("name what is in pictures (top 5)"))
    classify.add_argument("images", nargs="+", metavar="IMAGE")
    classify.add_argument("--model", help=tr("an ONNX model file (default: the shipped one)"))
    classify.add_argument("--precise", action="store_true",
                          help=tr("use the fp32 model instead of the faster int8 one"))
    classify.add_argument("--json", action="store_true")
    train_ = sub.add_parser("train", help=tr("teach a model from folders of pictures"))
    train_.add_argument("--class", dest="classes", action="append", required=True,
                        metavar="NAME=DIR", help=class_help())
    train_.add_argument("--out", required=True, metavar="FILE.onnx")
    train_.add_argument("--json", action="store_true")


def class_folders(specs: list[str]) -> list[tuple[str, Path]]:
    """``NAME=DIR`` options as (name, folder); a ValueError says which one is wrong."""
    out = []
    for spec in specs:
        name, sep, folder = spec.partition("=")
        if not sep or not name.strip() or not folder:
            raise ValueError(tr("--class needs NAME=DIR, not '{spec}'.").format(spec=spec))
        if not Path(folder).is_dir():
            raise ValueError(tr("'{folder}' is not a folder.").format(folder=folder))
        out.append((name.strip(), Path(folder)))
    return out


def report_training(as_json: bool, names: list[str], model: TrainedModel, out: Path,
                    skipped: list[dict], extra: dict[str, float] | None = None,
                    extra_lines: list[str] | None = None) -> None:
    """Print what ``train`` and ``gesture-train`` taught: JSON, or lines for a person."""
    from classroom_app.core.vision.held_out import explain

    summary = {"classes": names, "samples_per_class": list(model.samples_per_class),
               "test_samples": model.test_samples, "test_rules": list(model.test_rules),
               "test_explanation": explain(names, model.test_rules),
               "train_accuracy": round(model.train_accuracy, 4),
               "test_accuracy": round(model.test_accuracy, 4),
               **(extra or {}),
               "confusion": model.confusion.tolist(), "out": str(out), "skipped": skipped}
    if as_json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    print(tr("Classes: {names}").format(names=", ".join(
        f"{n} ({c})" for n, c in zip(names, model.samples_per_class, strict=True))))
    print(tr("Test accuracy: {acc:.0%} on {n} held-out pictures").format(
        acc=model.test_accuracy, n=model.test_samples))
    print(summary["test_explanation"])
    for line in extra_lines or []:
        print(line)
    print(tr("Saved the model to {path}").format(path=out))


def run(args: argparse.Namespace) -> int:
    return _classify(args) if args.command == "classify" else _train(args)


def _classifier(args: argparse.Namespace) -> ImageClassifier:
    from classroom_app.core.vision.classifier import open_model_file, open_shipped

    if args.model:
        return open_model_file(Path(args.model))
    return open_shipped("fp32" if args.precise else "int8")


def _classify(args: argparse.Namespace) -> int:
    from classroom_app.core.vision.model_files import ModelError
    from classroom_app.core.vision.pictures import PictureError, read_picture

    try:
        classifier = _classifier(args)
    except ModelError as error:
        print(error, file=sys.stderr)
        return 1
    results, failed = [], 0
    for name in args.images:
        try:
            picture = read_picture(Path(name))
        except PictureError as error:
            failed += 1
            results.append({"image": name, "error": str(error)})
            if not args.json:
                print(error, file=sys.stderr)
            continue
        found = classifier.classify(picture)
        top = [{"index": g.label.index, "name_en": g.label.en, "name": g.label.name(),
                "language": language(), "probability": round(g.probability, 6)}
               for g in found.guesses]
        results.append({"image": name, "top5": top, "milliseconds": round(found.seconds * 1e3,
                                                                           2)})
        if not args.json:
            print(name)
            for rank, guess in enumerate(top, 1):
                print(f"  {rank}. {guess['name']:<24} {guess['probability'] * 100:5.1f}%")
    if args.json:
        print(json.dumps({"model": classifier.title, "results": results}, ensure_ascii=False,
                         indent=2))
    return 1 if failed else 0


def _train(args: argparse.Namespace) -> int:
    import numpy as np

    from classroom_app.core.vision.embeddings import Embedder
    from classroom_app.core.vision.export import export_taught_model
    from classroom_app.core.vision.imagenet import model_view
    from classroom_app.core.vision.model_files import ModelError
    from classroom_app.core.vision.pictures import PictureError, read_picture
    from classroom_app.core.vision.training import TrainingError, train

    try:
        folders = class_folders(args.classes)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    views, labels, bursts, skipped = [], [], [], []
    for label, file, burst in class_pictures(folders):
        try:
            views.append(model_view(read_picture(file)))
        except PictureError as error:
            skipped.append({"file": str(file), "error": str(error)})
            print(error, file=sys.stderr)
            continue
        labels.append(label)
        bursts.append(burst)
    names = [name for name, _ in folders]
    try:
        embedder = Embedder()
        if not args.json:
            print(tr("Looking at {n} pictures…").format(n=len(views)), file=sys.stderr)
        features = embedder.embed_views(views)
        model = train(features, np.array(labels, int), names, bursts=bursts)
        out = export_taught_model(embedder.model_path, model, Path(args.out))
    except (TrainingError, ModelError) as error:
        print(error, file=sys.stderr)
        return 1
    report_training(args.json, names, model, out, skipped)
    return 0


def class_pictures(folders: list[tuple[str, Path]]) -> list[tuple[int, Path, str]]:
    """(class index, picture file, recording) for every picture of every class folder."""
    from classroom_app.core.vision.pictures import pictures_by_recording

    return [(label, file, burst) for label, (_, folder) in enumerate(folders)
            for file, burst in pictures_by_recording(folder)]
