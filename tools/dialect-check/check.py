#!/usr/bin/env python3
"""A second opinion on philtre's Oracle and SQL Server SQL: parse every statement the dialect
conformance test rendered (target/dialect-sql.jsonl, written by
tests/tests/backends/dialect_conformance.rs) with sqlglot, in its `oracle` and `tsql`
dialects, and report the ones it cannot parse.

Usage: python3 tools/dialect-check/check.py [--strict]
       (run `cargo test -p philtre-tests --test backends dialect_conformance` first;
       sqlglot from PyPI: `pip install sqlglot==30.30.0`)

Statements sqlglot is known not to parse although the server reads them are listed in
KNOWN_GAPS with the reason; with --strict any other failure makes the exit status 1.
"""
import json
import pathlib
import re
import sys

import sqlglot
from sqlglot.errors import ParseError

ROOT = pathlib.Path(__file__).resolve().parents[2]
DIALECTS = {"oracle": "oracle", "mssql": "tsql"}

# (backend, statement id) -> why sqlglot's parser, not the SQL, is at fault.
KNOWN_GAPS = {
    ("Mssql", "returning_delete"): "sqlglot 30 reads no OUTPUT clause in DELETE; T-SQL has "
    "`DELETE FROM t OUTPUT deleted.c WHERE …` (Transact-SQL reference, OUTPUT clause)",
    ("Mssql2008", "returning_delete"): "as above",
    ("Oracle", "insert_returning_multi"): "sqlglot 30 reads one INTO target; Oracle's "
    "`RETURNING a, b INTO :3, :4` takes a list (SQL reference, RETURNING INTO clause)",
    ("Oracle", "update_returning"): "as above",
}


def for_sqlglot(sql: str, dialect: str) -> str:
    """sqlglot reads Oracle's named binds (`:p1`) but not numbered ones (`:1`); the server
    binds both by position, so the names change nothing."""
    if dialect == "oracle":
        return re.sub(r"(?<![\w:]):(\d+)", r":p\1", sql)
    return sql


def main() -> int:
    path = ROOT / "target" / "dialect-sql.jsonl"
    if not path.exists():
        print(f"{path} is missing: run the dialect conformance test first", file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    failures, known, parsed = [], [], {}
    for row in rows:
        read = DIALECTS[row["dialect"]]
        try:
            sqlglot.parse_one(for_sqlglot(row["sql"], row["dialect"]), read=read)
            parsed[row["backend"]] = parsed.get(row["backend"], 0) + 1
        except ParseError as error:
            first = str(error).splitlines()[0]
            entry = f'{row["backend"]} {row["id"]}: {first}\n    {row["sql"]}'
            if (row["backend"], row["id"]) in KNOWN_GAPS:
                known.append(entry + f'\n    (known: {KNOWN_GAPS[(row["backend"], row["id"])]})')
            else:
                failures.append(entry)
    for entry in known:
        print("sqlglot cannot parse (known gap):", entry)
    for entry in failures:
        print("sqlglot cannot parse:", entry)
    summary = ", ".join(f"{backend} {n}" for backend, n in sorted(parsed.items()))
    print(
        f"sqlglot {sqlglot.__version__}: {len(rows)} statements, parsed: {summary}; "
        f"{len(known)} known gaps, {len(failures)} failures"
    )
    return 1 if failures and "--strict" in sys.argv else 0


if __name__ == "__main__":
    sys.exit(main())
