#!/usr/bin/env python3
"""update, rollback and the journal with the real installer, in one fresh Wine prefix, checked from
the Linux side with reg.exe (never with drvaudit's own reading of the registry):

- a small test package (tests/fixtures/updater/package) for Wine's HID mouse, with a catalog
  written here by make_catalog.py; Wine cannot verify its signer, so --allow-unsigned;
- the rank Windows would report for the installed input.inf (DEVPKEY_Device_DriverRank), recorded in
  the device's property store the way SetupDiSetDevicePropertyW stores it: Wine reports none, and
  without it no comparison is proven (the audit says possible_update and update never acts on it);
- update without --no-restore-point stops with exit 3 and changes nothing (Wine has no System
  Restore); --dry-run changes nothing; with --no-restore-point the device's driver key names the new
  INF and audit says up_to_date; rollback --last puts input.inf/device_section back;
- kill -9 at a random moment after the journal says a step started, until 10 runs were killed
  mid-operation: afterwards update refuses new work (exit 5) while an operation is unfinished, and
  rollback --last always brings back input.inf;
- a hostile package folder whose SourceDisksFiles climbs into C:\\windows\\system32 is refused, and
  nothing is created there.

usage: wine_update_test.py DRVAUDIT_EXE
"""
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from wine_harness import Checks, Prefix  # noqa: E402

FIXTURE = os.path.join(HERE, "..", "fixtures", "updater", "package")
MOUSE = "HID\\VID_845E&PID_0001\\0&0000&0&0"
RANK_KEY = ("HKEY_LOCAL_MACHINE\\System\\CurrentControlSet\\Enum\\" + MOUSE +
            "\\Properties\\{A8B865DD-2E3D-4094-AD97-E593A70C75D6}\\000E")


