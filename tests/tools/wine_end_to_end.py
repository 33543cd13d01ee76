#!/usr/bin/env python3
"""drvaudit.exe as a user runs it, in one fresh Wine prefix, checked from the Linux side:
scan --format json, export --csv and audit (Wine's own C:\\windows\\inf is the driver store).

usage: wine_end_to_end.py DRVAUDIT_EXE
"""
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time


def main():
    exe = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp(prefix="drvaudit-wine-")
    env = dict(os.environ, WINEPREFIX=os.path.join(tmp, "prefix"), WINEDEBUG="-all", WINEDLLOVERRIDES="mscoree,mshtml=",
               NO_COLOR="1")
    failures = []
    checks = 0

    def check(condition, what):
        nonlocal checks
        checks += 1
        if not condition:
            failures.append(what)

    def drvaudit(*args):
        return subprocess.run(["wine", exe, "--state-dir", "C:\\drvaudit-state", *args], env=env, capture_output=True,
                              timeout=300)

    try:
        subprocess.run(["wineboot", "-i"], env=env, capture_output=True, check=True, timeout=120)

        # Wine installs drivers for its virtual devices asynchronously after the prefix boots: scan
        # until the HID mouse has its class and driver (up to 30 s), as a user would after setup.
        for _ in range(60):
            scan = drvaudit("scan", "--format", "json")
            if scan.returncode != 0:
                break
            mouse = [d for d in json.loads(scan.stdout.decode("utf-8"))["devices"]
                     if "HID\\VID_845E&PID_0001" in d["hardware_ids"]]
            if mouse and mouse[0].get("class") and mouse[0].get("driver"):
                break
            time.sleep(0.5)
        check(scan.returncode == 0, "scan exit code %d: %s" % (scan.returncode, scan.stderr.decode(errors="replace")))
        doc = json.loads(scan.stdout.decode("utf-8"))
        devices = doc["devices"]
        by_hwid = {h: d for d in devices for h in d["hardware_ids"]}
        check(doc["machine"]["os"] == "windows", "machine.os is %r" % doc["machine"]["os"])
        check("HID\\VID_845E&PID_0001" in by_hwid, "no HID\\VID_845E&PID_0001 in the scan")
        check(by_hwid.get("HID\\VID_845E&PID_0001", {}).get("class") == "HIDClass", "the Wine mouse is not HIDClass")
        adapter = by_hwid.get("PCI\\VEN_0000&DEV_0000&SUBSYS_00000000&REV_00", {})
        check(adapter.get("class") == "Display", "the Wine adapter is missing or not Display: %r" % adapter)
        check(any(d["driver"] and d["driver"]["inf"] for d in devices), "no device has an InfPath")

        out_csv = os.path.join(env["WINEPREFIX"], "drive_c", "inventory.csv")
        export = drvaudit("export", "--csv", "C:\\inventory.csv")
        check(export.returncode == 0, "export exit code %d" % export.returncode)
        raw = open(out_csv, "rb").read()
        check(raw.count(b"\r\n") == len(devices) + 1, "CSV has %d CRLF rows for %d devices" % (raw.count(b"\r\n"), len(devices)))
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
        check(rows[0][:5] == ["machine", "captured_at", "tool_version", "description", "class"], "CSV header %r" % rows[0][:5])

        audit = drvaudit("audit", "--format", "json")
        check(audit.returncode in (0, 10, 11), "audit exit code %d: %s" % (audit.returncode, audit.stderr.decode(errors="replace")))
        report = json.loads(audit.stdout.decode("utf-8"))
        # Wine's INFs have only undecorated (x86) Models sections: on amd64 nothing can be checked,
        # and the audit says so instead of looking clean.
        check(report["coverage"]["checked"] is False and "nothing could be checked" in report["coverage"]["problem"],
              "coverage: %r" % report["coverage"])
        check(b"nothing could be checked" in audit.stderr, "no coverage warning on stderr")
        # Wine's Windows Update Agent cannot search (E_NOTIMPL): said once, as a warning, not an error.
        unavailable = [w for w in report.get("warnings", []) if "Windows Update source unavailable" in w]
        check(len(unavailable) == 1 and "0x80004001" in unavailable[0],
              "the audit says once that the Windows Update source is unavailable: %r" % report.get("warnings"))
        strict = drvaudit("audit", "--strict", "--format", "json")
        check(strict.returncode == 1, "audit --strict exit code %d with nothing checked" % strict.returncode)
        check(len(report["devices"]) == len(devices), "audit covers %d of %d devices" % (len(report["devices"]), len(devices)))
        verdicts = {"up_to_date", "update_available", "better_match", "possible_update", "missing_driver", "no_catalog_data"}
        check(all(d["verdict"] in verdicts for d in report["devices"]), "a device without a verdict")
        # The audit indexed Wine's C:\windows\INF as the driver store (input.inf, winebus.inf, ...).
        sources = drvaudit("catalog", "sources", "--format", "json")
        store = [x for x in json.loads(sources.stdout.decode("utf-8"))["sources"] if x["location"].lower().endswith("\\inf")]
        check(len(store) == 1 and store[0]["files"] >= 5, "the driver store is not a catalog source: %r" % store)
        # Wine's INFs list only undecorated Models sections, which serve x86 only: on amd64 they give no
        # candidates, and the installed input.inf (found through the driver key) is explained as such.
        explain = drvaudit("audit", "--explain", "HID\\VID_845E&PID_0001")
        text = explain.stdout.decode("utf-8", errors="replace")
        check("Installed driver: input.inf" in text and "Verdict:" in text, "explain: %r" % text[:400])
        table = drvaudit("audit")
        check(table.returncode in (0, 10, 11) and b"VERDICT" in table.stdout, "audit table")
    except Exception as e:  # a crash of the harness is a failure, reported like the others
        failures.append("%s: %s" % (type(e).__name__, e))
    finally:
        subprocess.run(["wineserver", "-k"], env=env, capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)

    for f in failures:
        print("FAIL:", f)
    print("%d passed, %d failed" % (max(checks - len(failures), 0), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
