"""Screenshots of the Classes page at a classroom's 1024×768, for review: run under Xvfb,

    xvfb-run -a -s "-screen 0 1024x768x24" .venv/bin/python scripts/roster_screenshots.py OUT

The page with a class of 45 pupils, the roster import hint, the result of importing a
school's export with bad rows, and the pupil dialog showing a problem; in Chinese, or
in the language given with ``--lang=en``. Uses a throw-away data directory.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("CLASSROOM_DATA_DIR", tempfile.mkdtemp(prefix="classroom-shots-"))

from PySide6.QtWidgets import QApplication  # noqa: E402
from shots import settle, shoot  # noqa: E402

from classroom_app.app import build_main_window  # noqa: E402
from classroom_app.core.context import open_context  # noqa: E402
from classroom_app.ui import theme  # noqa: E402
from classroom_app.ui.classes.roster_dialogs import PupilDialog, RosterHintDialog  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ["小明", "华", "伟", "洋", "静", "帆", "娜娜", "子涵", "浩然", "欣怡", "一诺", "梓萱"]
EXPORT = ("序号,姓名,性别,学号,备注\r\n1,欧阳娜娜,女,20260446,转入\r\n"
          "2,买买提·艾力,男,20260447,\r\n3,李桦,女,20260401,改名\r\n4,,女,20260448,\r\n"
          "5,李想,未知,20260449,\r\n6,王芳,女,2.02604E+07,\r\n")


def seed(ctx) -> int:
    info = ctx.store.add_class("四年级(2)班", "primary", 4, "2026-09-01")
    ctx.store.add_class("七年级(1)班", "middle", 7, "2026-09-01")
    pupils = [(f"202604{n:02}", SURNAMES[n % len(SURNAMES)] + GIVEN[n % len(GIVEN)],
               "男" if n % 2 else "女") for n in range(1, 46)]
    ctx.store.add_learners(info.id, pupils)
    return info.id


def main(out: Path, language: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv)
    theme.apply(app)
    ctx = open_context()
    ctx.update_settings(language=language)
    class_id = seed(ctx)
    window = build_main_window(ctx)
    window.teacher_unlocked = True
    window.show()
    window.setGeometry(window.screen().availableGeometry())  # as a window manager maximises
    window.teacher_page("classes")
    view = window.stack.currentWidget()
    shoot(window, out / f"classes_{language}.png")
    hint = RosterHintDialog(window)
    hint.show()
    shoot(hint, out / f"roster_hint_{language}.png")
    hint.close()
    export = Path(tempfile.mkdtemp()) / "四年级2班名单.csv"
    export.write_bytes(EXPORT.encode("gbk"))
    done: list[str] = []
    view.roster_imported.connect(done.append)
    view.import_roster(export)
    while not done:
        settle(100)
    shoot(view.result_dialog, out / f"roster_result_{language}.png")
    view.result_dialog.accept()
    shoot(window, out / f"classes_after_import_{language}.png")
    dialog = PupilDialog(ctx.store, class_id, None, window)
    dialog.number.setText("20260401")
    dialog.name.setText("刘洋")
    dialog.save()
    dialog.show()
    shoot(dialog, out / f"pupil_dialog_{language}.png")
    window.close()
    ctx.close()


if __name__ == "__main__":
    language = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--lang=")), "zh_CN")
    folder = next((a for a in sys.argv[1:] if not a.startswith("--")), "screenshots")
    main(Path(folder), language)
