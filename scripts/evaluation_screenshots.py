"""Screenshots of the evaluation pages for review, under Xvfb:

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/evaluation_screenshots.py OUT

A generated middle-school class over school year 2025–2026: the teacher's class table,
a student's page, the confirmation dialog, the child's own page and one parent PDF
page, in Chinese and in English. Uses a throw-away data directory.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

os.environ.setdefault("CLASSROOM_DATA_DIR", tempfile.mkdtemp(prefix="classroom-eval-shots-"))

from PySide6.QtWidgets import QApplication  # noqa: E402
from shots import settle, shoot  # noqa: E402

from classroom_app.core import xapi  # noqa: E402
from classroom_app.core.context import open_context  # noqa: E402
from classroom_app.core.evaluation.judgements import record_comment, record_rating  # noqa: E402
from classroom_app.core.evaluation.periods import Period  # noqa: E402
from classroom_app.core.sample_school.year import generate  # noqa: E402
from classroom_app.ui import theme  # noqa: E402
from classroom_app.ui.evaluation.confirm_summary_dialog import ConfirmSummaryDialog  # noqa: E402
from classroom_app.ui.evaluation.my_progress_view import MyProgressView  # noqa: E402
from classroom_app.ui.evaluation.student_pdf import student_page_image  # noqa: E402
from classroom_app.ui.evaluation.view import EvaluationView  # noqa: E402

TODAY = date(2026, 7, 10)


def seed(ctx) -> int:
    ctx.update_settings(school_name="北京市海淀区实验中学",
                        school_home_page="https://school.example.edu.cn/")
    summary = generate(ctx, learners=30, days=180, stage="middle", start=date(2025, 9, 1))
    info = ctx.store.get_class(summary.class_id)
    first = ctx.store.learners(info.id)[0]
    home = ctx.settings.school_home_page
    with xapi.clock(lambda: datetime(2026, 7, 1, 2, tzinfo=UTC)):
        record_rating(ctx.store, home, "张老师", info, Period(2025), first, "ethics-of-ai", 3)
        record_comment(ctx.store, home, "张老师", info, Period(2025), first,
                       "乐于动手，善于提问；训练模型时能主动分析错误原因。")
    return summary.class_id


def run(out: Path, language: str, ctx, class_id: int) -> None:
    ctx.update_settings(language=language)
    view = EvaluationView(ctx, today=TODAY)
    view.resize(1280, 760)
    view.term_box.setCurrentIndex(view.term_box.findData("year"))
    view.show()
    while view.report is None or view.runner.busy:
        settle(100)
    shoot(view, out / f"evaluation_{language}.png")
    dialog = ConfirmSummaryDialog(ctx, view.report, view)
    dialog.checked.setChecked(True)
    dialog.show()
    shoot(dialog, out / f"evaluation_confirm_{language}.png")
    dialog.close()
    view.open_student(0)
    shoot(view, out / f"evaluation_student_{language}.png")
    learner, entry = view.report.rows[0]
    image = student_page_image(view.report, learner, entry, ctx.settings.school_name, language)
    image.save(str(out / f"student_pdf_{language}.png"))
    print(out / f"student_pdf_{language}.png")
    view.shutdown()
    view.close()
    mine = MyProgressView(ctx, learner, today=TODAY)
    mine.resize(1024, 700)
    mine.show()
    while mine.entry is None:
        settle(100)
    shoot(mine, out / f"my_progress_{language}.png")
    mine.shutdown()
    mine.close()


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    theme.apply(app)
    ctx = open_context()
    class_id = seed(ctx)
    for language in ("zh_CN", "en"):
        run(out, language, ctx, class_id)
    ctx.close()
    app.quit()


if __name__ == "__main__":
    main()
