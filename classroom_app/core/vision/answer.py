"""What the image demo says about one picture, in words a child understands.

:class:`Seen` is what the demo's worker finds in a frame; :func:`primary_answer` turns it
into the single answer the primary stage sees: the person message when a person fills
the picture (ImageNet has no "person" class), else the best label that is not on the
reviewed list (:mod:`classroom_app.core.vision.suitable`), else "not sure".
"""

from __future__ import annotations

from dataclasses import dataclass

from classroom_app.core.i18n import tr
from classroom_app.core.vision.classifier import Classification, Guess
from classroom_app.core.vision.suitable import first_suitable


@dataclass(frozen=True)
class Seen:
    found: Classification
    hidden: frozenset[int]  # labels the primary stage is never shown
    person: bool  # a person fills the picture

    def hides(self, guess: Guess) -> bool:
        return guess.label.index in self.hidden


@dataclass(frozen=True)
class Answer:
    headline: str  # the big line
    detail: str  # how sure, or what to try
    guess: Guess | None  # the label named, if any


def how_sure(probability: float) -> str:
    """The confidence in words a child understands."""
    if probability >= 0.8:
        return tr("very sure")
    if probability >= 0.5:
        return tr("fairly sure")
    if probability >= 0.25:
        return tr("not very sure")
    return tr("just guessing")


def person_message() -> str:
    return tr("This model never learned a 'person' class")


def not_sure_message() -> str:
    return tr("I'm not sure what this is")


def primary_answer(seen: Seen) -> Answer:
    """The one answer primary pupils see; never a label on the reviewed list."""
    if seen.person:
        return Answer(person_message(), tr("It only knows the 1000 kinds of things it was "
                                           "taught. Hold one thing up close to the camera."),
                      None)
    guess = first_suitable(seen.found.guesses, seen.hidden)
    if guess is None:
        return Answer(not_sure_message(), tr("Try another thing, or show this one another way."),
                      None)
    return Answer(guess.label.name(), tr("The computer is {how} ({percent:.0f}%).").format(
        how=how_sure(guess.probability), percent=guess.probability * 100), guess)
