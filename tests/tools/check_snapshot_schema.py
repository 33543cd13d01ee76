#!/usr/bin/env python3
"""Validates drvaudit's JSON against data/snapshot.schema.json with the jsonschema package, and
checks that the schema itself rejects malformed documents.

usage: check_snapshot_schema.py DRVAUDIT SCHEMA SNAPSHOT...
"""
import copy
import json
import os
import subprocess
import sys
import tempfile

import jsonschema


def main():
    drvaudit, schema_path, snapshots = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    failures = []
    documents = []
    with tempfile.TemporaryDirectory() as state:
        if os.path.isdir("/sys/bus"):
            live = subprocess.run([drvaudit, "--state-dir", state, "scan", "--format", "json"], check=True,
                                  capture_output=True, text=True)
            documents.append(("live scan", json.loads(live.stdout)))
        for path in snapshots:
            replay = subprocess.run([drvaudit, "--state-dir", state, "--snapshot", path, "scan", "--format", "json"],
                                    check=True, capture_output=True, text=True)
            documents.append((path, json.loads(replay.stdout)))
    for name, doc in documents:
        for error in validator.iter_errors(doc):
            failures.append("%s: %s at %s" % (name, error.message, "/".join(map(str, error.absolute_path))))

    # The schema must reject what drvaudit's loader rejects.
    base = documents[-1][1]
    broken = []
    for mutate in (lambda d: d.update(schema="drvaudit-snapshot/2"),
                   lambda d: d["devices"][0].pop("hardware_ids"),
                   lambda d: d["devices"][0].update(problem_code=-1),
                   lambda d: d["devices"][0].update(unknown_key=1),
                   lambda d: d["devices"][0]["hardware_ids"].append(7)):
        doc = copy.deepcopy(base)
        mutate(doc)
        broken.append(doc)
    for i, doc in enumerate(broken):
        if validator.is_valid(doc):
            failures.append("the schema accepted broken document #%d" % i)

    for m in failures:
        print("FAIL:", m)
    print("%d passed, %d failed" % (len(documents) + len(broken) - len(failures), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
