#!/usr/bin/env python3
"""Writes bench/RESULTS.md from criterion's estimates of the last run.

Usage: python3 report.py "<command that produced the run>" > RESULTS.md
Reads target/criterion/<db>_<workload>/<contender>/<size>/new/estimates.json (criterion turns
the group name `db/workload` into `db_workload`).
"""

import json
import os
import platform
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "target", "criterion")
DATABASES = ["sqlite", "postgres", "mysql"]
WORKLOADS = ["trivial", "medium", "insert", "associations"]


def median_ns(path):
    with open(os.path.join(path, "new", "estimates.json")) as f:
        return json.load(f)["median"]["point_estimate"]


def fmt_time(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.1f} µs"
    return f"{ns:.0f} ns"


def machine():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    cores = os.cpu_count()
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    return f"{cpu}, {cores} cores, {platform.system()} {platform.release()}; {rustc}"


def main():
    command = sys.argv[1] if len(sys.argv) > 1 else "cargo bench --bench workloads"
    out = ["# Benchmark results", ""]
    out.append(f"Machine: {machine()}.")
    out.append("")
    out.append(f"Command: `{command}` (in `bench/`).")
    out.append("")
    out.append("Each cell: median time per run, and in parentheses the ratio to the raw driver")
    out.append("measured in the same run (lower is better; 1.00 = as fast as the raw driver).")
    out.append("")
    worst = {}
    for db in DATABASES:
        sections = []
        for workload in WORKLOADS:
            group = os.path.join(ROOT, f"{db}_{workload}")
            if not os.path.isdir(group):
                continue
            contenders = sorted(
                c for c in os.listdir(group) if os.path.isdir(os.path.join(group, c)) and c != "report"
            )
            order = ["raw", "philtre", "philtre_boxed", "diesel", "sqlx", "sea_orm"]
            contenders.sort(key=lambda c: order.index(c) if c in order else len(order))
            sizes = sorted(
                {int(s) for c in contenders for s in os.listdir(os.path.join(group, c)) if s.isdigit()}
            )
            rows = [f"| {workload} | " + " | ".join(contenders) + " |",
                    "| ---: | " + " | ".join("---:" for _ in contenders) + " |"]
            for size in sizes:
                cells = []
                try:
                    base = median_ns(os.path.join(group, "raw", str(size)))
                except OSError:
                    base = None
                for c in contenders:
                    path = os.path.join(group, c, str(size))
                    if not os.path.isdir(path):
                        cells.append("—")
                        continue
                    ns = median_ns(path)
                    if base:
                        ratio = ns / base
                        cells.append(f"{fmt_time(ns)} ({ratio:.2f})")
                        key = (db, c)
                        if c != "raw" and ratio > worst.get(key, (0, ""))[0]:
                            worst[key] = (ratio, f"{workload} {size}")
                    else:
                        cells.append(fmt_time(ns))
                rows.append(f"| {size} | " + " | ".join(cells) + " |")
            sections.append("\n".join(rows))
        if sections:
            out.append(f"## {db}")
            out.append("")
            out.append("\n\n".join(sections))
            out.append("")
    if worst:
        out.append("## Worst ratio to the raw driver, per contender")
        out.append("")
        out.append("| database | contender | worst ratio | where |")
        out.append("| --- | --- | ---: | --- |")
        for (db, c), (ratio, where) in sorted(worst.items()):
            out.append(f"| {db} | {c} | {ratio:.2f} | {where} |")
        out.append("")
    print("\n".join(out))


if __name__ == "__main__":
    main()
