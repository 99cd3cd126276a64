"""The rows `bin/bench` prints at the end: one per goal, both sides of each ratio from the same run.

A benchmark calls `record(...)` for each goal it measures; the row is printed at once and, when
`BENCH_REPORT` names a file, appended to it as a JSON line. `python -m tests.benchmarks.report FILE`
prints those rows as one table.
"""

import json
import os
import sys
from pathlib import Path


def record(*, measure: str, ours: str, reference: str, result: str, goal: str, met: bool) -> None:
    """One measured goal: what we measured, what it is compared with, the ratio or value, the goal."""
    row = {
        "database": os.environ.get("BENCH_DATABASE", "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"),
        "measure": measure,
        "ours": ours,
        "reference": reference,
        "result": result,
        "goal": goal,
        "met": met,
    }
    print(f"  => {measure}: {result} (goal {goal}) {'met' if met else 'NOT MET'}", flush=True)
    if path := os.environ.get("BENCH_REPORT"):
        with open(path, "a", encoding="utf-8") as file:
            file.write(json.dumps(row, ensure_ascii=False) + "\n")


def table(path: Path) -> str:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    lines = [
        "| database | measure | ours | compared with | result | goal | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        cells = [row[key] for key in ("database", "measure", "ours", "reference", "result", "goal")]
        lines.append("| " + " | ".join(cells) + f" | {'yes' if row['met'] else '**no**'} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(Path(sys.argv[1])))
