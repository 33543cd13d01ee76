#!/usr/bin/env bash
# Two drvaudit builds' fleet ingest into PostgreSQL, alternated on a fresh database each time: on this
# shared host the same binary varies by a third from one minute to the next, so a change is judged by
# rounds of A and B side by side, never by one run against a figure from earlier.
#
# usage: bench/fleet_ingest_ab.sh ROUNDS WORK_DIR DRVAUDIT_A DRVAUDIT_B [REPORTS_DIR]
#   WORK_DIR: the one bench/fleet_ingest.sh used (its fleet-reports are the default reports).
set -euo pipefail
rounds=${1:?usage: fleet_ingest_ab.sh ROUNDS WORK_DIR DRVAUDIT_A DRVAUDIT_B [REPORTS_DIR]}
work=$(realpath "${2:?work dir}")
a=$(realpath "${3:?first drvaudit}")
b=$(realpath "${4:?second drvaudit}")
reports=$(realpath "${5:-$work/fleet-reports}")
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | tail -n 1)
pg=$work/pg-ab
runas=()
if [[ $(id -u) == 0 ]]; then runas=(runuser -u postgres --); fi
rm -rf "$pg" && mkdir -p "$pg/sock" && chmod -R 777 "$pg"
"${runas[@]}" "$pg_bin/initdb" -D "$pg/data" -U drvaudit --auth=trust --locale=C -E UTF8 >/dev/null
"${runas[@]}" "$pg_bin/pg_ctl" -D "$pg/data" -w -l "$pg/log" \
  -o "-k $pg/sock -c listen_addresses='' -c shared_buffers=1GB -c max_wal_size=4GB" start >/dev/null
trap '"${runas[@]}" "$pg_bin/pg_ctl" -D "$pg/data" -m fast -w stop >/dev/null' EXIT
for round in $(seq "$rounds"); do
  for label in A B; do
    if [[ $label == A ]]; then exe=$a; else exe=$b; fi
    "${runas[@]}" "$pg_bin/dropdb" --if-exists -h "$pg/sock" -U drvaudit fleet 2>/dev/null
    "${runas[@]}" "$pg_bin/createdb" -h "$pg/sock" -U drvaudit fleet
    rm -rf "$work/ab-state" && mkdir -m 700 "$work/ab-state"
    /usr/bin/time -f "$label round $round: %e s (client user %U s)" "$exe" --state-dir "$work/ab-state" \
      fleet ingest "$reports" --db "postgresql:///fleet?host=$pg/sock&user=drvaudit" >/dev/null
  done
done
