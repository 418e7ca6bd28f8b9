"""``classroom gesture`` and ``classroom gesture-train``: the hand models without a GUI."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from classroom_app.cli.vision import class_folders, class_help, class_pictures, report_training
from classroom_app.core.i18n import tr

if TYPE_CHECKING:
    from classroom_app.core.hands.tracker import HandTracker

# The hand modules load onnxruntime and OpenCV: imported by the commands that use them.

COMMANDS = ("gesture", "gesture-train")


def add_parsers(sub: argparse._SubParsersAction) -> None:
    gesture = sub.add_parser("gesture", help=tr("find hands, their landmarks and gestures in "
                                                "pictures"))
    gesture.add_argument("images", nargs="+", metavar="IMAGE")
    gesture.add_argument("--model", help=tr("a gesture model exported by this app"))
    gesture.add_argument("--mirrored", action="store_true",
                         help=tr("the pictures are mirrored selfie views"))
    gesture.add_argument("--full", action="store_true",
                         help=tr("use the bigger, slower hand models"))
    gesture.add_argument("--json", action="store_true")
    train_ = sub.add_parser("gesture-train", help=tr("teach a gesture model from folders of "
                                                     "photos"))
    train_.add_argument("--class", dest="classes", action="append", required=True,
                        metavar="NAME=DIR", help=class_help())
    train_.add_argument("--out", required=True, metavar="FILE.onnx")
    train_.add_argument("--json", action="store_true")


def run(args: argparse.Namespace) -> int:
    return _gesture(args) if args.command == "gesture" else _train(args)


def _gesture(args: argparse.Namespace) -> int:
    from classroom_app.core.hands.features import landmark_features
    from classroom_app.core.hands.gesture_model import GestureClassifier
    from classroom_app.core.hands.gestures import classify, gesture_name
    from classroom_app.core.hands.tracker import HandTracker
    from classroom_app.core.vision.model_files import ModelError
    from classroom_app.core.vision.pictures import PictureError, read_picture

    try:
        tracker = HandTracker.open("full" if args.full else "lite", video=False,
                                   mirrored=args.mirrored)
        classifier = GestureClassifier.open(Path(args.model)) if args.model else None
    except ModelError as error:
        print(error, file=sys.stderr)
        return 1
    results, failed = [], 0
    for name in args.images:
        try:
            picture = read_picture(Path(name), max_side=None)
        except PictureError as error:
            failed += 1
            results.append({"image": name, "error": str(error)})
            if not args.json:
                print(error, file=sys.stderr)
            continue
        hands = []
        for hand in tracker.process(picture):
            gesture = classify(hand)
            entry = {"handedness": "left" if hand.is_left else "right",
                     "handedness_score": round(hand.handedness_score, 4),
                     "presence": round(hand.presence, 4),
                     "gesture": gesture.name, "gesture_name": gesture_name(gesture.name),
                     "gesture_confidence": round(gesture.confidence, 4),
                     "landmarks": [[round(float(v), 2) for v in point]
                                   for point in hand.landmarks]}
            if classifier is not None:
                best, probability = classifier.predict(landmark_features(hand)).best
                entry["model_class"] = best
                entry["model_confidence"] = round(probability, 4)
            hands.append(entry)
        results.append({"image": name, "width": picture.shape[1], "height": picture.shape[0],
                        "hands": hands})
        if not args.json:
            _print_hands(name, hands)
    if args.json:
        print(json.dumps({"results": results}, ensure_ascii=False, indent=1))
    return 1 if failed else 0


def _print_hands(name: str, hands: list[dict]) -> None:
    print(name)
    if not hands:
        print("  " + tr("no hand"))
    for i, hand in enumerate(hands, 1):
        side = tr("left hand") if hand["handedness"] == "left" else tr("right hand")
        line = tr("  {i}. {side}: {gesture} ({confidence:.0%})").format(
            i=i, side=side, gesture=hand["gesture_name"], confidence=hand["gesture_confidence"])
        if "model_class" in hand:
            line += tr("; model: {name} ({confidence:.0%})").format(
                name=hand["model_class"], confidence=hand["model_confidence"])
        print(line)


def _train(args: argparse.Namespace) -> int:
    import numpy as np

    from classroom_app.core.hands.features import COUNT
    from classroom_app.core.hands.gesture_model import export_gesture_model, train_gestures
    from classroom_app.core.hands.tracker import HandTracker
    from classroom_app.core.vision.model_files import ModelError
    from classroom_app.core.vision.training import TrainingError, leave_one_out_accuracy

    try:
        folders = class_folders(args.classes)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    try:
        tracker = HandTracker.open(video=False)
    except ModelError as error:
        print(error, file=sys.stderr)
        return 1
    features, labels, bursts, skipped = _hand_features(tracker, folders, args.json)
    names = [name for name, _ in folders]
    x = np.array(features, np.float32).reshape(len(features), COUNT)
    y = np.array(labels, int)
    try:
        model = train_gestures(x, y, names, bursts=bursts)
        out = export_gesture_model(model, Path(args.out))
    except (TrainingError, ModelError) as error:
        print(error, file=sys.stderr)
        return 1
    loo = leave_one_out_accuracy(x, y, names, bursts)
    lines = [tr("Leave-one-out accuracy: {acc:.0%} over {n} pictures in {r} recordings, "
                "each recording left out in turn").format(acc=loo, n=len(y),
                                                          r=len(set(bursts)))]
    if skipped:
        lines.append(tr("Skipped {n} pictures (no hand, or not readable).").format(
            n=len(skipped)))
    report_training(args.json, names, model, out, skipped,
                    {"leave_one_out_accuracy": round(loo, 4)}, lines)
    return 0


def _hand_features(tracker: HandTracker, folders: list[tuple[str, Path]], quiet: bool
                   ) -> tuple[list, list[int], list[str], list[dict]]:
    """The gesturing hand's features in every picture of the class folders, with each
    one's class and recording; the pictures without a hand, or unreadable, as skipped."""
    from classroom_app.core.hands.features import gesturing_hand, landmark_features
    from classroom_app.core.vision.pictures import PictureError, read_picture

    features, labels, bursts, skipped = [], [], [], []
    for label, file, burst in class_pictures(folders):
        try:
            hand = gesturing_hand(tracker.process(read_picture(file, max_side=None)))
        except PictureError as error:
            skipped.append({"file": str(file), "error": str(error)})
            print(error, file=sys.stderr)
            continue
        if hand is None:
            reason = tr("no hand found")
            skipped.append({"file": str(file), "error": reason})
            if not quiet:
                print(f"{file}: {reason}", file=sys.stderr)
            continue
        features.append(landmark_features(hand))
        labels.append(label)
        bursts.append(burst)
    return features, labels, bursts, skipped
