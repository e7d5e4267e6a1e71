#!/usr/bin/env python3
"""How philtre's compile errors read: for every compile-fail case of the ui suite, the number of
errors rustc gives and the number of lines they take (from the pinned `.stderr`, which
`TRYBUILD=overwrite cargo test -p philtre-ui-tests` writes), then the median and the maximum.

  --check   exit 1 when a case has more than one error or more than --max-lines lines
            (the targets of issue 18: one error per mistake, 30 lines at most)
  --known FILE
            with --check: the cases still over the limits, one name per line (`#` comments);
            only a case outside the list fails — and a listed case that is now within the
            limits, so that the list only shrinks (a ratchet until the list is empty)

Usage: tools/ui-report/report.py [--check [--known FILE]] [--max-lines 30] [--worst N]
"""
import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "ui-tests" / "cases" / "fail"


def measure(stderr: Path) -> tuple[int, int]:
    lines = stderr.read_text().rstrip("\n").splitlines()
    errors = sum(
        1
        for line in lines
        if (line.startswith("error[") or line.startswith("error:"))
        and not line.startswith("error: aborting")
    )
    return errors, len(lines)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--max-lines", type=int, default=30)
    parser.add_argument("--worst", type=int, default=0, help="list only the N longest cases")
    parser.add_argument("--known", type=Path, help="cases allowed over the limits, for now")
    args = parser.parse_args()

    rows = []
    for source in sorted(CASES.glob("*.rs")):
        stderr = source.with_suffix(".stderr")
        if not stderr.exists():
            print(f"{source.name}: no pinned .stderr", file=sys.stderr)
            return 1
        errors, lines = measure(stderr)
        first = stderr.read_text().splitlines()[0]
        rows.append((source.stem, errors, lines, first))

    shown = sorted(rows, key=lambda r: (-r[1], -r[2]))[: args.worst] if args.worst else rows
    for name, errors, lines, first in shown:
        print(f"{errors:>2} error(s) {lines:>4} lines  {name}: {first[:110]}")
    counts = [r[2] for r in rows]
    over = [r for r in rows if r[1] > 1 or r[2] > args.max_lines]
    print(
        f"\n{len(rows)} cases: median {statistics.median(counts):g} lines, max {max(counts)}; "
        f"{sum(1 for r in rows if r[1] == 1)} with one error, "
        f"{sum(1 for r in rows if r[1] > 1)} with more; "
        f"{sum(1 for r in rows if r[2] > args.max_lines)} over {args.max_lines} lines"
    )
    if not args.check:
        return 0
    known = set()
    if args.known:
        for line in args.known.read_text().splitlines():
            name = line.split("#", 1)[0].strip()
            if name:
                known.add(name)
    names = {r[0] for r in rows}
    new = [r for r in over if r[0] not in known]
    mended = sorted(name for name in known if name in names and name not in {r[0] for r in over})
    gone = sorted(name for name in known if name not in names)
    for name, errors, lines, _ in new:
        print(f"over the limits: {name}: {errors} error(s), {lines} lines", file=sys.stderr)
    for name in mended:
        print(f"within the limits now, take it off {args.known}: {name}", file=sys.stderr)
    for name in gone:
        print(f"no such case, take it off {args.known}: {name}", file=sys.stderr)
    if args.known:
        print(f"{len(over)} case(s) over the limits, all of them known" if not new else "")
    return 1 if new or mended or gone else 0


if __name__ == "__main__":
    sys.exit(main())
