#!/usr/bin/env python3
"""The "Async" tables of RESULTS.md from several paired passes of the workloads bench.

Usage: async_report.py DIR N — reads DIR/<database>.<i>.tsv for i in 1..N (copies of
target/paired/<database>.tsv after each `PHILTRE_BENCH_MODE=paired cargo bench --bench
workloads`), and prints, per database, the median over the passes of philtre_async's paired
ratio divided by each other contender's (each paired ratio is to the raw blocking driver in the
same rounds, so the quotient compares the two contenders round by round).
"""
import statistics
import sys

OTHERS = [("raw_async", "raw_async"), ("sqlx", "sqlx"), ("sea_orm", "sea_orm"), ("philtre", "philtre (sync)")]


def load(path):
    rows = {}
    with open(path) as f:
        next(f)
        for line in f:
            workload, size, contender, ratio, _ = line.rstrip("\n").split("\t")
            rows[(workload, int(size), contender)] = float(ratio)
    return rows


def main():
    directory, passes = sys.argv[1], int(sys.argv[2])
    for db in ("postgres", "mysql"):
        runs = [load(f"{directory}/{db}.{i}.tsv") for i in range(1, passes + 1)]
        cells = sorted({(w, s) for (w, s, c) in runs[0] if c == "philtre_async"},
                       key=lambda k: (["trivial", "medium", "insert", "associations"].index(k[0]), k[1]))
        print(f"### {db}: median of {passes} paired passes; each cell: philtre_async's time over the other's")
        print("| workload | rows | " + " | ".join(f"philtre_async / {label}" for _, label in OTHERS) + " |")
        print("| --- | ---: |" + " ---: |" * len(OTHERS))
        worst = {name: 0.0 for name, _ in OTHERS}
        for workload, size in cells:
            values = []
            for name, _ in OTHERS:
                quotients = [run[(workload, size, "philtre_async")] / run[(workload, size, name)] for run in runs]
                value = statistics.median(quotients)
                worst[name] = max(worst[name], value)
                values.append(f"{value:.2f}")
            print(f"| {workload} | {size} | " + " | ".join(values) + " |")
        print("worst: " + ", ".join(f"vs {label} {worst[name]:.2f}" for name, label in OTHERS))
        print()


if __name__ == "__main__":
    main()
