"""Merge translations from JSON files into classroom_app/translations/zh_CN.json.

    python scripts/merge_translations.py new1.json [new2.json ...]

Keeps the file sorted with two-space indents, as the translation tests expect.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "classroom_app" / "translations" / "zh_CN.json"


def main(files: list[str]) -> None:
    table = json.loads(TARGET.read_text(encoding="utf-8"))
    for name in files:
        table.update(json.loads(Path(name).read_text(encoding="utf-8")))
    TARGET.write_text(json.dumps(table, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                      encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
