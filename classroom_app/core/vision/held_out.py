"""The held-out test set, chosen by recording so that no test example has a twin in training.

A *recording* (a burst) is what one press of a collect button captured: frames a
seventh of a second apart, nearly the same picture. Split frame by frame, every test
frame would have its neighbours in training and the test would mostly check memory. So,
for each class:

- with two recordings or more, whole recordings go to the test: about a fifth of the
  class's examples, never more than half, and at least one recording stays for
  training. Which ones is decided by a hash of each recording's id and the seed, so the
  class gets the same test every time it retrains, and a new recording does not
  reshuffle the others;
- recorded only once, the class is tested on the last fifth of that recording; a few
  frames just before them (up to ``GAP``, never more than the test part) are used for
  neither, so that no test frame's neighbour is trained on.

Photos added from files or a folder are each a recording of their own (separate photos
are not neighbouring frames); a subfolder of a class folder is one recording. Examples
saved before recordings were noted count as one recording per class (``EARLIER``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from classroom_app.core.i18n import sentences, tr

TEST_FRACTION = 0.2
GAP = 5  # frames between training and test in a class recorded once (0.7 s at 7 a second)
MIN_TRAIN = 2  # frames a class recorded once keeps for training, when it can
EARLIER = "earlier"  # the recording of examples saved before recordings were noted

OTHER_RECORDINGS = "other-recordings"  # tested on whole recordings never trained on
END_OF_RECORDING = "end-of-recording"  # recorded once: tested on its last examples
END_OF_EARLIER = "end-of-earlier"  # the same, for examples saved by an older version


def saved_sample(item: object) -> tuple[str, str]:
    """(id, recording) of an example as a project file lists it: ``{"id", "burst"}``, or
    in a project saved before recordings were noted only its id (``EARLIER``)."""
    if isinstance(item, str):
        return item, EARLIER
    assert isinstance(item, dict)
    return str(item["id"]), str(item["burst"])


@dataclass(frozen=True)
class HeldOut:
    train: np.ndarray  # indices into the examples, sorted
    test: np.ndarray
    rules: tuple[str, ...]  # per class: how its test examples were chosen


def split_by_recording(labels: np.ndarray, bursts: Sequence[str] | None, classes: int,
                       fraction: float = TEST_FRACTION, seed: int = 0) -> HeldOut:
    """Training and test indices for examples of ``classes`` classes, each example in the
    recording ``bursts[i]`` (None: every example is a recording of its own)."""
    labels = np.asarray(labels, int)
    names = [str(b) for b in bursts] if bursts is not None else \
        [str(i) for i in range(len(labels))]
    if len(names) != len(labels):
        raise ValueError("one recording per example")
    train: list[int] = []
    test: list[int] = []
    rules = []
    for cls in range(classes):
        members = [int(i) for i in np.flatnonzero(labels == cls)]
        recordings = _recordings(members, names)
        if len(recordings) > 1:
            kept, held = _whole_recordings(recordings, fraction, seed)
            rules.append(OTHER_RECORDINGS)
        else:
            kept, held = end_of_recording(members, fraction)
            only = recordings[0][0] if recordings else ""
            rules.append(END_OF_EARLIER if only == EARLIER else END_OF_RECORDING)
        train += kept
        test += held
    return HeldOut(np.array(sorted(train), int), np.array(sorted(test), int), tuple(rules))


def _recordings(members: list[int], bursts: list[str]) -> list[tuple[str, list[int]]]:
    """The class's recordings in the order first seen, each its examples in order."""
    grouped: dict[str, list[int]] = {}
    for i in members:
        grouped.setdefault(bursts[i], []).append(i)
    return list(grouped.items())


def _rank(burst: str, seed: int) -> bytes:
    """A recording's place in the seeded order: a hash, the same on every PC and run."""
    return hashlib.blake2b(f"{seed}:{burst}".encode(), digest_size=8).digest()


def _whole_recordings(recordings: list[tuple[str, list[int]]], fraction: float,
                      seed: int) -> tuple[list[int], list[int]]:
    """Whole recordings to the test, in hash order, until about ``fraction`` of the
    examples; one that would take the test past half the class is passed over (the
    smallest of two or more always fits, so the test is never empty)."""
    total = sum(len(m) for _, m in recordings)
    target = max(1, round(total * fraction))
    held: set[str] = set()
    count = 0
    for burst, members in sorted(recordings, key=lambda r: _rank(r[0], seed)):
        if count >= target or len(held) == len(recordings) - 1:
            break
        if count + len(members) <= total / 2:
            held.add(burst)
            count += len(members)
    train = [i for burst, m in recordings if burst not in held for i in m]
    test = [i for burst, m in recordings if burst in held for i in m]
    return train, test


def end_of_recording(members: list[int], fraction: float = TEST_FRACTION
                     ) -> tuple[list[int], list[int]]:
    """One recording's examples (in the order taken) as training and test: the last
    ``fraction`` to test, up to ``GAP`` before them left out, the rest to train."""
    n = len(members)
    if n < 2:
        return list(members), []
    n_test = max(1, round(n * fraction))
    gap = max(0, min(GAP, n_test, n - n_test - MIN_TRAIN))
    return list(members[:n - n_test - gap]), list(members[n - n_test:])


def explain(names: Sequence[str], rules: Sequence[str]) -> str:
    """How the test examples were chosen, in words a pupil understands."""
    if len(rules) != len(names):
        return tr("Tested on examples picked at random, some right next to training ones: "
                  "train again for a fairer test.")
    once = [n for n, r in zip(names, rules, strict=True) if r == END_OF_RECORDING]
    earlier = [n for n, r in zip(names, rules, strict=True) if r == END_OF_EARLIER]
    parts = []
    if OTHER_RECORDINGS in rules:
        parts.append(tr("Tested on your other recordings or photos: never seen in training."))
    if once and len(once) == len(names):
        parts.append(tr("Each class was collected once: tested on its last few examples. "
                        "Collect each class again for a fairer test."))
    elif once:
        parts.append(tr("Collected once, so tested on the last few examples: {names}.")
                     .format(names=_quoted(once)))
    if earlier:
        parts.append(tr("Collected by an older version, so tested on the last few examples: "
                        "{names}.").format(names=_quoted(earlier)))
    return sentences(*parts)


def _quoted(names: Sequence[str]) -> str:
    return tr(", ").join(tr("'{name}'").format(name=n) for n in names)
