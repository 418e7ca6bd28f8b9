"""The reviewed list of ImageNet labels that primary pupils are never shown, and the rule
for what they see instead.

The list lives beside the labels (``models/efficientnet_lite0/unsuitable_for_children.tsv``,
named and checksummed in the model's manifest); its header says how it was chosen. When
the model's best label is on it, :func:`first_suitable` takes the next label of the top
few that is not, but only if the model gives it at least :data:`STAND_IN_PROBABILITY`,
the point below which the demo would call it "just guessing"; otherwise there is no
suitable answer and the pupil is told the computer is not sure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from classroom_app.core.i18n import tr
from classroom_app.core.vision.model_files import ModelError, ModelManifest, verified_file

if TYPE_CHECKING:
    from classroom_app.core.vision.classifier import Guess

LIST_KEY = "unsuitable_for_children"
STAND_IN_PROBABILITY = 0.25
CATEGORIES = ("weapon", "execution", "underwear-swimwear", "alcohol-tobacco-gambling")


@dataclass(frozen=True)
class Unsuitable:
    index: int
    en: str
    zh_CN: str
    category: str


def read_list(path: Path) -> tuple[Unsuitable, ...]:
    """The entries of a list file: tab-separated rows after ``#`` comments and a header."""
    rows = [line for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    entries = []
    for row in rows[1:]:
        index, en, zh, category = row.split("\t")
        if category not in CATEGORIES:
            raise ValueError(f"unknown category {category!r} for {en!r}")
        entries.append(Unsuitable(int(index), en, zh, category))
    return tuple(entries)


@cache
def _indices(path: Path, sha256: str) -> frozenset[int]:
    return frozenset(entry.index for entry in read_list(verified_file(path, sha256)))


def unsuitable_for_children(manifest: ModelManifest) -> frozenset[int]:
    """The label indices primary pupils are never shown, read once and sha256-checked."""
    try:
        path = manifest.folder / manifest.data[LIST_KEY]
        sha256 = manifest.data[f"{LIST_KEY}_sha256"]
    except KeyError as error:
        raise ModelError(tr("The description of the model '{name}' is damaged: {error}. "
                            "Reinstall the app.").format(name=manifest.folder.name,
                                                         error=error)) from error
    try:
        return _indices(path, sha256)
    except ValueError as error:
        raise ModelError(tr("The labels file '{name}' is damaged: {error}. Reinstall the app.")
                         .format(name=path.name, error=error)) from error


def first_suitable(guesses: Sequence[Guess], hidden: frozenset[int]) -> Guess | None:
    """The best guess if it may be shown; else the next one that may and is at least
    :data:`STAND_IN_PROBABILITY` likely; else None."""
    if guesses and guesses[0].label.index not in hidden:
        return guesses[0]
    return next((g for g in guesses[1:] if g.label.index not in hidden
                 and g.probability >= STAND_IN_PROBABILITY), None)
