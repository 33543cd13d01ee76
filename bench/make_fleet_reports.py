#!/usr/bin/env python3
"""Writes N weekly reports for the fleet benchmarks from one real report (a 400-device schedule run):
machine BENCH-00000 … with its own name in every place the report names it, its own run time (spread
over four weeks, so that a quarter of the fleet reports each week), and its installed driver versions
varied by machine, so that the versions view has something to count. Each report sits in a folder of
its machine's name (OUT_DIR/BENCH-00042/), the share layout `fleet ingest` requires.

usage: make_fleet_reports.py TEMPLATE.json OUT_DIR COUNT
"""
import json
import os
import sys


def main():
    template, out, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    doc = json.load(open(template))
    name = doc["machine"]
    doc["run"]["recorded_at"] = "@RECORDED@"
    doc["diff"] = None
    text = json.dumps(doc, separators=(",", ":"), ensure_ascii=False)  # compact, as drvaudit writes it
    pieces = text.split('"' + name + '"')
    assert '"version":"1.0.0.0"' in text
    os.makedirs(out, exist_ok=True)
    for i in range(count):
        machine = f"BENCH-{i:05d}"
        week = i % 4
        body = ('"' + machine + '"').join(pieces)
        body = body.replace("@RECORDED@", f"2026-11-{1 + 7 * week:02d}T03:{i % 60:02d}:00Z")
        body = body.replace('"version":"1.0.0.0"', f'"version":"1.0.{i % 7}.0"')
        folder = os.path.join(out, machine)  # a folder per machine, named as it: fleet ingest requires it
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"drvaudit-{machine}-run1.json"), "w") as f:
            f.write(body)


if __name__ == "__main__":
    main()
