"""What a lesson is, once loaded and validated. Plain frozen values."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from classroom_app.core.i18n import LANGUAGES, language, tr

STAGES = ("primary", "middle", "senior")
STAGE_GRADES = {"primary": range(1, 7), "middle": range(7, 10), "senior": range(10, 13)}
# A class period (课时) in Beijing: 40 minutes in primary school, 45 in secondary.
PERIOD_MINUTES = {"primary": 40, "middle": 45, "senior": 45}
MAX_PERIODS = 4
QUESTION_KINDS = ("single", "multiple", "truefalse")
ASPECTS = (
    "human-centred-mindset",
    "ethics-of-ai",
    "ai-techniques-and-applications",
    "ai-system-design",
)
LEVELS = ("understand", "apply", "create")

Texts = dict[str, str]


@dataclass(frozen=True)
class StepKind:
    """What the validator, progress, evaluation and sample school know of one step type
    (a step's ``type``); the lesson player and the session's step panel add its view."""

    name: str
    has_markdown: bool  # its text is zh_CN/<step id>.md and en/<step id>.md
    needs_demo: bool  # it names a demo of the catalog (``demo = "..."``)
    has_questions: bool  # it holds [[steps.questions]], which a whole class may answer
    scored: bool  # its completion records the share of its questions answered right
    writes_response: bool  # the pupil writes an answer, recorded with its completion
    activity_type: str  # a key of xapi.ACTIVITY_TYPES: its activity's type
    verb: str  # a key of xapi.VERBS: the verb its completion is recorded with
    evidence: str  # the kind of evaluation fact its completion statement becomes
    judged_by: str | None  # how that fact shows a competency: "score", "response" or not
    solo_share: float  # sample school: the share of its minutes a pupil alone spends on it
    redo_share: float  # sample school: and the share of that when doing the lesson again


STEP_KINDS = {kind.name: kind for kind in (
    # A statement of unknown activity type counts as the first kind with its verb.
    StepKind("text", has_markdown=True, needs_demo=False, has_questions=False,
             scored=False, writes_response=False, activity_type="step", verb="completed",
             evidence="step", judged_by=None, solo_share=0.5, redo_share=0.3),
    StepKind("quiz", has_markdown=False, needs_demo=False, has_questions=True,
             scored=True, writes_response=False, activity_type="quiz", verb="completed",
             evidence="quiz", judged_by="score", solo_share=0.8, redo_share=0.6),
    StepKind("demo", has_markdown=True, needs_demo=True, has_questions=False,
             scored=False, writes_response=False, activity_type="step", verb="completed",
             evidence="step", judged_by=None, solo_share=1.0, redo_share=0.6),
    StepKind("reflection", has_markdown=True, needs_demo=False, has_questions=False,
             scored=False, writes_response=True, activity_type="step", verb="responded",
             evidence="reflection", judged_by="response", solo_share=0.7, redo_share=0.6),
)}
# The evaluation facts a step's completion may become, each once, in the table's order.
STEP_EVIDENCE = tuple(dict.fromkeys(kind.evidence for kind in STEP_KINDS.values()))


def is_per_language(value: object) -> bool:
    """Whether ``value`` is a ``{ zh_CN = ..., en = ... }`` table."""
    return isinstance(value, dict) and bool(value) and set(value) <= set(LANGUAGES)


def localized(value: object, lang: str) -> object:
    if not is_per_language(value):
        return value
    assert isinstance(value, dict)
    return value.get(lang, next(iter(value.values())))


def stage_name(stage: str) -> str:
    """The stage as a teacher says it: 小学 / 初中 / 高中."""
    names = {"primary": tr("Primary school"), "middle": tr("Middle school"),
             "senior": tr("Senior high school")}
    return names.get(stage, stage)


def aspect_name(aspect: str) -> str:
    names = {
        "human-centred-mindset": tr("Human-centred mindset"),
        "ethics-of-ai": tr("Ethics of AI"),
        "ai-techniques-and-applications": tr("AI techniques and applications"),
        "ai-system-design": tr("AI system design"),
    }
    return names.get(aspect, aspect)


def level_name(level: str) -> str:
    names = {"understand": tr("Understand"), "apply": tr("Apply"), "create": tr("Create")}
    return names.get(level, level)


@dataclass(frozen=True)
class Question:
    kind: str
    prompt: Texts
    options: dict[str, tuple[str, ...]]
    correct: frozenset[int]
    explanation: Texts

    def option_texts(self) -> tuple[str, ...]:
        """The options in the current language (true/false come from the catalogue)."""
        if self.kind == "truefalse":
            return (tr("True"), tr("False"))
        return self.options.get(language()) or next(iter(self.options.values()), ())

    def is_correct(self, chosen: frozenset[int]) -> bool:
        return chosen == self.correct


@dataclass(frozen=True)
class Step:
    id: str
    type: str
    minutes: int
    title: Texts
    competencies: tuple[str, ...] = ()
    demo: str | None = None
    params: dict[str, object] = field(default_factory=dict)
    questions: tuple[Question, ...] = ()
    markdown: Texts = field(default_factory=dict)

    @property
    def kind(self) -> StepKind:
        """What its ``type`` means: the entry of :data:`STEP_KINDS`."""
        return STEP_KINDS[self.type]

    def params_for(self, lang: str | None = None) -> dict[str, object]:
        """The demo's parameters in ``lang`` (default: the current language): a value
        given per language (``{ zh_CN = [...], en = [...] }``) becomes that language's."""
        lang = lang or language()
        return {key: localized(value, lang) for key, value in self.params.items()}

    def markdown_dir(self, lesson: Lesson, language: str) -> Path:
        """Folder against which the Markdown's picture paths resolve."""
        return lesson.path / language


@dataclass(frozen=True)
class Lesson:
    id: str
    stage: str
    grades: tuple[int, ...]
    minutes: int
    title: Texts
    summary: Texts
    objectives: dict[str, tuple[str, ...]]
    competencies: tuple[str, ...]
    steps: tuple[Step, ...]
    path: Path
    shipped: bool = True
    periods: int = 1  # class periods (课时) the lesson takes and counts for
    teacher_notes: Texts = field(default_factory=dict)  # Markdown per language, never projected


    def step_index(self, step_id: str) -> int:
        for i, step in enumerate(self.steps):
            if step.id == step_id:
                return i
        raise KeyError(step_id)

    def objective_texts(self) -> tuple[str, ...]:
        return self.objectives.get(language()) or next(iter(self.objectives.values()), ())
