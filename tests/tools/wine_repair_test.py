#!/usr/bin/env python3
"""The Windows Update repair under Wine, in one fresh prefix, with Wine's real Service Control
Manager and registry, checked from the Linux side (the prefix's files, Wine's sc.exe and reg.exe):

- `repair diagnose`: wuauserv and bits found with their state, cryptsvc missing, the
  WindowsUpdate.log the test wrote read (Wine's WUA history is E_NOTIMPL) and 0x80070002 explained,
  SoftwareDistribution's size, the WUA driver search "unavailable", never an error;
- `repair windows-update --step software-distribution --dry-run` changes nothing (drive C: and the
  services compared before and after); the real run stops bits (running before), renames the folder
  to SoftwareDistribution.drvaudit-*, starts bits again; wuauserv (stopped before) stays stopped;
  `repair undo --last` brings the folder back byte for byte and bits keeps running;
- `--step allow-os-upgrade` writes the DWORD (reg query shows 0x1) and undo deletes it again, key
  and all, since neither was there before;
- without --step, the diagnosis picks software-distribution from the log's 0x80070002;
- kill -9 at a random moment after a step started, until 10 repairs were killed midway: a new repair
  is refused (exit 5) while one is unfinished, and `repair undo --last` always restores the folder and bits.

usage: wine_repair_test.py DRVAUDIT_EXE
"""
import hashlib
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wine_harness import Checks, Prefix  # noqa: E402

OS_UPGRADE = "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\OSUpgrade"
NTP = ("--ntp-server", "127.0.0.1:9")  # a closed loopback port: no network is ever asked


def tree(root, skip=()):
    """Every file below root with its SHA-256, every folder as such."""
    found = {}
    for base, dirs, files in os.walk(root):
        rel = os.path.relpath(base, root)
        if any(rel == s or rel.startswith(s + os.sep) for s in skip):
            continue
        for d in dirs:
            found[os.path.normpath(os.path.join(rel, d))] = "<dir>"
        for f in files:
            with open(os.path.join(base, f), "rb") as fh:
                found[os.path.normpath(os.path.join(rel, f))] = hashlib.sha256(fh.read()).hexdigest()
    return found


