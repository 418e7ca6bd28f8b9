"""Reads the conformance suite's run log (JSON): `conformance_passed N`,
`conformance_failed N`, then one line per section with failures."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def count(node: dict) -> tuple[int, int]:
    """(passed, failed) leaf tests below ``node``."""
    children = node.get("tests") or []
    if not children:
        status = node.get("status")
        return (status == "passed", status == "failed")
    passed = failed = 0
    for child in children:
        p, f = count(child)
        passed, failed = passed + p, failed + f
    return passed, failed


def main(path: str) -> None:
    log = json.loads(Path(path).read_text(encoding="utf-8"))
    print(f"conformance_passed {log['summary']['passed']} tests")
    print(f"conformance_failed {log['summary']['failed']} tests")
    for section in log["log"]["tests"]:
        passed, failed = count(section)
        if failed:
            print(f"  {section['name']}: {passed} passed, {failed} failed")


if __name__ == "__main__":
    main(sys.argv[1])
