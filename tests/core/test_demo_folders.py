"""Each demo folder holds only what is its own: no run of six or more lines stands in
two demo folders (what they share belongs in ``ui/demos``: the camera shell, the hand
demos' shell, the message line)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from classroom_app.core import paths

RUN = 6


def _code_lines(path: Path) -> list[str]:
    """The file's lines that carry code: stripped, without blanks, comments, imports
    and lone brackets (import lists and closing brackets are alike everywhere)."""
    kept = []
    for line in path.read_text(encoding="utf-8").splitlines():
        text = line.strip()
        if not text or text.startswith(("#", "import ", "from ")) or text in {")", "]", "}"}:
            continue
        kept.append(text)
    return kept


def shared_runs(root: Path) -> dict[tuple[str, ...], set[str]]:
    """Each run of ``RUN`` code lines found in more than one demo folder, with where."""
    found: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and p.name != "__pycache__"):
        for file in folder.rglob("*.py"):
            lines = _code_lines(file)
            for start in range(len(lines) - RUN + 1):
                found[tuple(lines[start:start + RUN])].add(folder.name)
    return {run: folders for run, folders in found.items() if len(folders) > 1}


def test_no_demo_folder_repeats_another() -> None:
    shared = shared_runs(paths.package_dir() / "demos")
    described = [f"{sorted(folders)}:\n    " + "\n    ".join(run)
                 for run, folders in shared.items()]
    assert not shared, "demo folders share code:\n" + "\n".join(described)
