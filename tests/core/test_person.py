"""A person filling the picture is said plainly ("this model never learned a 'person'
class") instead of naming their clothes; objects, and people far from the camera, are not.

Measured face shares (widest face / side of the model's square, WORK_SIDE 160):
business person 0.34, two children 0.69, waist-up portrait 0.37, three men waist-up 0.26,
the shipped astronaut 0.23; no face at all on the panda, cup, pizza, cat and wine photos;
the couple walking their dog (faces about 0.09) none, so the dog is named.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from classroom_app.core.vision.answer import Seen, person_message, primary_answer
from classroom_app.core.vision.classifier import open_shipped
from classroom_app.core.vision.person import FACE_SHARE, PersonCheck
from classroom_app.core.vision.pictures import read_picture

PEOPLE = ["faces/mps_business_person.png", "faces/mps_face_two_kids.jpg",
          "pose/upperbody_tfjs_portrait.jpg"]
OBJECTS = ["objects/effnetlite_repo_panda.jpg", "objects/effnetlite_repo_img2.jpg",
           "objects/mps_cup.png", "objects/mps_american_pizza.jpg",
           "objects/mps_italy_pizza.png", "objects/mps_cat.jpg", "objects/mps_wine_pasta.jpg",
           "objects/mps_couple_and_dog.jpg"]


@pytest.fixture(scope="module")
def check() -> PersonCheck:
    return PersonCheck(recheck_seconds=0)  # every photo searched


@pytest.fixture(scope="module")
def int8():
    return open_shipped("int8")


@pytest.mark.parametrize("name", PEOPLE)
def test_a_face_that_fills_the_picture_gets_the_person_message(shared_testdata: Path, check,
                                                               int8, name: str) -> None:
    frame = read_picture(shared_testdata / name)
    assert check.face_share(frame) >= FACE_SHARE + 0.1  # well clear of the threshold
    answer = primary_answer(Seen(int8.classify(frame), int8.hidden, check.fills(frame)))
    assert answer.headline == person_message() == "这个模型没有学过‘人’这一类"
    assert answer.guess is None  # not "suit" or "ice lolly"


@pytest.mark.parametrize("name", OBJECTS)
def test_objects_and_people_far_away_are_not_a_person(shared_testdata: Path, check, int8,
                                                      name: str) -> None:
    frame = read_picture(shared_testdata / name)
    assert check.face_share(frame) < FACE_SHARE
    answer = primary_answer(Seen(int8.classify(frame), int8.hidden, check.fills(frame)))
    assert answer.headline != person_message()


def test_the_pictures_are_named_as_before(shared_testdata: Path, check, int8) -> None:
    for name, expected in (("effnetlite_repo_panda.jpg", "大熊猫"), ("mps_cup.png", "咖啡杯"),
                           ("mps_american_pizza.jpg", "比萨饼")):
        frame = read_picture(shared_testdata / "objects" / name)
        seen = Seen(int8.classify(frame), int8.hidden, check.fills(frame))
        assert primary_answer(seen).headline == expected


def test_the_person_message_in_english() -> None:
    from classroom_app.core import i18n

    i18n.set_language("en")
    assert person_message() == "This model never learned a 'person' class"


def test_a_stream_searches_at_most_every_recheck_interval(shared_testdata: Path) -> None:
    """Between searches the last answer stands; forget() searches again at once."""
    check = PersonCheck(recheck_seconds=60)
    person = read_picture(shared_testdata / "faces" / "mps_business_person.png")
    panda = read_picture(shared_testdata / "objects" / "effnetlite_repo_panda.jpg")
    assert check.fills(person)
    assert check.fills(panda)  # within the minute: not searched
    check.forget()
    assert not check.fills(panda)
