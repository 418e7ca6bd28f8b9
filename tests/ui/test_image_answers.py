"""The image demo's answers for primary pupils, through the real window, the real model
and real photos: no listed label in the simple view, listed labels marked in the detailed
view, and the person message when a person fills the picture."""

from __future__ import annotations

from pathlib import Path

from classroom_app.core.vision.sources import SourceSpec
from classroom_app.ui.demos.window import DemoWindow

HIDDEN_NOTE = "不向小学生显示"
PERSON = "这个模型没有学过‘人’这一类"


def open_on(qtbot, ctx, photo: Path, view: str = "simple"):
    """The demo window in ``view``, showing its first answer for ``photo``."""
    window = DemoWindow(ctx.demos.get("image_classification"), {"view": view})
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.view.shown, timeout=15000):
        window.start(SourceSpec("images", str(photo)))
    return window


def test_a_listed_best_label_is_not_shown_to_primary_pupils(qtbot, ctx,
                                                            shared_testdata) -> None:
    """The seated woman in swimwear: the model's best guesses are 'tank suit' and
    'maillot'; the simple view says it is not sure, the detailed view marks them."""
    window = open_on(qtbot, ctx, shared_testdata / "faces" / "mps_pose_woman.jpg")
    view = window.view
    seen = view.last
    assert seen.hides(seen.found.best)
    hidden_names = {g.label.name() for g in seen.found.guesses if seen.hides(g)}
    assert view.big_name.text() == "我不确定这是什么"
    shown = view.big_name.text() + view.big_sure.text() + str(view.big_bar.items)
    assert not any(name in shown for name in hidden_names)

    view.set_simple(False)
    rows = dict(zip([name for name, _ in view.bars.items], view.bars.notes, strict=True))
    assert rows[seen.found.best.label.name()] == HIDDEN_NOTE
    assert all((note == HIDDEN_NOTE) == (name in hidden_names) for name, note in rows.items())
    assert not view.person_note.isVisible()
    window.close()


def test_a_person_filling_the_picture_is_said_plainly(qtbot, ctx, shared_testdata) -> None:
    window = open_on(qtbot, ctx, shared_testdata / "faces" / "mps_business_person.png")
    view = window.view
    assert view.last.person
    assert view.big_name.text() == PERSON
    assert "西装" not in view.big_name.text() + view.big_sure.text()  # not "suit"
    assert view.big_bar.items == []
    view.set_simple(False)
    assert view.person_note.isVisible() and view.person_note.text() == PERSON
    assert view.bars.items  # the detailed view still shows what the model guessed
    window.close()


def test_objects_are_named_without_the_person_message(qtbot, ctx, shared_testdata) -> None:
    window = open_on(qtbot, ctx, shared_testdata / "objects" / "effnetlite_repo_panda.jpg",
                     "detailed")
    view = window.view
    assert not view.last.person and not view.person_note.isVisible()
    assert view.bars.items[0][0] == "大熊猫" and view.bars.notes[0] == ""
    view.set_simple(True)
    assert view.big_name.text() == "大熊猫"
    window.close()
