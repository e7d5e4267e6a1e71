#!/usr/bin/env python3
"""Counts instructions per run of each SQLite workload under callgrind, philtre vs rusqlite.

Usage: python3 instructions.py > instructions.md   (needs valgrind; builds the release binary)
Each count is (instructions with R runs - instructions with 0 runs) / R, so the set-up
(creating and filling the tables) cancels out.
"""

import re
import subprocess
import sys

CASES = [
    ("trivial", 1, 2000),
    ("trivial", 100, 100),
    ("trivial", 10000, 3),
    ("medium", 100, 100),
    ("medium", 10000, 3),
    ("insert", 1, 2000),
    ("insert", 100, 100),
    ("associations", 9, 20),
]
CONTENDERS = ["raw", "philtre", "philtre_boxed"]


def count(contender, workload, size, runs):
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         "target/release/instructions", contender, workload, str(size), str(runs)],
        capture_output=True, text=True, check=True,
    ).stderr
    return int(re.search(r"Collected : (\d+)", out).group(1))


def main():
    subprocess.run(["cargo", "build", "--release", "--bin", "instructions"], check=True,
                   stdout=sys.stderr, stderr=sys.stderr)
    print("| workload | size | " + " | ".join(CONTENDERS) + " | philtre / raw | boxed / raw |")
    print("| --- | ---: | " + " | ".join("---:" for _ in CONTENDERS) + " | ---: | ---: |")
    for workload, size, runs in CASES:
        per_run = {}
        for c in CONTENDERS:
            if c == "philtre_boxed" and workload == "insert":
                continue
            base = count(c, workload, size, 0)
            per_run[c] = (count(c, workload, size, runs) - base) / runs
        cells = [f"{per_run[c]:,.0f}" if c in per_run else "—" for c in CONTENDERS]
        ratio = per_run["philtre"] / per_run["raw"]
        boxed = f"{per_run['philtre_boxed'] / per_run['raw']:.3f}" if "philtre_boxed" in per_run else "—"
        print(f"| {workload} | {size} | " + " | ".join(cells) + f" | {ratio:.3f} | {boxed} |")


if __name__ == "__main__":
    main()