def main():
    c = Checks()
    check = c.check
    wine = Prefix(sys.argv[1], "update")
    drvaudit = wine.drvaudit

    def reg_value(key, name):
        found = wine.reg_value(key, name)
        return found[1] if found else None

    def driver_key():
        driver = reg_value("HKLM\\System\\CurrentControlSet\\Enum\\" + MOUSE, "Driver")
        key = "HKLM\\System\\CurrentControlSet\\Control\\Class\\" + (driver or "?")
        return reg_value(key, "InfPath"), reg_value(key, "InfSection")

    def frequency():
        return reg_value("HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\SystemRestore",
                         "SystemRestorePointCreationFrequency")

    def mouse_verdict():
        out = drvaudit("audit", "--format", "json")
        report = json.loads(out.stdout.decode("utf-8"))
        return [d["verdict"] for d in report["devices"] if d["instance_id"] == MOUSE]

    try:
        wine.create()
        for _ in range(60):  # Wine binds its virtual devices' drivers asynchronously after boot
            if driver_key()[0]:
                break
            time.sleep(0.5)
        original = driver_key()
        check(original == ("input.inf", "device_section"), "the mouse starts with input.inf/device_section: %r" % (original,))

        package = wine.drive_c("package")
        shutil.copytree(FIXTURE, package)
        subprocess.run([sys.executable, os.path.join(HERE, "make_catalog.py"), os.path.join(package, "drvaudit-hidmouse.cat"),
                        os.path.join(package, "drvaudit-hidmouse.inf"), "--signer", "drvaudit Test Signer"], check=True,
                       capture_output=True, timeout=60)
        reg_file = os.path.join(wine.tmp, "rank.reg")
        with open(reg_file, "w", newline="\r\n") as f:
            f.write("REGEDIT4\n\n[%s]\n@=hex(ffff0007):00,20,ff,00\n" % RANK_KEY)  # 0x00FF2000, little-endian
        wine.wine("regedit", "/S", "Z:" + reg_file.replace("/", "\\"))
        subprocess.run(["wineserver", "-w"], env=wine.env, timeout=60)

        index = drvaudit("catalog", "index", "C:\\package")
        check(index.returncode == 0, "catalog index: %r" % index.stderr[-300:])
        check(mouse_verdict() == ["better_match"], "audit: the package matches better: %r" % mouse_verdict())

        args = ("update", "HID\\VID_845E&PID_0001", "--yes", "--allow-unsigned", "--include-better-match")
        refused = drvaudit(*args)
        check(refused.returncode == 3, "update without --no-restore-point: exit %d (3 expected)" % refused.returncode)
        check(b"--no-restore-point" in refused.stderr + refused.stdout, "the refusal names --no-restore-point")
        check(driver_key() == original, "after the refusal the driver key is unchanged: %r" % (driver_key(),))
        check(frequency() is None, "SystemRestorePointCreationFrequency is absent again: %r" % frequency())

        dry = drvaudit(*args, "--dry-run", "--no-restore-point")
        check(dry.returncode == 0 and b"install drvaudit-hidmouse.inf" in dry.stdout, "dry run lists the install step")
        check(driver_key() == original, "the dry run changed nothing")

        done = drvaudit(*args, "--no-restore-point", "--format", "json")
        check(done.returncode == 0, "update: exit %d: %r" % (done.returncode, done.stderr[-400:]))
        new = driver_key()
        check(new[0] == "drvaudit-hidmouse.inf" and new[1] == "Mouse_Install", "the driver key names the package: %r" % (new,))
        check(mouse_verdict() == ["up_to_date"], "audit after the update: %r" % mouse_verdict())
        op = json.loads(done.stdout.decode("utf-8"))["operation"]
        check(op["state"] == "done" and [s["state"] for s in op["steps"]] == ["done"], "journal: %r" % op)
        check("drvaudit-hidmouse.inf" in op["steps"][0]["evidence"], "the step's evidence is the driver key read back")

        journal = drvaudit("journal", "show", str(op["id"]), "--format", "json")
        check(journal.returncode == 0 and json.loads(journal.stdout)["operation"]["steps"][0]["state"] == "done",
              "journal show")
        rollback = drvaudit("rollback", "--last", "--yes")
        check(rollback.returncode == 0, "rollback: exit %d: %r" % (rollback.returncode, rollback.stderr[-300:]))
        check(driver_key() == original, "rollback put input.inf/device_section back: %r" % (driver_key(),))
        listed = json.loads(drvaudit("journal", "--format", "json").stdout)["operations"]
        check([o["state"] for o in listed[:2]] == ["rolled_back", "failed"], "journal list: %r" % [o["state"] for o in listed])

        # kill -9 at random moments of a journaled run with the real installer, until 10 kills landed
        # between a step's start and its result. Only the drvaudit process is killed: Wine's own
        # services (winedevice.exe) must live on, as they do on Windows.
        def after_kill(trial):
            state = json.loads(drvaudit("journal", "--format", "json").stdout)["operations"][0]["state"]
            unfinished = state in ("running", "rolling_back")
            if unfinished:
                busy = drvaudit(*args, "--no-restore-point")
                check(busy.returncode == 5 and b"rollback --last" in busy.stderr,
                      "trial %d: update refuses while an operation is unfinished (exit %d)" % (trial, busy.returncode))
            back = drvaudit("rollback", "--last", "--yes")
            check(back.returncode == 0 and driver_key() == original,
                  "trial %d (%s): rollback --last reaches input.inf: exit %d, %r" % (trial, state, back.returncode, driver_key()))
            return unfinished

        interrupted = wine.kill_trials((*args, "--no-restore-point"), after_kill)
        check(interrupted >= 10, "%d trials were killed between a step's start and its result (10 wanted)" % interrupted)

        # A hostile package folder (issue 24): a SourceDisksFiles entry that climbs from the package
        # cache's files.partial (C:\drvaudit-state\packages\SHA\files.partial, 4 folders below C:) into
        # C:\windows\system32. The old code copied INF_DIR\entry to files.partial\entry before any check.
        usb = wine.drive_c("usb", "a", "b", "c", "d")  # 4 below C:\usb, where the attacker's file is
        shutil.copytree(FIXTURE, usb)
        climb = "..\\" * 4 + "windows\\system32\\drvaudit-planted.dll"
        inf = os.path.join(usb, "drvaudit-hidmouse.inf")
        text = open(inf, newline="").read().replace("DriverVer=11/20/2026,10.1.0.7", "DriverVer=11/25/2026,10.1.0.9")
        open(inf, "w", newline="").write(text.replace("drvaudit-hidmouse.txt=1", "drvaudit-hidmouse.txt=1\r\n" + climb + "=1"))
        planted_source = wine.drive_c("usb", "windows", "system32")
        os.makedirs(planted_source)
        open(os.path.join(planted_source, "drvaudit-planted.dll"), "wb").write(b"MZ attacker's bytes")
        subprocess.run([sys.executable, os.path.join(HERE, "make_catalog.py"), os.path.join(usb, "drvaudit-hidmouse.cat"), inf,
                        "--signer", "drvaudit Test Signer"], check=True, capture_output=True, timeout=60)
        check(drvaudit("catalog", "index", "C:\\usb").returncode == 0, "the hostile package is indexed")
        planted = wine.drive_c("windows", "system32", "drvaudit-planted.dll")
        hostile = drvaudit(*args, "--no-restore-point")
        said = hostile.stdout + hostile.stderr
        check(hostile.returncode == 1 and b"climbs out" in said,
              "the hostile package is refused, saying why: exit %d %r" % (hostile.returncode, said[-300:]))
        check(not os.path.exists(planted), "nothing was created in C:\\windows\\system32")
        check(driver_key() == original, "the mouse keeps input.inf: %r" % (driver_key(),))
    except Exception as e:  # a crash of the harness is a failure, reported like the others
        c.crashed(e)
    finally:
        wine.close()
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
