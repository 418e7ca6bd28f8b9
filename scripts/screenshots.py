"""Takes screenshots of the real app for review: run under Xvfb, e.g.

    xvfb-run -s "-screen 0 1280x800x24" .venv/bin/python scripts/screenshots.py OUT_DIR

Home, a lesson on the projector, a quiz after answering, the class progress, the face
demo, the Sync page, in Chinese and in English. Uses a throw-away data directory.
``--only=sync`` takes the Sync page alone (quick).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("CLASSROOM_DATA_DIR", tempfile.mkdtemp(prefix="classroom-shots-"))

import cv2  # noqa: E402
from shots import arguments, settle, shoot, start_app, teacher_window  # noqa: E402

from classroom_app.core import paths  # noqa: E402
from classroom_app.core.context import open_context  # noqa: E402
from classroom_app.core.sync.device import load_identity  # noqa: E402
from classroom_app.core.sync.keys import new_private_key, public_key_text  # noqa: E402
from classroom_app.core.sync.service import push_outbox  # noqa: E402
from classroom_app.core.vision.sources import SourceSpec  # noqa: E402
from classroom_app.hub.lrs import Lrs  # noqa: E402
from classroom_app.hub.server import HubHttpServer  # noqa: E402
from classroom_app.hub.storage import HubStorage  # noqa: E402
from classroom_app.ui.lessons.quiz_view import QuizView  # noqa: E402
from classroom_app.ui.main_window import MainWindow  # noqa: E402
from classroom_app.ui.pin_dialog import PinDialog  # noqa: E402
from classroom_app.ui.settings_dialog import SettingsDialog  # noqa: E402
from classroom_app.ui.sync.class_hub_panel import AddPcDialog  # noqa: E402


def seed(ctx) -> None:
    info = ctx.store.add_class("四(2)班", "primary", 4, "2026-09-01")
    names = ["王小明", "李华", "张伟", "刘洋", "陈静", "杨帆"]
    ctx.store.add_learners(info.id, [(f"202604{i:02d}", n) for i, n in enumerate(names, 1)])
    learners = ctx.store.learners(info.id)
    for lesson_id in ("p1-how-computers-see", "p3-ai-around-us"):
        lesson = ctx.library.get(lesson_id)
        session = ctx.progress.open_class_session(lesson, info.id)
        ctx.progress.record_attendance(session, lesson, [x.id for x in learners[:5]], 2400)
    lesson = ctx.library.get("p2-teach-by-examples")
    for learner in learners[:3]:
        attempt = ctx.progress.open_attempt(lesson, info.id, learner.id)
        for step in lesson.steps:
            if step.type == "quiz":
                for i, q in enumerate(step.questions):
                    ctx.progress.record_answer(attempt, lesson, step, i,
                                               q.correct if i or learner.id % 2 else
                                               frozenset({len(q.option_texts()) - 1}))
            ctx.progress.complete_step(attempt, lesson, step, step.minutes * 60,
                                       "我学到了很多。" if step.type == "reflection" else None)
            ctx.progress.move_to(attempt, lesson.step_index(step.id), step.minutes * 60)
        ctx.progress.finish_lesson(attempt, lesson)
    other = ctx.progress.open_attempt(ctx.library.get("p1-how-computers-see"), info.id,
                                      learners[5].id)
    ctx.progress.move_to(other, 2, 600)


def run(out: Path, language: str, ctx) -> None:
    ctx.update_settings(language=language)
    window = teacher_window(ctx, 1280, 800)
    shoot(window, out / f"home_{language}.png")
    for name, dialog in (("settings", SettingsDialog(ctx, True, window)),
                         ("pin", PinDialog(ctx, window))):
        dialog.show()
        shoot(dialog, out / f"{name}_{language}.png")
        dialog.close()
    info = ctx.store.classes()[0]
    lesson = ctx.library.get("p1-how-computers-see")
    window.present_lesson(lesson, info)
    player = window.player
    player.go_to(1)
    shoot(window.projector, out / f"projector_text_{language}.png")
    quiz_index = next(i for i, s in enumerate(lesson.steps) if s.type == "quiz")
    player.go_to(quiz_index)
    view = player.views[quiz_index]
    assert isinstance(view, QuizView)
    view.buttons[0].click()
    view.check()
    shoot(window.projector, out / f"projector_quiz_{language}.png")
    demo_index = next(i for i, s in enumerate(lesson.steps) if s.type == "demo")
    player.go_to(demo_index)
    shoot(window.projector, out / f"projector_demo_step_{language}.png")
    window.projector.close()
    window.teacher_page("classes")
    shoot(window, out / f"classes_{language}.png")
    window.show_learner_picker()
    shoot(window, out / f"students_{language}.png")
    learner = ctx.store.learners(info.id)[5]
    window.learner_picked(info, learner)
    shoot(window, out / f"my_lessons_{language}.png")
    window.open_student_lesson(ctx.library.get("p3-ai-around-us"))
    student = window.player
    student.go_to(len(student.lesson.steps) - 1)
    shoot(window, out / f"student_reflection_{language}.png")
    window.teacher_page("progress")
    shoot(window, out / f"progress_{language}.png")
    shoot_sync(window, out, language)
    demo = window.open_demo("face_detection")
    demo.start(SourceSpec("images", str(paths.sample_images_dir() / "astronaut.jpg")))
    settle(1500)
    shoot(demo, out / f"face_demo_{language}.png")
    demo.close()
    shoot_vision_demos(window, out, language)
    shoot_hand_demos(window, out, language)
    window.close()


def shoot_vision_demos(window: MainWindow, out: Path, language: str) -> None:
    coffee = SourceSpec("images", str(paths.sample_images_dir() / "coffee.jpg"))
    demo = window.open_demo("image_classification", {"view": "simple"})
    demo.start(coffee)
    settle(1500)
    shoot(demo, out / f"classify_simple_{language}.png")
    demo.view.set_simple(False)
    settle(1000)
    shoot(demo, out / f"classify_detailed_{language}.png")
    demo.close()
    classes = ["猫", "咖啡"] if language == "zh_CN" else ["cat", "coffee"]
    teach = window.open_demo("teach_the_computer", {"classes": classes})
    view = teach.view
    view.new_project(ask=False)
    for index, name in enumerate(("chelsea.jpg", "coffee.jpg")):
        picture = cv2.imread(str(paths.sample_images_dir() / name))
        h, w = picture.shape[:2]
        for i in range(12):
            crop = picture[i * h // 40: h - (11 - i) * h // 40, (11 - i) * w // 40: w - i * w // 40]
            view.add_example(index, cv2.flip(crop, 1) if i % 2 else crop)
    teach.start(SourceSpec("images", str(paths.sample_images_dir() / "chelsea.jpg")))
    view.train()
    for _ in range(40):
        settle(250)
        if not view.trainer.busy:
            break
    settle(1500)
    shoot(teach, out / f"teach_{language}.png")
    teach.close()


def shoot_hand_demos(window: MainWindow, out: Path, language: str) -> None:
    """The hand demos on the shared test photos (development only: not shipped)."""
    hands = paths.shipped_root().parent / "shared" / "testdata" / "hands"
    if not hands.is_dir():
        print(f"no hand photos at {hands}: hand demos skipped")
        return
    thumb = SourceSpec("images", str(hands / "thumbup_mps_hand_thumb_up.jpg"))
    victory = SourceSpec("images", str(hands / "victory_mps_hand_victory.jpg"))
    two = SourceSpec("images", str(hands / "thumbup_mps_two_hands.jpg"))
    demo = window.open_demo("hand_tracking", {})
    demo.start(thumb)
    settle(2500)
    shoot(demo, out / f"hands_{language}.png")
    demo.start(two)
    settle(2500)
    shoot(demo, out / f"hands_two_{language}.png")
    demo.close()
    names = ["点赞", "比耶"] if language == "zh_CN" else ["thumb up", "victory"]
    teach = window.open_demo("teach_gestures", {"gestures": names, "seconds": 1.5})
    view = teach.view
    view.new_project(names)
    for index, spec in enumerate((thumb, victory)):
        teach.start(spec)
        settle(1200)
        view.record(index)
        settle(3000)
    view.train()
    settle(1500)
    shoot(teach, out / f"teach_gestures_{language}.png")
    teach.close()
    if window.ctx.demos.get("rock_paper_scissors") is not None:
        game = window.open_demo("rock_paper_scissors", {"countdown_seconds": 1.5, "seed": 3})
        game.start(victory)
        settle(2000)
        game.view.play()
        settle(3500)
        shoot(game, out / f"rps_{language}.png")
        game.close()


def seed_sync(ctx) -> HubHttpServer:
    """A district hub on loopback that this PC has synced with: one record refused (a
    pupil recorded under another school's web address), a few waiting since; and this
    PC as the class hub, with one student PC enrolled."""
    lrs = Lrs(HubStorage.sqlite(Path(tempfile.mkdtemp(prefix="classroom-shots-hub-"))
                                / "hub.sqlite3"))
    school = "https://www.sy.edu.cn/"
    room = lrs.devices.add("Room 3", school, load_identity().public_key)
    server = HubHttpServer(lrs).start()
    info = ctx.store.classes()[0]
    learners = ctx.store.learners(info.id)
    ctx.update_settings(school_home_page="https://old-address.example.edu.cn/")
    ctx.progress.open_attempt(ctx.library.get("p3-ai-around-us"), info.id, learners[4].id)
    ctx.update_settings(school_home_page=school, sync_endpoint=server.url,
                        sync_username=room.device.username, sync_password=room.password,
                        sync_hub_key=room.hub_key, class_hub_enabled=True)
    push_outbox(ctx.store, ctx.settings)
    lesson = ctx.library.get("p3-ai-around-us")
    for learner in learners[:3]:
        attempt = ctx.progress.open_attempt(lesson, info.id, learner.id)
        ctx.progress.complete_step(attempt, lesson, lesson.steps[0], 300)
    return server


def shoot_sync(window: MainWindow, out: Path, language: str) -> None:
    hub = window.class_hub
    if not hub.devices():
        hub.enrol("第3排 12号机", public_key_text(new_private_key()))
    window.teacher_page("sync")
    for _ in range(30):
        if not hub.busy:
            break
        settle(100)
    shoot(window, out / f"sync_{language}.png")
    dialog = AddPcDialog(hub, window)
    dialog.name.setText("第1排 3号机" if language == "zh_CN" else "PC 3, front row")
    dialog.add()
    dialog.show()
    shoot(dialog, out / f"sync_add_pc_{language}.png")
    dialog.close()
    if dialog.enrolment is not None:
        hub.remove(dialog.enrolment.device.username)


def run_sync_only(out: Path, language: str, ctx) -> None:
    ctx.update_settings(language=language)
    window = teacher_window(ctx, 1280, 800)
    shoot_sync(window, out, language)
    window.close()


def main() -> None:
    out, options = arguments()
    only = options.get("only", [])
    app = start_app()
    ctx = open_context()
    seed(ctx)
    district = seed_sync(ctx)
    for language in ("zh_CN", "en"):
        if only == ["sync"]:
            run_sync_only(out, language, ctx)
        else:
            run(out, language, ctx)
    district.stop()
    ctx.close()
    app.quit()


if __name__ == "__main__":
    main()
