#!/usr/bin/env python3
"""Validates every JSON output of drvaudit against its schema in data/ (jsonschema, Draft 2020-12),
and checks that the schemas reject broken documents. Every schema in data/ must be used.

usage: check_json_schemas.py DRVAUDIT SOURCE_DIR
"""
import copy
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import warnings

import jsonschema

warnings.filterwarnings("ignore", category=DeprecationWarning)  # RefResolver, kept for Debian's jsonschema 4.10


def main():
    drvaudit, source = sys.argv[1], sys.argv[2]
    schemas = {}
    for path in sorted(glob.glob(os.path.join(source, "data", "*.schema.json"))):
        with open(path, encoding="utf-8") as f:
            schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
        schemas[schema["$id"]] = (os.path.basename(path), schema)
    # The document's "schema" member names its schema: drvaudit-audit/3 is drvaudit-audit-3.json.
    by_name = {}
    for schema_id, (file, schema) in schemas.items():
        name = os.path.basename(schema_id)[: -len(".json")]
        by_name[name[: name.rfind("-")] + "/" + name[name.rfind("-") + 1:]] = schema_id
    store = {schema_id: schema for schema_id, (_, schema) in schemas.items()}

    def validator_for(doc):
        schema_id = by_name.get(doc.get("schema") if isinstance(doc, dict) else None)
        if not schema_id:
            return None, None
        schema = store[schema_id]
        resolver = jsonschema.RefResolver.from_schema(schema, store=store)
        return schema_id, jsonschema.Draft202012Validator(schema, resolver=resolver)

    failures = []
    used = set()
    checked = 0
    samples = os.path.join(source, "data", "samples")
    laptop = os.path.join(samples, "windows-laptop.snapshot.json")
    hostile = os.path.join(source, "tests", "fixtures", "hostile.snapshot.json")

    with tempfile.TemporaryDirectory() as state, tempfile.TemporaryDirectory() as work:
        def run(*args, ok=(0,)):
            r = subprocess.run([drvaudit, "--state-dir", state, *args], capture_output=True)
            if r.returncode not in ok:
                failures.append("%s: exit %d: %s" % (" ".join(args), r.returncode, r.stderr.decode(errors="replace")))
                return None
            return r.stdout

        outputs = []

        def collect(label, *args, ok=(0,)):
            out = run(*args, ok=ok)
            if out is not None:
                outputs.append((label, out))

        collect("audit, empty catalog", "--snapshot", laptop, "audit", "--json", ok=(0, 10, 11))
        run("catalog", "index", os.path.join(source, "data", "catalog"))
        run("catalog", "index", os.path.join(source, "tests", "corpora", "inf-open"))
        collect("scan of a snapshot", "--snapshot", laptop, "scan", "--format", "json")
        collect("scan of two snapshots", "--snapshot", laptop, hostile, "scan", "--json")
        if os.path.isdir("/sys/bus"):
            collect("scan of this machine", "scan", "--json")
            collect("audit of this machine", "audit", "--json", ok=(0, 10, 11))
        collect("audit", "--snapshot", laptop, "audit", "--format", "JSON", ok=(10,))
        collect("audit of a hostile snapshot", "--snapshot", hostile, "audit", "--json", ok=(0, 10, 11))
        collect("audit of two snapshots", "--snapshot", laptop, hostile, "audit", "--json", ok=(10,))
        collect("catalog sources", "catalog", "sources", "--json")
        collect("catalog stats", "catalog", "stats", "--json")
        collect("catalog search", "catalog", "search", "PCI\\VEN_1B36&DEV_0002", "--json")
        collect("catalog search, nothing found", "catalog", "search", "PCI\\VEN_FFFF&DEV_FFFF", "--json", ok=(1,))
        collect("catalog list", "catalog", "list", "--json")
        collect("catalog problems", "catalog", "problems", "--json")
        feed = os.path.join(work, "feed.json")
        if run("catalog", "export", os.path.join(source, "data", "catalog", "intel-wifi"), "-o", feed) is not None:
            with open(feed, "rb") as f:
                outputs.append(("catalog export", f.read()))

        # The updater's outputs, against the recorded machine of the updater tests.
        fixture = os.path.join(source, "tests", "fixtures", "updater")
        machine, package = os.path.join(work, "machine"), os.path.join(work, "package")
        shutil.copytree(os.path.join(fixture, "machine"), machine)
        shutil.copytree(os.path.join(fixture, "package"), package)
        subprocess.run([sys.executable, os.path.join(source, "tests", "tools", "make_catalog.py"),
                        os.path.join(package, "drvaudit-hidmouse.cat"), os.path.join(package, "drvaudit-hidmouse.inf"),
                        "--signer", "drvaudit Test Signer"], check=True, capture_output=True)
        run("catalog", "index", package)
        collect("update --dry-run", "update", "--root", machine, "--all", "--dry-run", "--allow-unsigned", "--json")
        collect("update", "update", "--root", machine, "--all", "--yes", "--allow-unsigned", "--json")
        collect("journal", "journal", "--json")
        collect("journal show", "journal", "show", "1", "--json")
        collect("rollback", "rollback", "--last", "--yes", "--root", machine, "--json")
        stage = os.path.join(work, "stage")
        collect("update --stage-dir", "--snapshot", os.path.join(machine, "snapshot.json"), "update", "--all",
                "--stage-dir", stage, "--json")
        if os.path.exists(os.path.join(stage, "manifest.json")):
            with open(os.path.join(stage, "manifest.json"), "rb") as f:
                outputs.append(("stage manifest", f.read()))

        # The weekly audit: a stored run, its report file, the history views, the schedule's status.
        reports = os.path.join(work, "reports")
        run("--snapshot", laptop, "schedule", "run", "--report-dir", reports, ok=(10,))
        collect("schedule run", "--snapshot", laptop, "schedule", "run", "--report-dir", reports, "--json", ok=(10,))
        for name in sorted(os.listdir(reports)) if os.path.isdir(reports) else []:
            if name.endswith(".json"):
                with open(os.path.join(reports, name), "rb") as f:
                    outputs.append(("weekly report " + name, f.read()))
        collect("history list", "history", "list", "--json")
        collect("history show", "history", "show", "1", "--json")
        collect("history diff", "history", "diff", "--json")
        collect("schedule status", "schedule", "status", "--root", os.path.join(work, "root"), "--via", "cron", "--json")
        # The fleet view over those reports.
        run("fleet", "ingest", reports)
        for view in (["machines"], ["updates"], ["versions", "PCI\\VEN_8086&DEV_A0F0"], ["regressions"], ["diff"]):
            collect("fleet " + view[0], "fleet", *view, "--json")
        collect("fleet report", "fleet", "report", "--json")
        # The repair's diagnosis (on Linux: the clock only; a closed loopback port answers nothing).
        collect("repair diagnose", "repair", "diagnose", "--ntp-server", "127.0.0.1:9", "--ntp-timeout", "0.3", "--json")
        collect("repair history", "repair", "history", "--json")

        documents = []
        for label, raw in outputs:
            try:
                documents.append((label, json.loads(raw)))
            except ValueError as e:
                failures.append("%s: not JSON: %s" % (label, e))
        for label, doc in documents:
            schema_id, validator = validator_for(doc)
            if not validator:
                failures.append("%s: no schema in data/ for %r" % (label, doc.get("schema") if isinstance(doc, dict) else doc))
                continue
            used.add(schema_id)
            checked += 1
            for error in validator.iter_errors(doc):
                failures.append("%s (%s): %s at /%s" % (label, schemas[schema_id][0], error.message,
                                                         "/".join(map(str, error.absolute_path))))

        # The schemas must reject what no drvaudit writes.
        audit = next(doc for label, doc in documents if label == "audit")
        _, validator = validator_for(audit)
        broken = []
        no_coverage = copy.deepcopy(audit)
        del no_coverage["coverage"]
        broken.append(("without coverage", no_coverage))
        bad_verdict = copy.deepcopy(audit)
        bad_verdict["devices"][0]["verdict"] = "probably_fine"
        broken.append(("an unknown verdict", bad_verdict))
        extra = copy.deepcopy(audit)
        extra["devices"][0]["surprise"] = 1
        broken.append(("an unknown member", extra))
        bad_rank = copy.deepcopy(audit)
        for d in bad_rank["devices"]:
            if d["best"]:
                d["best"]["rank"] = "0x12"
                break
        broken.append(("a short rank", bad_rank))
        for what, doc in broken:
            if validator.is_valid(doc):
                failures.append("the audit schema accepts a document with %s" % what)
        fleet = next(doc for label, doc in documents if label == "audit of two snapshots")
        _, fleet_validator = validator_for(fleet)
        fleet_bad = copy.deepcopy(fleet)
        del fleet_bad["audits"][1]["devices"][0]["machine"]
        if fleet_validator.is_valid(fleet_bad):
            failures.append("the audits schema does not check the audits inside it")

    for schema_id, (file, _) in schemas.items():
        if schema_id not in used:
            failures.append("%s: no output was checked against it" % file)
    for m in failures:
        print("FAIL:", m)
    print("%d documents checked against %d schemas; %d failures" % (checked, len(schemas), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
