"""Demo parameters are declared in the manifests and checked when a lesson pack loads:
a wrong type, a value out of range or an unknown name is refused with its file and line,
not found in front of the class; FORMAT.md lists them as the manifests say."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from classroom_app.core import i18n, paths
from classroom_app.core.demo_catalog import load_catalog
from classroom_app.core.demo_params import parse_specs, problem
from classroom_app.core.lessons.pack import load_pack

KNOWN = load_catalog().known()


@pytest.fixture(autouse=True)
def english() -> None:
    i18n.set_language("en")


def with_params(pack: Path, demo: str, params: str) -> tuple[Path, int]:
    """The pack with its ``demo`` step's params line set to ``params``; the line."""
    toml = pack / "lesson.toml"
    text = toml.read_text(encoding="utf-8")
    step = re.compile(rf'(demo = "{demo}"\n(?:#.*\n)*)(params = .*\n)?')
    toml.write_text(step.sub(lambda m: f"{m.group(1)}params = {params}\n", text, count=1),
                    encoding="utf-8")
    lines = toml.read_text(encoding="utf-8").splitlines()
    return toml, lines.index(f"params = {params}") + 1


@pytest.mark.parametrize(("lesson", "demo", "params", "said"), [
    ("p3-ai-around-us", "rock_paper_scissors", '{ rounds = "five" }',
     "Parameter 'rounds' must be a whole number."),
    ("p3-ai-around-us", "rock_paper_scissors", "{ rounds = 50 }",
     "Parameter 'rounds' must be from 1 to 20."),
    ("p3-ai-around-us", "rock_paper_scissors", "{ colour = 1 }",
     "The demo 'rock_paper_scissors' has no parameter 'colour'"),
    ("m1-data-and-features", "hand_tracking", '{ hands = "two" }',
     "Parameter 'hands' must be a whole number."),
    ("m1-data-and-features", "hand_tracking", '{ gestures = ["Fist"] }',
     "Parameter 'gestures' has 'Fist', not one of:"),
    ("p1-how-computers-see", "image_classification", '{ view = "big" }',
     "Parameter 'view' must be one of: simple, detailed."),
    ("p2-teach-by-examples", "teach_the_computer",
     '{ classes = { zh_CN = ["石头", "剪刀"], en = "Rock" } }',
     "Parameter 'classes' must be a list of words in quotes."),
])
def test_a_wrong_parameter_is_refused_with_its_line(pack_copy, lesson, demo, params,
                                                     said) -> None:
    pack = pack_copy(lesson)
    toml, line = with_params(pack, demo, params)
    result = load_pack(pack, KNOWN)
    assert result.lesson is None
    assert any(str(p).startswith(f"{toml}:{line}:") and said in str(p)
               for p in result.problems), [str(p) for p in result.problems]


def test_every_shipped_demo_step_sets_only_what_its_demo_declares() -> None:
    for pack in sorted(paths.shipped_lessons_dir().iterdir()):
        if (pack / "lesson.toml").is_file():
            assert not load_pack(pack, KNOWN).problems, pack.name


def test_a_manifest_that_declares_a_parameter_badly_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="needs a type"):
        parse_specs({"rounds": {"type": "integer"}})
    with pytest.raises(ValueError, match="default is not allowed"):
        parse_specs({"hands": {"type": "int", "min": 1, "max": 2, "default": 3}})
    spec = parse_specs({"seconds": {"type": "number", "min": 1, "max": 10}})["seconds"]
    assert problem(spec, 2.5) is None and problem(spec, True) is not None


def test_format_md_lists_the_parameters_as_the_manifests_declare_them() -> None:
    sys.path.insert(0, str(paths.package_dir().parent / "scripts"))
    try:
        from demo_params_doc import FORMAT, current_text
    finally:
        sys.path.pop(0)
    text = FORMAT.read_text(encoding="utf-8")
    assert text == current_text(text), "run scripts/demo_params_doc.py"
