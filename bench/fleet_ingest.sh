#!/usr/bin/env bash
# The fleet view at size (issue 15): 10,000 weekly reports of 400 devices (4 M device rows) ingested
# into SQLite and into PostgreSQL, re-ingested unchanged, and every view timed on the result.
# Targets: ingest ≤ 120 s (SQLite), ≤ 60 s (PostgreSQL); re-ingest ≤ 5 s; every view ≤ 1 s.
#
# usage: bench/fleet_ingest.sh BUILD_DIR WORK_DIR [COUNT]
#   WORK_DIR: the one bench/weekly_run.sh made (its state folder and 400-device snapshot give the
#   template report); the reports take about 1 MB each.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(realpath "${1:?usage: fleet_ingest.sh BUILD_DIR WORK_DIR [COUNT]}")
work=$(realpath "${2:?usage: fleet_ingest.sh BUILD_DIR WORK_DIR [COUNT]}")
count=${3:-10000}
drvaudit=$build/ui-cli/drvaudit
reports=$work/fleet-reports

if [[ ! -d $reports || $(find "$reports" -name '*.json' | wc -l) -ne $count ]]; then
  rm -rf "$reports" "$work/template"
  "$drvaudit" --state-dir "$work/state" --snapshot "$work/bench-400.snapshot.json" schedule run \
    --report-dir "$work/template" --formats json --keep 1000 >/dev/null || [[ $? == 10 ]]
  python3 "$here/make_fleet_reports.py" "$(ls "$work"/template/*.json | head -n 1)" "$reports" "$count"
fi
echo "reports: $(find "$reports" -name '*.json' | wc -l) files, $(du -sh "$reports" | cut -f1)"
find "$reports" -name '*.json' -exec cat {} + >/dev/null  # the page cache holds them, as a share read twice would

# One model's VEN&DEV (its devices on every machine), and the class code every device shares (the worst case).
model=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["devices"][0]["compatible_ids"][1])' "$work/bench-400.snapshot.json")
views=(machines updates "versions $model" "versions PCI\\CC_0200" regressions diff report)
time_views() {  # $1: --db argument or empty
  for v in "${views[@]}"; do
    # shellcheck disable=SC2086
    hyperfine -N -w 1 -r 5 --export-json "$work/view.json" \
      "$drvaudit --state-dir $work/fleet-state fleet ${v//\\/\\\\} ${1:+--db $1} --json --as-of 2026-11-30" >/dev/null
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("  %-45s median %6.0f ms" % (sys.argv[2], r["median"]*1000))' \
      "$work/view.json" "$v"
  done
}

echo "== SQLite"
rm -rf "$work/fleet-state" && mkdir -m 700 "$work/fleet-state"
/usr/bin/time -f "  ingest: %e s, peak RSS %M KB" "$drvaudit" --state-dir "$work/fleet-state" fleet ingest "$reports"
/usr/bin/time -f "  re-ingest: %e s" "$drvaudit" --state-dir "$work/fleet-state" fleet ingest "$reports"
ls -la "$work/fleet-state/fleet.db" | awk '{printf "  fleet.db: %.0f MB\n", $5 / 1048576}'
time_views ""

echo "== PostgreSQL"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | tail -n 1)
pg=$work/pg
runas=()
if [[ $(id -u) == 0 ]]; then runas=(runuser -u postgres --); fi
if [[ -d $pg ]]; then "${runas[@]}" "$pg_bin/pg_ctl" -D "$pg/data" -m immediate stop >/dev/null 2>&1 || true; fi
rm -rf "$pg" && mkdir -p "$pg/sock" && chmod -R 777 "$pg"
"${runas[@]}" "$pg_bin/initdb" -D "$pg/data" -U drvaudit --auth=trust --locale=C -E UTF8 >/dev/null
"${runas[@]}" "$pg_bin/pg_ctl" -D "$pg/data" -w -l "$pg/log" \
  -o "-k $pg/sock -c listen_addresses='' -c shared_buffers=1GB -c max_wal_size=4GB" start >/dev/null
trap '"${runas[@]}" "$pg_bin/pg_ctl" -D "$pg/data" -m fast -w stop >/dev/null' EXIT
"${runas[@]}" "$pg_bin/createdb" -h "$pg/sock" -U drvaudit fleet
url="postgresql:///fleet?host=$pg/sock&user=drvaudit"
/usr/bin/time -f "  ingest: %e s, peak RSS %M KB" "$drvaudit" --state-dir "$work/fleet-state" fleet ingest "$reports" --db "$url"
/usr/bin/time -f "  re-ingest: %e s" "$drvaudit" --state-dir "$work/fleet-state" fleet ingest "$reports" --db "$url"
"$pg_bin/psql" -h "$pg/sock" -U drvaudit -d fleet -At -c "SELECT '  database: ' || pg_size_pretty(pg_database_size('fleet'))"
time_views "$url"
echo "  EXPLAIN ANALYZE of the versions view's one query (the count is done in memory, fleet/versions_view.cpp):"
"$pg_bin/psql" -h "$pg/sock" -U drvaudit -d fleet -At -c "EXPLAIN ANALYZE SELECT l.run_id, m.entries FROM latest l JOIN run_models m ON m.run_id = l.run_id" | sed 's/^/    /'