def main():
    c = Checks()
    wine = Prefix(sys.argv[1], "repair")
    try:
        wine.create(persistent=True)
        windows = wine.drive_c("windows")
        sd = os.path.join(windows, "SoftwareDistribution")
        rng = random.Random(13)
        for rel, size in (("Download/4f2a/windows10.0-kb5034441.cab", 300000), ("DataStore/DataStore.edb", 65536),
                          ("DataStore/Logs/edb.log", 4096), ("ReportingEvents.log", 777)):
            path = os.path.join(sd, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(bytes(rng.getrandbits(8) for _ in range(size)))
        with open(os.path.join(windows, "WindowsUpdate.log"), "w", newline="") as f:
            f.write("2026-11-30\t10:43:09:541\t 948\t1a0c\tAgent\t*********** Agent: Installing updates\r\n"
                    "2026-11-30\t10:43:10:002\t 948\t1a0c\tAgent\t  * WARNING: Exit code = 0x80070002\r\n")
        original = tree(sd)
        check = c.check

        wine.wine("net", "start", "bits", timeout=120)  # Wine's first start can outlast net.exe's wait
        check(wine.wait_for_service("bits", "RUNNING"), "bits started with net.exe: %s" % wine.service_state("bits"))
        check(wine.service_state("wuauserv") == "STOPPED", "wuauserv is stopped: %s" % wine.service_state("wuauserv"))

        # The diagnosis.
        p = wine.drvaudit("repair", "diagnose", *NTP, "--ntp-timeout", "0.5", "--format", "json")
        doc = json.loads(p.stdout) if p.stdout.strip() else {}
        checks = {x["id"]: x for x in doc.get("checks", [])}
        check(p.returncode == 11, "diagnose: exit 11 (problems found), got %d: %r" % (p.returncode, p.stderr[-300:]))
        check(doc.get("windows_checks") is True, "the Windows checks ran")
        check(checks.get("service:bits", {}).get("facts", {}).get("state") == "running",
              "bits: running: %r" % checks.get("service:bits"))
        check(checks.get("service:wuauserv", {}).get("facts", {}).get("start_type") == "manual",
              "wuauserv: manual: %r" % checks.get("service:wuauserv", {}).get("evidence"))
        check(checks.get("service:cryptsvc", {}).get("status") == "problem" and
              "not installed" in checks.get("service:cryptsvc", {}).get("evidence", ""), "cryptsvc: not installed")
        sdc = checks.get("software-distribution", {})
        check(sdc.get("status") == "problem" and sdc.get("step") == "software-distribution" and
              sdc.get("facts", {}).get("files") == 4 and "0x80070002" in sdc.get("evidence", ""),
              "SoftwareDistribution: 4 files, 0x80070002 recorded, step software-distribution: %r" % sdc.get("evidence"))
        errs = checks.get("update-errors", {})
        check("WindowsUpdate.log" in errs.get("evidence", "") and "missing" in errs.get("evidence", ""),
              "update errors read from WindowsUpdate.log and explained: %r" % errs.get("evidence"))
        search = checks.get("windows-update-search", {})
        check(search.get("status") == "unknown" and "unavailable" in search.get("evidence", "") and
              "0x80004001" in search.get("evidence", ""), "WUA search: unavailable (E_NOTIMPL): %r" % search.get("evidence"))
        check(doc.get("needed_steps") == ["software-distribution"], "needed steps: %r" % doc.get("needed_steps"))
        table = wine.drvaudit("repair", "diagnose", *NTP, "--ntp-timeout", "0.5", "--no-search")
        check(b"To repair: drvaudit repair windows-update" in table.stdout, "the table ends with the command to run")

        # Dry run: nothing changes.
        wine.drvaudit("repair", "history")  # drvaudit's own state folder exists before the comparison
        before = (tree(wine.drive_c(), skip=("drvaudit-state", os.path.join("windows", "temp"))),
                  wine.service_state("bits"), wine.service_state("wuauserv"))
        dry = wine.drvaudit("repair", "windows-update", "--step", "software-distribution", "--dry-run", *NTP)
        out = dry.stdout.decode("utf-8", "replace")
        check(dry.returncode == 0 and "stop bits" in out and "SoftwareDistribution.drvaudit-" in out and
              "start bits" in out and "dry run: nothing was changed" in out, "dry run prints the plan: %r" % out)
        dry2 = wine.drvaudit("repair", "windows-update", "--step", "allow-os-upgrade", "--dry-run")
        check(dry2.returncode == 0 and b"AllowOSUpgrade to DWORD 1 (now absent)" in dry2.stdout,
              "dry run of allow-os-upgrade names the old and new value")
        after = (tree(wine.drive_c(), skip=("drvaudit-state", os.path.join("windows", "temp"))),
                 wine.service_state("bits"), wine.service_state("wuauserv"))
        changed = sorted(k for k in set(before[0]) | set(after[0]) if before[0].get(k) != after[0].get(k))
        check(before == after, "the dry runs changed nothing on drive C: or in the services: %r %r" %
              (changed[:10], (before[1:], after[1:])))
        check(wine.reg_value(OS_UPGRADE, "AllowOSUpgrade") is None, "AllowOSUpgrade still absent after the dry run")

        # The repair.
        run = wine.drvaudit("repair", "windows-update", "--step", "software-distribution", "--yes", "--format", "json")
        op = json.loads(run.stdout).get("operation", {}) if run.stdout.strip() else {}
        check(run.returncode == 0 and op.get("state") == "done",
              "repair: exit %d, %s: %r" % (run.returncode, op.get("state"), run.stderr[-300:]))
        kinds = [s["kind"] for s in op.get("steps", [])]
        check(kinds == ["repair-service", "repair-rename-folder", "repair-service"], "steps: %r" % kinds)
        backups = sorted(n for n in os.listdir(windows) if n.startswith("SoftwareDistribution.drvaudit-"))
        check(not os.path.exists(sd) and len(backups) == 1, "SoftwareDistribution renamed: %r" % backups)
        if backups:
            check(tree(os.path.join(windows, backups[0])) == original, "the backup holds every file, unchanged")
        check("bits is stopped" in op.get("steps", [{}])[0].get("evidence", ""),
              "bits was stopped (read back): %r" % op.get("steps", [{}])[0].get("evidence"))
        check(wine.service_state("bits") == "RUNNING", "bits runs again, as before: %s" % wine.service_state("bits"))
        check(wine.service_state("wuauserv") == "STOPPED", "wuauserv stays stopped, as before")
        hist = wine.drvaudit("repair", "history", "--format", "json")
        listed = json.loads(hist.stdout).get("operations", []) if hist.returncode == 0 else []
        check([o["kind"] for o in listed] == ["repair"], "repair history lists the repair: %r" % listed)

        # Windows recreates the folder meanwhile; undo keeps it aside.
        os.makedirs(os.path.join(sd, "Download"))
        with open(os.path.join(sd, "Download", "new.bin"), "wb") as f:
            f.write(b"recreated by Windows")
        undo = wine.drvaudit("repair", "undo", "--last", "--yes")
        check(undo.returncode == 0, "undo: exit %d: %r" % (undo.returncode, undo.stderr[-300:]))
        check(tree(sd) == original, "undo: SoftwareDistribution is back byte for byte")
        recreated = [n for n in os.listdir(windows) if n.startswith("SoftwareDistribution.drvaudit-recreated-")]
        check(len(recreated) == 1 and os.path.exists(os.path.join(windows, recreated[0], "Download", "new.bin")),
              "the folder Windows recreated is kept aside, not deleted: %r" % recreated)
        check(not [n for n in os.listdir(windows) if n.startswith("SoftwareDistribution.drvaudit-2")],
              "no backup is left once it is renamed back")
        check(wine.service_state("bits") == "RUNNING", "bits runs after the undo")
        again = wine.drvaudit("repair", "undo", "--last", "--yes")
        check(again.returncode == 0 and b"undone already" in again.stdout, "a second undo says it was undone already")

        # AllowOSUpgrade: absent -> 1 -> absent (the key too).
        check(not wine.reg_key_exists(OS_UPGRADE), "the OSUpgrade key is absent before")
        up = wine.drvaudit("repair", "windows-update", "--step", "allow-os-upgrade", "--yes")
        value = wine.reg_value(OS_UPGRADE, "AllowOSUpgrade")
        check(up.returncode == 0 and value is not None and value[0] == "REG_DWORD" and value[1] in ("0x1", "1"),
              "allow-os-upgrade: reg query shows the DWORD 1: %r (%d)" % (value, up.returncode))
        undo = wine.drvaudit("repair", "undo", "--last", "--yes")
        check(undo.returncode == 0 and wine.reg_value(OS_UPGRADE, "AllowOSUpgrade") is None,
              "undo deletes AllowOSUpgrade again (it was absent): %r" % (wine.reg_value(OS_UPGRADE, "AllowOSUpgrade"),))
        check(not wine.reg_key_exists(OS_UPGRADE), "and the key drvaudit created for it")

        # Without --step: what the diagnosis found.
        auto = wine.drvaudit("repair", "windows-update", "--yes", *NTP)
        out = auto.stdout.decode("utf-8", "replace")
        check(auto.returncode == 0 and out.startswith("repair: software-distribution\n"),
              "without --step the diagnosis picks software-distribution: %r" % out[:200])
        check(not os.path.exists(sd), "and it ran")
        wine.drvaudit("repair", "undo", "--last", "--yes")
        check(tree(sd) == original, "undone again")

        # Refusals.
        bad = wine.drvaudit("repair", "windows-update", "--step", "reset-firewall", "--dry-run")
        check(bad.returncode == 2 and b"not a repair step" in bad.stderr, "an unknown step: exit 2")
        clock = wine.drvaudit("repair", "windows-update", "--step", "clock", "--yes", *NTP)
        check(clock.returncode in (1, 3) and b"w32tm" in clock.stderr,
              "clock: Wine has no w32tm/w32time: exit %d: %r" % (clock.returncode, clock.stderr[-200:]))

        # kill -9 during a repair, until 10 kills landed midway.
        def after_kill(trial):
            ops = json.loads(wine.drvaudit("repair", "history", "--format", "json").stdout)["operations"]
            state = ops[0]["state"] if ops else None
            unfinished = state in ("running", "rolling_back")
            if unfinished:
                busy = wine.drvaudit("repair", "windows-update", "--step", "software-distribution", "--yes")
                check(busy.returncode == 5 and b"repair undo --last" in busy.stderr,
                      "trial %d: a new repair is refused while one is unfinished (exit %d)" % (trial, busy.returncode))
            back = wine.drvaudit("repair", "undo", "--last", "--yes")
            check(back.returncode == 0 and tree(sd) == original and wine.service_state("bits") == "RUNNING",
                  "trial %d (%s): undo --last restores the folder and bits: exit %d, bits %s" %
                  (trial, state, back.returncode, wine.service_state("bits")))
            return unfinished

        interrupted = wine.kill_trials(("repair", "windows-update", "--step", "software-distribution", "--yes"),
                                       after_kill, seed=13)
        check(interrupted >= 10, "%d kills came in the middle of a repair (10 wanted)" % interrupted)
    except Exception as e:  # a crash of the harness is a failure, reported like the others
        c.crashed(e)
    finally:
        wine.close()
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
