#!/usr/bin/env python3
"""Build time of the same program written with philtre and with diesel.

Generates two library crates under bench/target/buildtime/: 30 tables x 20 columns, each table
but the first referencing the one before it, and 200 queries (filters with ORDER BY, joins along
the foreign key, GROUP BY with count, INSERTs, UPDATEs), each rendered to PostgreSQL SQL with
`debug_query`, so every query is fully type-checked. Dependencies are built first; the figures
are the generated crate alone: `cargo check` and `cargo build` after touching its source, best
of five, the two crates in turn. Also times `cargo check` and `cargo build` of the philtre crate
itself.

Usage: python3 buildtime.py > buildtime.md

`python3 buildtime.py --instructions` counts instead the instructions the compiler executes on
each generated crate (`valgrind --tool=cachegrind` on the `rustc` command cargo runs for it), for
`cargo check` and `cargo build`: unlike wall time, which moves by up to 2x on a shared machine,
the count is the same from run to run, so two versions of philtre can be compared directly.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "target" / "buildtime"
TABLES = 30
QUERIES = 200
TYPES = ["Integer", "Text", "Nullable<Integer>", "Nullable<Text>", "BigInt", "Bool"]
DEFAULTS = {"Integer": "0", "Text": '""', "BigInt": "0", "Bool": "false"}


def columns(t):
    cols = [("id", "Integer"), ("parent_id", "Integer")]
    cols += [(f"c{c:02}", TYPES[c % len(TYPES)]) for c in range(2, 20)]
    return cols


def philtre_update(k, q):
    return f"update(t{k}::table).set(t{k}::c07.eq(\"b\")).filter(t{k}::id.eq({q}))"


def diesel_update(k, q):
    return f"diesel::update(t{k}::table.filter(t{k}::id.eq({q}))).set(t{k}::c07.eq(\"b\"))"


def queries(count, insert, update):
    """The 200 queries, in the syntax both libraries share but for the names passed in."""
    for q in range(QUERIES):
        k = 1 + q % (TABLES - 1)
        j = k - 1
        kind = q % 5
        if kind == 0:
            yield f"t{k}::table.filter(t{k}::c08.gt({q}).and(t{k}::c07.eq(\"x\"))).order(t{k}::c02.desc()).select((t{k}::id, t{k}::c07))"
        elif kind == 1:
            yield f"t{k}::table.inner_join(t{j}::table).filter(t{j}::c08.eq({q})).select((t{k}::id, t{j}::c07))"
        elif kind == 2:
            yield f"t{k}::table.group_by(t{k}::c07).select((t{k}::c07, {count}(t{k}::id)))"
        elif kind == 3:
            yield f"{insert}(t{k}::table).values((t{k}::parent_id.eq({q}), t{k}::c07.eq(\"a\")))"
        else:
            yield update(k, q)


def philtre_program():
    out = ["#![allow(dead_code)]", "use philtre::prelude::*;", "use philtre_postgres::Pg;", "", "philtre::table! {"]
    for t in range(TABLES):
        out.append(f"    t{t} (id) {{")
        for name, ty in columns(t):
            ref = f" references t{t - 1}(id)" if name == "parent_id" and t > 0 else ""
            # The INSERTs give `parent_id` and `c07`: the database's defaults fill in the other
            # NOT NULL columns, and philtre must be told of them (it refuses an INSERT that leaves
            # out a column without one).
            if name not in ("id", "parent_id", "c07") and not ty.startswith("Nullable"):
                out.append(f"        #[default = {DEFAULTS[ty]}]")
            out.append(f"        {name} -> {ty}{ref},")
        out.append("    }")
    out.append("}")
    out.append("")
    for q, body in enumerate(queries(count="count", insert="insert_into", update=philtre_update)):
        out.append(f"pub fn q{q}() -> String {{ debug_query::<Pg, _>(&{body}).to_string() }}")
    return "\n".join(out) + "\n"


def diesel_program():
    out = ["#![allow(dead_code)]", "use diesel::prelude::*;", "use diesel::pg::Pg;", ""]
    for t in range(TABLES):
        out.append("diesel::table! {")
        out.append(f"    t{t} (id) {{")
        for name, ty in columns(t):
            out.append(f"        {name} -> {ty},")
        out.append("    }")
        out.append("}")
    for t in range(1, TABLES):
        out.append(f"diesel::joinable!(t{t} -> t{t - 1} (parent_id));")
    out.append("diesel::allow_tables_to_appear_in_same_query!(" + ", ".join(f"t{t}" for t in range(TABLES)) + ");")
    out.append("")
    for q, body in enumerate(
        queries(count="diesel::dsl::count", insert="diesel::insert_into", update=diesel_update)
    ):
        out.append(f"pub fn q{q}() -> String {{ diesel::debug_query::<Pg, _>(&{body}).to_string() }}")
    return "\n".join(out) + "\n"


def crate(name, deps, body):
    d = OUT / name
    (d / "src").mkdir(parents=True, exist_ok=True)
    (d / "Cargo.toml").write_text(
        f'[package]\nname = "{name}"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\n{deps}\n[workspace]\n'
    )
    (d / "src" / "lib.rs").write_text(body)
    return d


def timed(cmd, cwd, env):
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def rustc_command(cmd, crate_dir, env):
    """The `rustc` command line cargo runs for the generated crate itself, as a shell string."""
    (crate_dir / "src" / "lib.rs").touch()
    out = subprocess.run(cmd + ["-v"], cwd=crate_dir, env=env, check=True, capture_output=True, text=True)
    lines = [l for l in out.stderr.splitlines() if "Running `" in l and f"--crate-name {crate_dir.name}" in l]
    line = lines[-1].split("Running `", 1)[1].rsplit("`", 1)[0]
    # Plain diagnostics, and the outputs kept away from cargo's own.
    line = line.replace("--error-format=json --json=diagnostic-rendered-ansi,artifacts,future-incompat", "")
    scratch = OUT / "cachegrind" / crate_dir.name
    scratch.mkdir(parents=True, exist_ok=True)
    return line.replace(f"--out-dir {OUT / 'target' / 'debug' / 'deps'}", f"--out-dir {scratch}")


def instructions(command, crate_dir, env):
    """Instructions executed by `command` (a shell string) under cachegrind."""
    out = subprocess.run(
        f"valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null {command}",
        shell=True, cwd=crate_dir, env=env, check=True, capture_output=True, text=True,
    )
    refs = [l for l in out.stderr.splitlines() if "I   refs:" in l or "I refs:" in l]
    return int(refs[-1].split()[-1].replace(",", ""))


def main_instructions(crates, env):
    counts = {}
    for cmd in (["cargo", "check", "-q"], ["cargo", "build", "-q"]):
        for name, d in crates:
            subprocess.run(cmd, cwd=d, env=env, check=True)  # dependencies, once
            command = rustc_command([c for c in cmd if c != "-q"], d, env)
            counts[(name, cmd[1])] = instructions(command, d, env)
    (p, _), (d, _) = crates
    print("Instructions the compiler executes on the generated crate alone (cachegrind), billions:")
    print()
    print("| | `cargo check` | `cargo build` |")
    print("| --- | ---: | ---: |")
    for name, _ in crates:
        print(f"| {name} | {counts[(name, 'check')] / 1e9:.2f} | {counts[(name, 'build')] / 1e9:.2f} |")
    print(f"| {p} / {d} | {counts[(p, 'check')] / counts[(d, 'check')]:.3f} | "
          f"{counts[(p, 'build')] / counts[(d, 'build')]:.3f} |")


def main():
    env = dict(os.environ, CARGO_TARGET_DIR=str(OUT / "target"))
    philtre = crate(
        "gen_philtre",
        f'philtre = {{ path = "{ROOT / "dsl"}" }}\nphiltre-postgres = {{ path = "{ROOT / "backends" / "postgres"}" }}\n',
        philtre_program(),
    )
    diesel = crate(
        "gen_diesel",
        'diesel = { version = "2.3", default-features = false, features = ["postgres_backend", "32-column-tables"] }\n',
        diesel_program(),
    )
    # Interleaved, best of five: the two crates take turns, so a slow stretch of the machine
    # hits both rather than one.
    crates = [("philtre", philtre), ("diesel", diesel)]
    if "--instructions" in sys.argv[1:]:
        main_instructions(crates, dict(env, CARGO_INCREMENTAL="0"))
        return
    best = {}
    for cmd in (["cargo", "check", "-q"], ["cargo", "build", "-q"]):
        for _, d in crates:
            subprocess.run(cmd, cwd=d, env=env, check=True)  # dependencies, once
        for _ in range(5):
            for name, d in crates:
                (d / "src" / "lib.rs").touch()
                dt = timed(cmd, d, env)
                key = (name, cmd[1])
                best[key] = dt if key not in best else min(best[key], dt)
    rows = []
    for name, _ in crates:
        rows.append((name, best[(name, "check")], best[(name, "build")]))
        print(f"{name}: check {rows[-1][1]:.2f} s, build {rows[-1][2]:.2f} s", file=sys.stderr)
    # The philtre crate itself, from a clean state of that crate only.
    main_env = dict(os.environ, CARGO_TARGET_DIR=str(OUT / "self"))
    own = {}
    for cmd in ("check", "build"):
        # Dependencies first, in this mode; then only the philtre crate is rebuilt.
        subprocess.run(["cargo", cmd, "-q", "-p", "philtre"], cwd=ROOT, env=main_env, check=True)
        best = None
        for _ in range(3):
            subprocess.run(["cargo", "clean", "-q", "-p", "philtre"], cwd=ROOT, env=main_env, check=True)
            subprocess.run(["cargo", cmd, "-q", "-p", "philtre-macros"], cwd=ROOT, env=main_env, check=True)
            dt = timed(["cargo", cmd, "-q", "-p", "philtre"], ROOT, main_env)
            best = dt if best is None else min(best, dt)
        own[cmd] = best
    (p_name, p_check, p_build), (d_name, d_check, d_build) = rows
    print(f"Generated program: {TABLES} tables x 20 columns, {QUERIES} queries (filter+order, join, group by,")
    print("insert, update), each rendered with `debug_query` for PostgreSQL. Best of five, the two crates in turn, dependencies built.")
    print()
    print("| | `cargo check` | `cargo build` |")
    print("| --- | ---: | ---: |")
    print(f"| philtre | {p_check:.2f} s | {p_build:.2f} s |")
    print(f"| diesel 2.3 | {d_check:.2f} s | {d_build:.2f} s |")
    print(f"| philtre / diesel | {p_check / d_check:.2f} | {p_build / d_build:.2f} |")
    print()
    print(f"The `philtre` crate itself (dependencies and macros built, best of three): `cargo check` {own['check']:.2f} s, "
          f"`cargo build` {own['build']:.2f} s.")


if __name__ == "__main__":
    main()
