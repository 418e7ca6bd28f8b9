"""Write the table of every demo's parameters into lessons/FORMAT.md, from the manifests:

    .venv/bin/python scripts/demo_params_doc.py

tests/core/test_demo_params.py fails when the file is not current.
"""

from __future__ import annotations

from pathlib import Path

from classroom_app.core.demo_catalog import load_catalog
from classroom_app.core.demo_params import params_markdown

FORMAT = Path(__file__).resolve().parent.parent / "lessons" / "FORMAT.md"
START, END = "<!-- demo-params:start -->\n", "<!-- demo-params:end -->\n"


def current_text(text: str) -> str:
    """``text`` (FORMAT.md) with the table between the markers made from the manifests."""
    before, _, rest = text.partition(START)
    _, _, after = rest.partition(END)
    return before + START + params_markdown(load_catalog().known()) + END + after


def main() -> None:
    FORMAT.write_text(current_text(FORMAT.read_text(encoding="utf-8")), encoding="utf-8")
    print(FORMAT)


if __name__ == "__main__":
    main()
