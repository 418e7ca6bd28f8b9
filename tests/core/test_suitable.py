"""Primary pupils never see a label on the reviewed list: the list itself, the stand-in
rule and the "not sure" fallback, on constructed outputs and on the real model."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from classroom_app.core import paths
from classroom_app.core.vision import model_files, suitable
from classroom_app.core.vision.answer import Seen, not_sure_message, primary_answer
from classroom_app.core.vision.classifier import Classification, Guess, open_shipped
from classroom_app.core.vision.model_files import ModelError, load_labels, load_manifest
from classroom_app.core.vision.pictures import read_picture
from classroom_app.core.vision.suitable import STAND_IN_PROBABILITY, read_list

LIST = paths.models_dir() / "efficientnet_lite0" / "unsuitable_for_children.tsv"
LABELS = load_labels(load_manifest())
HIDDEN = suitable.unsuitable_for_children(load_manifest())
SUIT, CUP, PANDA = 834, 968, 388


def seen_from(probabilities: np.ndarray, person: bool = False) -> Seen:
    """What the demo's worker would report for this output of the model."""
    best = np.argsort(-probabilities)[:5]
    guesses = tuple(Guess(LABELS[i], float(probabilities[i])) for i in best)
    return Seen(Classification(guesses, 0.0, np.zeros((224, 224, 3), np.uint8)), HIDDEN,
                person)


def output(**shares: float) -> np.ndarray:
    """A probability vector with the given label indices (``i388=0.6``) and the rest
    spread evenly."""
    chosen = {int(k[1:]): v for k, v in shares.items()}
    rest = (1.0 - sum(chosen.values())) / (1000 - len(chosen))
    vector = np.full(1000, rest)
    for index, value in chosen.items():
        vector[index] = value
    return vector


def test_the_list_names_real_labels_by_index_and_name() -> None:
    """Each row's index, English and Chinese name are the ones in labels.tsv, so a reader
    can check it; and the categories are the four the header explains."""
    entries = read_list(LIST)
    for entry in entries:
        label = LABELS[entry.index]
        assert (entry.en, entry.zh_CN) == (label.en, label.zh_CN), entry
    assert len({e.index for e in entries}) == len(entries)
    assert {e.index for e in entries} == HIDDEN
    assert Counter(e.category for e in entries) == {
        "weapon": 7, "execution": 1, "underwear-swimwear": 7, "alcohol-tobacco-gambling": 9}
    # The labels issue 16 names: brassiere, bikini, assault rifle, revolver, guillotine.
    assert {459, 445, 413, 763, 583} <= HIDDEN


def test_the_list_says_how_it_was_chosen() -> None:
    header = "\n".join(line for line in LIST.read_text(encoding="utf-8").splitlines()
                       if line.startswith("#"))
    for words in ("Rule:", "1,000", "Reviewed by:", *suitable.CATEGORIES):
        assert words in header


def test_a_listed_best_label_is_never_the_primary_answer() -> None:
    """For every listed label as the best guess, with a runner-up that may be shown and
    one that may not, the answer never names a listed label."""
    for index in sorted(HIDDEN):
        others = [i for i in HIDDEN if i != index][:1]
        for vector in (output(**{f"i{index}": 0.6, f"i{CUP}": 0.3}),
                       output(**{f"i{index}": 0.5, f"i{others[0]}": 0.3, f"i{PANDA}": 0.1}),
                       output(**{f"i{index}": 0.9})):
            answer = primary_answer(seen_from(vector))
            assert answer.guess is None or answer.guess.label.index not in HIDDEN
            assert answer.headline not in {LABELS[i].name() for i in HIDDEN}


def test_random_outputs_never_show_a_listed_label() -> None:
    """Many model outputs where listed labels are among the likeliest."""
    rng = np.random.default_rng(16)
    listed = np.array(sorted(HIDDEN))
    for _ in range(2000):
        logits = rng.normal(0, 1, 1000)
        logits[rng.choice(listed, 3)] += rng.uniform(2, 8, 3)
        vector = np.exp(logits) / np.exp(logits).sum()
        answer = primary_answer(seen_from(vector))
        assert answer.guess is None or answer.guess.label.index not in HIDDEN


def test_the_next_suitable_label_stands_in_only_if_the_model_gives_it_a_quarter() -> None:
    stands_in = primary_answer(seen_from(output(i459=0.5, i445=0.1, i968=0.3)))
    assert stands_in.guess is not None and stands_in.guess.label.index == CUP
    assert stands_in.headline == "杯子" and "30%" in stands_in.detail
    too_unsure = primary_answer(seen_from(output(i459=0.5, i968=STAND_IN_PROBABILITY - 0.01)))
    assert too_unsure.guess is None and too_unsure.headline == not_sure_message()


def test_the_fallback_says_not_sure_in_both_languages() -> None:
    from classroom_app.core import i18n

    answer = primary_answer(seen_from(output(i413=0.95)))
    assert answer.headline == "我不确定这是什么" and answer.guess is None
    i18n.set_language("en")
    assert primary_answer(seen_from(output(i413=0.95))).headline == "I'm not sure what this is"


def test_a_suitable_best_label_is_shown_as_before() -> None:
    answer = primary_answer(seen_from(output(i388=0.2)))
    assert answer.headline == "大熊猫" and "只是在猜" in answer.detail


@pytest.mark.parametrize("variant", ["int8", "fp32"])
def test_real_photos_whose_best_label_is_listed_get_no_listed_answer(
        shared_testdata: Path, variant: str) -> None:
    """The real model on real photos where its best guess is on the list: a seated woman
    (swimsuit), a rendered woman (brassiere), a yoga pose (miniskirt), wine with pasta
    (red wine, int8) and the shipped rocket sample (missile)."""
    classifier = open_shipped(variant)
    photos = [shared_testdata / "faces" / "mps_pose_woman.jpg",
              shared_testdata / "pose" / "standing_tfex_woman_render.png",
              shared_testdata / "pose" / "tree_tfex_yoga.jpg",
              shared_testdata / "objects" / "mps_wine_pasta.jpg",
              paths.sample_images_dir() / "rocket.jpg"]
    hidden_best = 0
    for photo in photos:
        found = classifier.classify(read_picture(photo))
        hidden_best += found.best.label.index in HIDDEN
        answer = primary_answer(Seen(found, classifier.hidden, False))
        assert answer.guess is None or answer.guess.label.index not in HIDDEN, photo.name
    assert hidden_best >= 4


def test_a_damaged_list_stops_the_model_from_opening(tmp_path, monkeypatch) -> None:
    """A list that lost a row would hide less: it is refused by its sha256, like the model."""
    root = tmp_path / "shipped"
    shutil.copytree(paths.models_dir(), root / "models")
    monkeypatch.setattr(paths, "models_dir", lambda: root / "models")
    model_files._labels.cache_clear()
    path = root / "models" / "efficientnet_lite0" / "unsuitable_for_children.tsv"
    path.write_text("".join(path.read_text(encoding="utf-8").splitlines(True)[:-1]),
                    encoding="utf-8")
    with pytest.raises(ModelError, match="sha256"):
        open_shipped("int8")
