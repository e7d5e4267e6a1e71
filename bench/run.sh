#!/bin/sh
# Runs every benchmark of bench/ on this machine and writes RESULTS.md:
#   criterion + paired pass on SQLite, PostgreSQL and MySQL (this build), diesel, sqlx and
#   sea-orm on SQLite (sqlite-peers/), instruction counts under callgrind, build times.
# Env: PHILTRE_POSTGRES_URL, PHILTRE_MYSQL_URL (servers; skipped when unset),
#      PHILTRE_BENCH_MODE=quick|full (quick by default),
#      PHILTRE_BENCH_SKIP: any of "main pool orm peers instructions buildtime" (a skipped part keeps its
#      last results, which the report reuses).
set -eu
cd "$(dirname "$0")"
mode=${PHILTRE_BENCH_MODE:-quick}
skip=${PHILTRE_BENCH_SKIP:-}

# Build everything first, on all cores.
cargo bench --bench workloads --no-run
(cd sqlite-peers && cargo bench --bench workloads --no-run)

# Pin the database servers to the last core and the bench to the first, so that every
# connection sees the same scheduling; undone on exit. Without the rights (or taskset) the
# bench runs unpinned and says so.
last=$(($(nproc) - 1))
servers=$(pgrep -x 'postgres|mariadbd|mysqld' || true)
pinned=no
unpin() {
    if [ "$pinned" = yes ]; then
        for pid in $(pgrep -x 'postgres|mariadbd|mysqld' || true); do
            taskset -apc "0-$last" "$pid" >/dev/null 2>&1 || true
        done
    fi
}
trap unpin EXIT
if [ "$last" -ge 1 ] && [ -n "$servers" ] && command -v taskset >/dev/null; then
    pinned=yes
    for pid in $servers; do
        taskset -apc "$last" "$pid" >/dev/null 2>&1 || pinned=partly
    done
fi
echo "servers pinned to core $last: $pinned" >&2
run() { if [ "$pinned" = no ]; then "$@"; else taskset -c 0 "$@"; fi; }

case " $skip " in *" main "*) ;; *)
    rm -rf target/paired
    PHILTRE_BENCH_MODE=$mode run cargo bench --bench workloads
esac
case " $skip " in *" pool "*) ;; *)
    run cargo bench --bench pool
esac
case " $skip " in *" orm "*) ;; *)
    run cargo bench --bench orm
    (cd sqlite-peers && run cargo bench --bench orm)
esac
case " $skip " in *" peers "*) ;; *)
    rm -rf sqlite-peers/target/paired
    (cd sqlite-peers && PHILTRE_BENCH_MODE=$mode run cargo bench --bench workloads)
esac

case " $skip " in *" instructions "*) ;; *)
    {
        echo "Command: \`python3 instructions.py\` (in \`bench/\`). Instructions counted by"
        echo "\`valgrind --tool=callgrind\` for one run of each workload, set-up subtracted:"
        echo "repeatable where the timings above move between runs. philtre is counted against"
        echo "rusqlite 0.43; diesel, sqlx and sea-orm against rusqlite 0.38 (the build they share)."
        echo
        python3 instructions.py
    } > target/instructions.md.new && mv target/instructions.md.new target/instructions.md
esac
case " $skip " in *" buildtime "*) ;; *)
    {
        echo "Command: \`python3 buildtime.py\` (in \`bench/\`)."
        echo
        python3 buildtime.py
    } > target/buildtime.md.new && mv target/buildtime.md.new target/buildtime.md
esac

python3 report.py "PHILTRE_BENCH_MODE=$mode ./run.sh (servers pinned: $pinned)" > RESULTS.md
echo "wrote RESULTS.md" >&2
