"""Finds every ``tr("...")`` source string in the package (used by tests and tooling)."""

from __future__ import annotations

import ast
from pathlib import Path


def source_strings(root: Path) -> dict[str, list[str]]:
    """Each literal passed to ``tr`` and where it occurs (``file:line``)."""
    found: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute)
                    and (getattr(node.func, "id", None) == "tr"
                         or getattr(node.func, "attr", None) == "tr")
                    and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                found.setdefault(node.args[0].value, []).append(
                    f"{path.relative_to(root.parent)}:{node.lineno}")
    return found
