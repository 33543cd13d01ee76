#!/usr/bin/env bash
# The weekly audit's costs (issue 14), on the 400-device benchmark machine against the 6.6-million-ID
# catalog of bench/audit_latency:
#   - `schedule run` with the history and all three reports (target ≤ 1 s);
#   - `history diff` of two 400-device runs, the whole command (target ≤ 50 ms);
#   - history.db growth per stored run (target ≤ 200 KB).
#
# usage: bench/weekly_run.sh BUILD_DIR WORK_DIR    (WORK_DIR keeps the 1.5 GB catalog between runs)
set -euo pipefail
build=${1:?usage: weekly_run.sh BUILD_DIR WORK_DIR}
work=${2:?usage: weekly_run.sh BUILD_DIR WORK_DIR}
drvaudit=$(realpath "$build/ui-cli/drvaudit")
mkdir -p "$work"
work=$(realpath "$work")
state=$work/state
catalog=$work/catalog-6.6M.db
snapshot=$work/bench-400.snapshot.json
rm -rf "$state" "$work/reports"
if [[ ! -f $catalog ]]; then
  "$build/bench/audit_latency" "$catalog" --generate --write-snapshot "$snapshot" >/dev/null
else
  "$build/bench/audit_latency" "$catalog" --write-snapshot "$snapshot" >/dev/null
fi
mkdir -m 700 "$state"
cp "$catalog" "$state/catalog.db"  # a hard link is refused: the state folder owns its files
chmod 600 "$state/catalog.db"

run=("$drvaudit" --state-dir "$state" --snapshot "$snapshot" schedule run --report-dir "$work/reports")
"${run[@]}" >/dev/null || [[ $? == 10 ]]  # warms the page cache; the first stored run

echo "== schedule run: audit of 400 devices, history, diff, CSV + JSON + HTML reports"
hyperfine -N -w 2 -r 15 -i "taskset -c 1 ${run[*]}"

echo "== history diff of the last two 400-device runs (the whole command)"
hyperfine -N -w 3 -r 30 -i "taskset -c 1 $drvaudit --state-dir $state history diff --json"

echo "== history.db growth per run"
python3 - "$state/history.db" "${run[@]}" <<'PY'
import os, sqlite3, subprocess, sys
db, cmd = sys.argv[1], sys.argv[2:]
def size():
    c = sqlite3.connect(db)
    c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages, page = c.execute("PRAGMA page_count").fetchone()[0], c.execute("PRAGMA page_size").fetchone()[0]
    runs = c.execute("SELECT count(*) FROM runs").fetchone()[0]
    c.close()
    return pages * page, runs
before, runs_before = size()
for _ in range(20):
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
after, runs_after = size()
print(f"{runs_before} → {runs_after} runs: {before} → {after} bytes; {(after - before) / (runs_after - runs_before) / 1024:.1f} KiB per run")
PY
ls -la "$work/reports" | tail -n 5
