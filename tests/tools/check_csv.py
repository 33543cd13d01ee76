#!/usr/bin/env python3
"""Reads drvaudit's CSV export back with Python's csv module, an independent RFC 4180 reader,
and checks every cell against the snapshot it came from: quoting, CRLF row ends, the Excel BOM
and formula neutralisation.

usage: check_csv.py DRVAUDIT SNAPSHOT
"""
import csv
import io
import json
import os
import subprocess
import sys
import tempfile

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value):
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def version_shown(drv):
    """A Linux driver built into the kernel reads "built into kernel MAJOR.MINOR"."""
    version = drv.get("version", "")
    if drv.get("provider") == "Linux kernel" and not drv.get("module") and version:
        major, _, rest = version.partition(".")
        minor = ""
        for ch in rest:
            if not ch.isdigit():
                break
            minor += ch
        return "built into kernel " + major + ("." + minor if rest else "")
    return version


def expected_rows(snapshot, tool_version):
    rows = []
    machine = snapshot.get("machine", {})
    for d in snapshot["devices"]:
        drv = d["driver"] or {}
        name = drv.get("inf") or drv.get("module") or drv.get("service") or ""
        if not d["present"]:
            status = "not present"
        elif d["problem_code"]:
            status = "Code %d: " % d["problem_code"]  # then Device Manager's words, checked by prefix
        elif not d["driver"]:
            status = "no driver"
        else:
            status = "OK"
        row = [machine.get("hostname", ""), machine.get("captured_at", ""), tool_version, d["description"], d["class"], d["manufacturer"], d["bus"], d["instance_id"],
               "; ".join(d["hardware_ids"]), "; ".join(d["compatible_ids"]), drv.get("provider", ""),
               version_shown(drv), drv.get("date", ""), name, drv.get("service", ""), drv.get("signer", ""),
               status, str(d["problem_code"]), "yes" if d["present"] else "no", d.get("location", ""),
               d.get("firmware_version", "")]
        rows.append([neutralised(c) for c in row])
    return rows


def export(drvaudit, snapshot_path, out, *extra):
    with tempfile.TemporaryDirectory() as state:
        subprocess.run([drvaudit, "--state-dir", state, "--snapshot", snapshot_path, "export", "--csv", out, *extra],
                       check=True)
    with open(out, "rb") as f:
        return f.read()


def check(raw, expected, excel):
    failures = []
    if excel != raw.startswith(b"\xef\xbb\xbf"):
        failures.append("byte order mark present=%s, wanted %s" % (raw.startswith(b"\xef\xbb\xbf"), excel))
    text = raw.decode("utf-8-sig")
    if not text.endswith("\r\n"):
        failures.append("the file does not end with CRLF")
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    if rows[0][:6] != ["machine", "captured_at", "tool_version", "description", "class", "manufacturer"]:
        failures.append("unexpected header %r" % rows[0])
    body = rows[1:]
    if len(body) != len(expected):
        failures.append("%d rows, wanted %d" % (len(body), len(expected)))
    status = rows[0].index("status")
    for i, (got, want) in enumerate(zip(body, expected)):
        if want[status].startswith("Code ") and got[status].startswith(want[status]) and \
                len(got[status]) > len(want[status]):
            want = want[:status] + [got[status]] + want[status + 1:]
        if got != want:
            for col, (g, w) in enumerate(zip(got, want)):
                if g != w:
                    failures.append("row %d column %s: got %r, wanted %r" % (i + 1, rows[0][col], g, w))
            if len(got) != len(want):
                failures.append("row %d has %d cells, wanted %d" % (i + 1, len(got), len(want)))
    # Every record ends in CRLF: outside quoted fields no bare LF may appear.
    in_quotes = False
    for j, ch in enumerate(text):
        if ch == '"':
            in_quotes = not in_quotes
        elif ch == "\n" and not in_quotes and (j == 0 or text[j - 1] != "\r"):
            failures.append("bare LF at offset %d" % j)
            break
    return failures


def main():
    drvaudit, snapshot_path = sys.argv[1], sys.argv[2]
    tool_version = subprocess.run([drvaudit, "--version"], check=True, capture_output=True,
                                  text=True).stdout.split()[-1]
    with open(snapshot_path, encoding="utf-8") as f:
        expected = expected_rows(json.load(f), tool_version)
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "inventory.csv")
        failures += check(export(drvaudit, snapshot_path, out), expected, excel=False)
        failures += ["--excel: " + m for m in check(export(drvaudit, snapshot_path, out, "--excel"), expected, excel=True)]
    for m in failures:
        print("FAIL:", m)
    print("%d passed, %d failed" % (1 if not failures else 0, 1 if failures else 0))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
