#!/usr/bin/env python3
"""Makes a small fleet's weekly reports with drvaudit itself: N machines built from the sample laptop
snapshot with varied drivers, each audited week after week by `schedule run` into
REPORTS/<machine>/ (the layout of a share written by every machine's weekly task).

Each report is dated (run.recorded_at) as its week: 2026-11-01 and 2026-11-08, 03:00 UTC.
Week 1: every machine. Week 2: every machine but the last (it misses its run); machine 1 gets an older
audio driver (a downgrade) and machine 2 a problem code on its NVMe controller.

usage: make_fleet_reports.py DRVAUDIT STATE_DIR REPORTS_DIR [MACHINES] [CATALOG_DIR]
Prints one JSON line: {"machine": [[week, snapshot file], …], …}.
"""
import copy
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
SAMPLE = REPO / "data" / "samples" / "windows-laptop.snapshot.json"
WIFI = ["22.200.0.6", "22.190.0.4", "22.250.0.2"]
GRAPHICS = ["31.0.101.4502", "31.0.101.5186", "31.0.101.4255"]


def device(snap, prefix):
    return next(d for d in snap["devices"] if d["instance_id"].startswith(prefix))


def machine_snapshot(base, i, week):
    s = copy.deepcopy(base)
    s["machine"]["hostname"] = f"PC-{i:03d}"
    s["machine"]["captured_at"] = f"2026-11-{1 + 7 * (week - 1):02d}T03:00:00Z"
    device(s, "PCI\\VEN_8086&DEV_A0F0")["driver"]["version"] = WIFI[i % len(WIFI)]
    device(s, "PCI\\VEN_8086&DEV_9A49")["driver"]["version"] = GRAPHICS[(i // 2) % len(GRAPHICS)]
    if week >= 2 and i == 1:
        device(s, "HDAUDIO\\FUNC_01&VEN_10EC")["driver"]["version"] = "6.0.9100.1"
    if week >= 2 and i == 2:
        device(s, "PCI\\VEN_144D&DEV_A80A")["problem_code"] = 10
    return s


def main():
    drvaudit, state, reports = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    machines = int(sys.argv[4]) if len(sys.argv) > 4 else 6
    catalog = sys.argv[5] if len(sys.argv) > 5 else str(REPO / "data" / "catalog")
    base = json.loads(SAMPLE.read_text())
    snapshots = reports.parent / (reports.name + "-snapshots")
    snapshots.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, NO_COLOR="1")
    subprocess.run([drvaudit, "--state-dir", str(state), "catalog", "index", catalog], check=True, env=env,
                   capture_output=True)
    made = {}
    for week in (1, 2):
        for i in range(machines):
            if week == 2 and i == machines - 1:
                continue
            snap = machine_snapshot(base, i, week)
            path = snapshots / f"PC-{i:03d}-week{week}.json"
            path.write_text(json.dumps(snap))
            name = snap["machine"]["hostname"]
            p = subprocess.run([drvaudit, "--state-dir", str(state), "--snapshot", str(path), "schedule", "run",
                                "--report-dir", str(reports / name), "--formats", "json", "--json"], env=env,
                               capture_output=True, text=True)
            if p.returncode not in (0, 10):
                sys.exit(f"schedule run of {path} exited {p.returncode}: {p.stderr}")
            # The runs happen now, seconds apart: date each report as the week it stands for, as a
            # share of real weekly reports would be.
            for file in json.loads(p.stdout)["reports"]:
                report = json.loads(Path(file).read_text())
                report["run"]["recorded_at"] = snap["machine"]["captured_at"]
                Path(file).write_text(json.dumps(report, indent=2))
            made.setdefault(name, []).append([week, str(path)])
    print(json.dumps(made))


if __name__ == "__main__":
    main()
