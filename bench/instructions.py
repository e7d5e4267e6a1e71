#!/usr/bin/env python3
"""Counts instructions per run of each SQLite workload under callgrind, for every contender.

Usage: python3 instructions.py > target/instructions.md   (needs valgrind; builds both
release binaries). Each count is (instructions with R runs - instructions with 0 runs) / R, so
the set-up (creating and filling the tables) cancels out. philtre is counted against rusqlite
0.43 (this build); diesel, sqlx and sea-orm against rusqlite 0.38 (sqlite-peers/, the build that
shares their libsqlite3-sys).
"""

import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
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
BUILDS = {
    "main": (HERE, ["raw", "philtre", "philtre_boxed"]),
    "peers": (os.path.join(HERE, "sqlite-peers"), ["raw", "diesel", "sqlx", "sea_orm"]),
}


def count(build, contender, workload, size, runs):
    directory, _ = BUILDS[build]
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         os.path.join(directory, "target", "release", "instructions"),
         contender, workload, str(size), str(runs)],
        capture_output=True, text=True, check=True,
    ).stderr
    return int(re.search(r"Collected : (\d+)", out).group(1))


def per_run(build, contender, workload, size, runs):
    return (count(build, contender, workload, size, runs) - count(build, contender, workload, size, 0)) / runs


def main():
    for directory, _ in BUILDS.values():
        subprocess.run(["cargo", "build", "--release", "--bin", "instructions"], check=True,
                       cwd=directory, stdout=sys.stderr, stderr=sys.stderr)
    print("| workload | size | rusqlite 0.43 | philtre | philtre_boxed | rusqlite 0.38 | diesel | sqlx | sea_orm "
          "| philtre / raw | boxed / raw | diesel / raw | sqlx / raw | sea_orm / raw |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for workload, size, runs in CASES:
        counts = {}
        for build, (_, contenders) in BUILDS.items():
            for c in contenders:
                if c == "philtre_boxed" and workload == "insert":
                    continue
                counts[(build, c)] = per_run(build, c, workload, size, runs)
        main_raw, peers_raw = counts[("main", "raw")], counts[("peers", "raw")]
        keys = [("main", "raw"), ("main", "philtre"), ("main", "philtre_boxed"),
                ("peers", "raw"), ("peers", "diesel"), ("peers", "sqlx"), ("peers", "sea_orm")]
        cells = [f"{counts[k]:,.0f}" if k in counts else "—" for k in keys]
        ratios = [
            counts.get(("main", "philtre"), 0) / main_raw,
            counts.get(("main", "philtre_boxed"), 0) / main_raw,
            counts[("peers", "diesel")] / peers_raw,
            counts[("peers", "sqlx")] / peers_raw,
            counts[("peers", "sea_orm")] / peers_raw,
        ]
        ratio_cells = [f"{r:.3f}" if r else "—" for r in ratios]
        print(f"| {workload} | {size} | " + " | ".join(cells + ratio_cells) + " |")


if __name__ == "__main__":
    main()
