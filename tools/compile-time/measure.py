#!/usr/bin/env python3
"""Compile-time measurements behind the design choices in ARCHITECTURE.md.

Generates throw-away crates under target/compile-time/ and times `cargo check` of each (the
dependencies are checked once first, so the figure is the generated crate alone).

  wide      ten 64-column tables with philtre's `table!` and a query on each
  members   FROM-clause membership, type-level list with an inferred index (philtre's choice):
            N tables x 20 columns and 200 two-table membership checks
  pairwise  the same with Diesel-style pairwise impls (one impl per ordered pair of tables)

Usage: tools/compile-time/measure.py [wide|members|pairwise|all] [--tables N]
"""
import argparse
import os
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "target" / "compile-time"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def crate(name: str, body: str, philtre: bool) -> Path:
    d = OUT / name
    deps = f'philtre = {{ path = "{ROOT / "dsl"}" }}\n' if philtre else ""
    write(d / "Cargo.toml", f'[package]\nname = "{name}"\nversion = "0.0.0"\nedition = "2024"\n\n[dependencies]\n{deps}\n[workspace]\n')
    write(d / "src" / "lib.rs", body)
    return d


def check(d: Path) -> float:
    env = dict(os.environ, CARGO_TARGET_DIR=str(OUT / "target"))
    subprocess.run(["cargo", "check", "-q"], cwd=d, env=env, check=True)  # warm dependencies
    (d / "src" / "lib.rs").touch()
    best = None
    for _ in range(3):
        (d / "src" / "lib.rs").touch()
        t = time.perf_counter()
        subprocess.run(["cargo", "check", "-q"], cwd=d, env=env, check=True)
        dt = time.perf_counter() - t
        best = dt if best is None else min(best, dt)
    return best


def wide() -> str:
    tables = []
    queries = []
    for t in range(10):
        cols = ",\n".join(f"        c{c:02} -> {'Integer' if c % 3 else 'Nullable<Text>'}" for c in range(64))
        tables.append(f"    t{t} (c01) {{\n{cols},\n    }}")
        queries.append(
            f"pub fn q{t}() -> impl Sized {{ t{t}::table.filter(t{t}::c01.gt(1).and(t{t}::c00.is_not_null()))"
            f".order(t{t}::c02.desc()).select((t{t}::c03, t{t}::c04, t{t}::c05)) }}"
        )
    return ("#![allow(missing_docs)]\nuse philtre::prelude::*;\nphiltre::table! {\n" + "\n".join(tables)
            + "\n}\n" + "\n".join(queries) + "\n")


PRELUDE = """
pub struct Here;
pub struct There<I>(core::marker::PhantomData<I>);
pub trait Column { type Table; }
"""


def members(n: int) -> str:
    out = ["#![allow(non_camel_case_types, dead_code)]\n", PRELUDE, """
pub trait TableInFrom<T, I> {}
impl<T, Tail> TableInFrom<T, Here> for (T, Tail) {}
impl<T, H, Tail, I> TableInFrom<T, There<I>> for (H, Tail) where Tail: TableInFrom<T, I> {}
pub trait AppearsIn<QS, I> {}
pub fn check<QS, I, C: AppearsIn<QS, I>>(_: C) {}
"""]
    for t in range(n):
        out.append(f"pub mod t{t} {{ pub struct table; ")
        for c in range(20):
            out.append(f"pub struct c{c}; impl super::Column for c{c} {{ type Table = table; }} "
                       f"impl<QS, I> super::AppearsIn<QS, I> for c{c} where QS: super::TableInFrom<table, I> {{}} ")
        out.append("}\n")
    out.append("pub fn queries() {\n")
    for q in range(200):
        a, b = q % n, (q * 7 + 1) % n
        out.append(f"    check::<(t{a}::table, (t{b}::table, ())), _, _>(t{b}::c{q % 20});\n")
    out.append("}\n")
    return "".join(out)


def pairwise(n: int) -> str:
    out = ["#![allow(non_camel_case_types, dead_code)]\n", PRELUDE, """
pub struct Once; pub struct Never;
pub trait AppearsInFromClause<T> { type Count; }
impl<T, A: AppearsInFromClause<T, Count = Never>, B: AppearsInFromClause<T, Count = Once>> AppearsInFromClause<T> for (A, B) { type Count = Once; }
pub trait AppearsIn<QS> {}
pub fn check<QS, C: AppearsIn<QS>>(_: C) {}
"""]
    for t in range(n):
        out.append(f"pub mod t{t} {{ pub struct table; ")
        out.append(f"impl super::AppearsInFromClause<table> for table {{ type Count = super::Once; }} ")
        for c in range(20):
            out.append(f"pub struct c{c}; impl super::Column for c{c} {{ type Table = table; }} "
                       f"impl<QS: super::AppearsInFromClause<table, Count = super::Once>> super::AppearsIn<QS> for c{c} {{}} ")
        out.append("}\n")
    for a in range(n):
        for b in range(n):
            if a != b:
                out.append(f"impl AppearsInFromClause<t{a}::table> for t{b}::table {{ type Count = Never; }}\n")
    out.append("pub fn queries() {\n")
    for q in range(200):
        a, b = q % n, (q * 7 + 1) % n
        if a == b:
            b = (b + 1) % n
        out.append(f"    check::<(t{a}::table, t{b}::table), _>(t{b}::c{q % 20});\n")
    out.append("}\n")
    return "".join(out)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("what", nargs="?", default="all")
    p.add_argument("--tables", type=int, nargs="*", default=[30, 100, 300])
    args = p.parse_args()
    if args.what in ("wide", "all"):
        d = crate("wide", wide(), philtre=True)
        print(f"wide: cargo check of ten 64-column tables: {check(d):.2f} s")
    for n in args.tables:
        if args.what in ("members", "all"):
            d = crate(f"members{n}", members(n), philtre=False)
            print(f"members: {n} tables x 20 columns, 200 checks (type-level list): {check(d):.2f} s")
        if args.what in ("pairwise", "all"):
            d = crate(f"pairwise{n}", pairwise(n), philtre=False)
            print(f"pairwise: {n} tables x 20 columns, 200 checks ({n * (n - 1)} pair impls): {check(d):.2f} s")


if __name__ == "__main__":
    main()
