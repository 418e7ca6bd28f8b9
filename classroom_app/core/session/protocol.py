"""What the master teacher and the classrooms say to each other on the data channel.

The master sends *commands*; each carries a sequence number and the whole lesson state
it leads to, so a classroom that missed some (a dropped link) is right again with the
next one, and a classroom that joins or rejoins gets the state at once. Classrooms send
back who they are, a raised hand, the class's quiz answers as counts, and how well the
video arrives (the master adapts the video to it). Messages are small JSON objects.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace

PORT = 8765  # the master's signaling port, which classrooms type after the address
CHANNEL = "lesson"
OPS = ("step", "quiz", "close-quiz", "demo", "end")
MAX_MESSAGE_BYTES = 64 * 1024


class ProtocolError(ValueError):
    """A message that is not one of ours (wrong shape, too big, not JSON)."""


@dataclass(frozen=True)
class LessonState:
    """Where the shared lesson is: its id, the step shown, and what is open.

    ``activity`` is "" (the master teaches), "quiz" (the step's quiz is open for the
    class to answer) or "demo:<id>" (each classroom runs demo <id> on its own PC).
    """

    lesson: str = ""
    step: int = 0
    activity: str = ""
    ended: bool = False

    def after(self, op: str, value: int | str | None = None) -> LessonState:
        """The state a command leads to."""
        if op == "step":
            return replace(self, step=max(0, int(value or 0)), activity="")
        if op == "quiz":
            step = self.step if value is None else max(0, int(value))
            return replace(self, step=step, activity="quiz")
        if op == "close-quiz":
            return replace(self, activity="")
        if op == "demo":
            return replace(self, activity=f"demo:{value}")
        if op == "end":
            return replace(self, activity="", ended=True)
        raise ProtocolError(f"unknown command {op!r}")

    @property
    def demo(self) -> str | None:
        return self.activity.removeprefix("demo:") if self.activity.startswith("demo:") else None


@dataclass(frozen=True)
class Command:
    """One master command, numbered, with the state it leads to."""

    seq: int
    op: str
    value: int | str | None
    state: LessonState
    sent: float = 0.0  # the master's clock, for measuring latency on one machine

    def to_message(self) -> dict:
        return {"type": "command", "seq": self.seq, "op": self.op, "value": self.value,
                "state": asdict(self.state), "sent": self.sent}


@dataclass(frozen=True)
class AnswerSummary:
    """A class's answers to one quiz step: per question, how many chose each option."""

    step: str
    counts: tuple[tuple[int, ...], ...]
    learners: int = 0

    def to_message(self) -> dict:
        return {"type": "answers", "step": self.step,
                "counts": [list(c) for c in self.counts], "learners": self.learners}


@dataclass
class ClassroomStatus:
    """What the master knows of one classroom."""

    id: str
    name: str
    connected: bool = True
    hand: bool = False
    local: str = ""  # "" follows the master; "activity" / "own-pace" when the local teacher leads
    answers: dict[str, AnswerSummary] = field(default_factory=dict)
    video: str = ""
    fps: float = 0.0
    applied_seq: int = 0


def encode(message: dict) -> str:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))


def decode(text: str | bytes) -> dict:
    """Parse one message; refuse anything that is not a small JSON object with a type."""
    if len(text) > MAX_MESSAGE_BYTES:
        raise ProtocolError("message too large")
    try:
        message = json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        raise ProtocolError(f"not JSON: {error}") from None
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise ProtocolError("not a message object")
    return message


def state_from(data: object) -> LessonState:
    if not isinstance(data, dict):
        raise ProtocolError("state is not an object")
    try:
        return LessonState(lesson=str(data.get("lesson", "")), step=int(data.get("step", 0)),
                           activity=str(data.get("activity", "")),
                           ended=bool(data.get("ended", False)))
    except (TypeError, ValueError) as error:
        raise ProtocolError(f"bad state: {error}") from None


def command_from(message: dict) -> Command:
    try:
        seq = int(message["seq"])
        op = str(message["op"])
        sent = float(message.get("sent", 0.0))
    except (KeyError, TypeError, ValueError) as error:
        raise ProtocolError(f"bad command: {error}") from None
    if op not in OPS:
        raise ProtocolError(f"unknown command {op!r}")
    value = message.get("value")
    if value is not None and not isinstance(value, int | str):
        raise ProtocolError("bad command value")
    return Command(seq, op, value, state_from(message.get("state")), sent)


def answers_from(message: dict) -> AnswerSummary:
    try:
        counts = tuple(tuple(max(0, int(n)) for n in row) for row in message["counts"])
        return AnswerSummary(str(message["step"]), counts, max(0, int(message.get("learners",
                                                                                0))))
    except (KeyError, TypeError, ValueError) as error:
        raise ProtocolError(f"bad answers: {error}") from None
