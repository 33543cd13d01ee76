#!/usr/bin/env python3
"""The updater on Linux, with real components on loopback only:
- a recorded Windows machine in a folder (--root: snapshot.json and inf/, rewritten by each install
  the way Windows rewrites a driver key) and a real package with a catalog from make_catalog.py;
- update: dry run, confirmation, the signature rule, the journal, audit up to date, rollback;
  System Restore off (exit 3, nothing changed); the updater lock (exit 5 with the holder's pid);
- 100 kill -9 trials of a journaled run at random moments, each finished with rollback --last or
  update --resume, which must always reach the old state or the new one;
- staging for an offline PC from a minisign-signed feed on nginx over HTTPS: a ZIP and a CAB (gcab)
  package; a download cut by kill -9 resumes with Range and transfers only the missing bytes (nginx's
  log); a wrong SHA-256 leaves no cache entry; a zip-slip archive is refused with nothing written
  outside the stage folder; --from-stage refuses a package with one changed byte; 100 kill -9 trials
  of staging runs leave either no manifest or one that verifies.

usage: update_test.py DRVAUDIT
"""
import hashlib
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile

import loopback_https

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "..", "fixtures", "updater")
DRVAUDIT = sys.argv[1]
MOUSE = "HID\\VID_845E&PID_0001\\0&0000&0&0"
DISPLAY = "PCI\\VEN_0000&DEV_0000&SUBSYS_00000000&REV_00\\00000000"
results = []


def check(condition, what):
    results.append((bool(condition), what))
    print(("ok   " if condition else "FAIL ") + what, flush=True)


def run(state, *args, timeout=300, stdin=subprocess.DEVNULL):
    return subprocess.run([DRVAUDIT, "--state-dir", state, *args], capture_output=True, text=True, timeout=timeout,
                          stdin=stdin)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def make_catalog(cat, *files):
    subprocess.run([sys.executable, os.path.join(HERE, "make_catalog.py"), cat, *files, "--signer", "drvaudit Test Signer"],
                   check=True, capture_output=True, timeout=60)


def driver_of(machine, instance):
    doc = json.load(open(os.path.join(machine, "snapshot.json")))
    return [d["driver"] for d in doc["devices"] if d["instance_id"] == instance][0]


def verdict(state, machine, instance):
    out = run(state, "--snapshot", os.path.join(machine, "snapshot.json"), "audit", "--json")
    return [d["verdict"] for d in json.loads(out.stdout)["devices"] if d["instance_id"] == instance][0]


def stores(machine):
    return sorted(n for n in os.listdir(os.path.join(machine, "inf")) if n.lower().startswith("oem"))


def display_package(folder):
    """A second package, for the recorded machine's display adapter, newer than its display.inf."""
    os.makedirs(folder)
    open(os.path.join(folder, "drvaudit-display.inf"), "w", newline="\r\n").write("""[Version]
Signature="$Windows NT$"
Class=Display
ClassGuid={4d36e968-e325-11ce-bfc1-08002be10318}
Provider=%Vendor%
CatalogFile=drvaudit-display.cat
DriverVer=10/01/2026,30.0.1.2

[SourceDisksNames]
1=%Disk%,,,

[SourceDisksFiles]
drvaudit-display.dll=1,x64

[Manufacturer]
%Vendor%=Models,NTamd64

[Models.NTamd64]
%Display.Desc%=Display_Install,PCI\\VEN_0000&DEV_0000&SUBSYS_00000000&REV_00

[Display_Install.NT]

[Display_Install.NT.Services]
AddService=,0x00000002

[Strings]
Vendor="drvaudit test"
Display.Desc="drvaudit test display"
Disk="drvaudit test package"
""")
    os.makedirs(os.path.join(folder, "x64"))
    open(os.path.join(folder, "x64", "drvaudit-display.dll"), "wb").write(b"MZ" + os.urandom(4096))
    make_catalog(os.path.join(folder, "drvaudit-display.cat"), os.path.join(folder, "drvaudit-display.inf"))


def mouse_package(folder, payload_bytes):
    """The fixture's mouse package, with a large payload so that a download can be cut halfway."""
    shutil.copytree(os.path.join(FIXTURE, "package"), folder)
    inf = os.path.join(folder, "drvaudit-hidmouse.inf")
    text = open(inf, newline="").read().replace("drvaudit-hidmouse.txt=1", "drvaudit-hidmouse.txt=1\r\ndrvaudit-payload.bin=1")
    open(inf, "w", newline="").write(text)
    with open(os.path.join(folder, "drvaudit-payload.bin"), "wb") as f:
        f.write(os.urandom(payload_bytes))
    make_catalog(os.path.join(folder, "drvaudit-hidmouse.cat"), inf)


def fixture_machine(tmp, name):
    machine = os.path.join(tmp, name)
    shutil.copytree(os.path.join(FIXTURE, "machine"), machine)
    return machine


def signed_mouse_package(tmp, name):
    """A copy of the fixture's mouse package with its catalog, in tmp/name."""
    package = os.path.join(tmp, name)
    shutil.copytree(os.path.join(FIXTURE, "package"), package)
    make_catalog(os.path.join(package, "drvaudit-hidmouse.cat"), os.path.join(package, "drvaudit-hidmouse.inf"))
    return package


def local_updates(tmp):
    state = os.path.join(tmp, "state-local")
    package = signed_mouse_package(tmp, "local-package")
    check(run(state, "catalog", "index", package).returncode == 0, "index the package folder")
    machine = fixture_machine(tmp, "machine")
    snapshot = os.path.join(machine, "snapshot.json")
    before = open(snapshot, "rb").read()
    check(verdict(state, machine, MOUSE) == "update_available", "audit: update available for the mouse")

    linux = run(state, "update", "--all", "--yes")
    check(linux.returncode == 3 and "come with the kernel" in linux.stderr, "update of this Linux machine: exit 3, says why")
    dry = run(state, "update", "--root", machine, "--all", "--dry-run", "--allow-unsigned")
    check(dry.returncode == 0 and "install drvaudit-hidmouse.inf" in dry.stdout and "Restore point" in dry.stdout.replace("restore point", "Restore point"),
          "dry run prints the steps")
    unproven_dry = run(state, "update", "--root", machine, "--all", "--dry-run")
    check(unproven_dry.returncode == 1 and "--allow-unsigned" in unproven_dry.stdout,
          "the dry run refuses an unproven signature as the run does: exit %d" % unproven_dry.returncode)
    check(open(snapshot, "rb").read() == before and stores(machine) == [], "the dry run changed nothing")
    asked = run(state, "update", "--root", machine, "--all", "--allow-unsigned")
    check(asked.returncode == 2 and "--yes" in asked.stderr, "without a terminal and --yes: usage error that names --yes")
    check(asked.stderr.find("install drvaudit-hidmouse.inf") != -1 and
          asked.stderr.find("install drvaudit-hidmouse.inf") < asked.stderr.find("--yes"),
          "the plan comes before the question")
    unproven = run(state, "update", "--root", machine, "--all", "--yes")
    check(unproven.returncode == 1 and "--allow-unsigned" in unproven.stdout, "a signer no one checked is not proof: exit 1")
    check(open(snapshot, "rb").read() == before, "the refused package changed nothing")

    done = run(state, "update", "--root", machine, "--all", "--yes", "--allow-unsigned", "--json")
    check(done.returncode == 0, "update: exit %d %s" % (done.returncode, done.stderr[-300:]))
    op = json.loads(done.stdout)["operation"]
    check([s["state"] for s in op["steps"]] == ["done", "done", "done"], "restore point, install, end: all done")
    check(driver_of(machine, MOUSE)["inf"] == "oem0.inf" and stores(machine) == ["oem0.inf"], "the machine's mouse uses oem0.inf")
    check(verdict(state, machine, MOUSE) == "up_to_date", "audit after the update: up to date")
    points = json.load(open(os.path.join(machine, "restore-points.json")))["points"]
    check([p["state"] for p in points] == ["ended"], "the restore point was ended")
    again = run(state, "update", "--root", machine, "--all", "--yes", "--allow-unsigned")
    check(again.returncode == 0 and "nothing to update" in again.stdout, "a second update has nothing to do")

    back = run(state, "rollback", "--last", "--yes", "--root", machine)
    check(back.returncode == 0, "rollback --last: exit %d %s" % (back.returncode, back.stderr[-300:]))
    check(driver_of(machine, MOUSE)["inf"] == "input.inf" and stores(machine) == [], "input.inf is back and oem0.inf is gone")
    journal = json.loads(run(state, "journal", "--json").stdout)["operations"]
    check(journal[0]["state"] == "rolled_back", "journal: the operation is rolled back")

    # System Restore off: nothing changes, exit 3, and the message names --no-restore-point.
    off = fixture_machine(tmp, "machine-no-restore")
    open(os.path.join(off, "restore-points.json"), "w").write('{"next": 1, "points": [], "disabled": true}')
    off_before = open(os.path.join(off, "snapshot.json"), "rb").read()
    refused = run(state, "update", "--root", off, "--all", "--yes", "--allow-unsigned")
    check(refused.returncode == 3 and "--no-restore-point" in refused.stderr, "System Restore off: exit 3 naming --no-restore-point")
    check(open(os.path.join(off, "snapshot.json"), "rb").read() == off_before, "System Restore off: nothing changed")
    check(not os.path.exists(os.path.join(off, "registry.json")) or json.load(open(os.path.join(off, "registry.json"))) == {},
          "System Restore off: the frequency value is as before")

    # One system-changing drvaudit at a time.
    import fcntl
    lock = open(os.path.join(state, "updater.lock"), "a+")
    fcntl.flock(lock, fcntl.LOCK_EX)
    lock.seek(0)
    lock.truncate()
    lock.write("%d\n" % os.getpid())
    lock.flush()
    busy = run(state, "update", "--root", machine, "--all", "--yes", "--allow-unsigned")
    check(busy.returncode == 5 and str(os.getpid()) in busy.stderr, "a held lock: exit 5 with the holder's pid")
    fcntl.flock(lock, fcntl.LOCK_UN)
    lock.close()
    return state, package


def hostile_package(tmp):
    """A package folder (a USB stick, a driver pack) whose SourceDisksFiles climbs out (issue 24): the
    old code copied INF_DIR/entry to files.partial/entry before any check, so the attacker's bytes
    landed wherever the entry climbed to (a root cron file). Both paths below climb to tmp/victim.txt."""
    state = os.path.join(tmp, "s")  # its package cache's files.partial is 4 folders below tmp
    usb = os.path.join(tmp, "usb", "a", "b", "c", "d")  # 4 folders below tmp/usb, where the attacker's file is
    shutil.copytree(os.path.join(FIXTURE, "package"), usb)
    victim = os.path.join(tmp, "victim.txt")
    open(victim, "w").write("root's cron file\n")
    open(os.path.join(tmp, "usb", "victim.txt"), "w").write("* * * * * root touch /tmp/owned\n")
    inf = os.path.join(usb, "drvaudit-hidmouse.inf")
    text = open(inf, newline="").read().replace("drvaudit-hidmouse.txt=1",
                                                 "drvaudit-hidmouse.txt=1\r\n..\\..\\..\\..\\victim.txt=1")
    open(inf, "w", newline="").write(text)
    make_catalog(os.path.join(usb, "drvaudit-hidmouse.cat"), inf)
    check(run(state, "catalog", "index", usb).returncode == 0, "hostile package: indexed")
    machine = fixture_machine(tmp, "hostile-machine")
    before = open(os.path.join(machine, "snapshot.json"), "rb").read()
    for label, args in (("update --root", ["update", "--root", machine, "--all", "--yes", "--allow-unsigned"]),
                        ("update --stage-dir", ["--snapshot", os.path.join(machine, "snapshot.json"), "update", "--all",
                                                "--stage-dir", os.path.join(tmp, "hostile-stage")]),
                        ("update --dry-run", ["update", "--root", machine, "--all", "--dry-run"])):
        p = run(state, *args)
        said = p.stdout + p.stderr
        check(open(victim).read() == "root's cron file\n", f"hostile package, {label}: the file it climbs to is untouched")
        check(not os.path.exists("/tmp/owned"), f"hostile package, {label}: nothing ran")
        if label != "update --dry-run":
            check(p.returncode == 1 and "climbs out" in said, f"hostile package, {label}: refused saying why (exit {p.returncode}: {said[-300:]})")
    check(open(os.path.join(machine, "snapshot.json"), "rb").read() == before, "hostile package: the machine is unchanged")
    check(not os.path.exists(os.path.join(tmp, "hostile-stage", "manifest.json")), "hostile package: nothing was staged")
    # A journal that is a dangling link is an error naming it, never "drvaudit has changed nothing".
    journal = os.path.join(state, "journal.db")
    if os.path.exists(journal):
        os.remove(journal)
    os.symlink(os.path.join(tmp, "nowhere.db"), journal)
    listed = run(state, "journal")
    check(listed.returncode == 1 and "journal.db" in listed.stderr and "changed nothing" not in listed.stdout,
          "a dangling journal link is an error: exit %d %r" % (listed.returncode, (listed.stdout + listed.stderr)[-200:]))
    os.remove(journal)


def missing_driver_rollback(tmp):
    """Issue 25: an update of a device that had no driver and of one whose old INF is gone, then
    rollback: the device goes back to no driver (and its Code 28), an undo that fails leaves the
    others undone and says "partly rolled back", and rollback again finishes the job."""
    state = os.path.join(tmp, "state-missing")
    mouse = signed_mouse_package(tmp, "missing-mouse-package")
    display_package(os.path.join(tmp, "missing-display-package"))
    for folder in (mouse, os.path.join(tmp, "missing-display-package")):
        check(run(state, "catalog", "index", folder).returncode == 0, "index %s" % os.path.basename(folder))
    machine = fixture_machine(tmp, "missing-machine")
    display_inf = open(os.path.join(machine, "inf", "display.inf"), "rb").read()
    os.remove(os.path.join(machine, "inf", "display.inf"))  # gone, as a cleaned-up INF folder may have it
    snap_file = os.path.join(machine, "snapshot.json")
    snap = json.load(open(snap_file))
    for d in snap["devices"]:
        if d["instance_id"] == MOUSE:
            d["driver"] = None
            d["problem_code"] = 28
    json.dump(snap, open(snap_file, "w"), indent=1)
    before = open(snap_file, "rb").read()
    check(verdict(state, machine, MOUSE) == "missing_driver", "the mouse has no driver: missing_driver")
    # display.inf, the display's driver now, is not in the machine's INF folder: its install cannot be undone.
    refused = run(state, "update", "--root", machine, "--all", "--yes", "--allow-unsigned")
    check(refused.returncode == 2 and "cannot be undone" in refused.stderr and "--allow-irreversible" in refused.stderr,
          "a step that cannot be undone is refused without --allow-irreversible: exit %d %r" % (refused.returncode, refused.stderr[-300:]))
    dry = run(state, "update", "--root", machine, "--all", "--dry-run", "--allow-unsigned")
    check(dry.returncode == 2 and "cannot be undone" in dry.stderr, "the dry run refuses it the same way")
    check(open(snap_file, "rb").read() == before, "nothing was changed")
    done = run(state, "update", "--root", machine, "--all", "--yes", "--allow-unsigned", "--allow-irreversible")
    check(done.returncode == 0, "update with --allow-irreversible: exit %d %r" % (done.returncode, done.stderr[-300:]))
    check(driver_of(machine, MOUSE) and driver_of(machine, MOUSE)["inf"].startswith("oem"), "the mouse got a driver")
    check(driver_of(machine, DISPLAY)["inf"].startswith("oem"), "the display got the new driver")
    back = run(state, "rollback", "--last", "--yes", "--root", machine)
    mouse_now = [d for d in json.load(open(snap_file))["devices"] if d["instance_id"] == MOUSE][0]
    check(back.returncode == 1 and "partly rolled back" in back.stdout + back.stderr,
          "the display's undo fails (display.inf is gone): partly rolled back, exit %d %r" % (back.returncode, (back.stdout + back.stderr)[-400:]))
    check(mouse_now.get("driver") is None and mouse_now.get("problem_code") == 28,
          "the mouse is back to no driver and Code 28 all the same: %r" % mouse_now.get("driver"))
    check(driver_of(machine, DISPLAY)["inf"].startswith("oem"), "the display is still on the new driver, as the journal says")
    last = json.loads(run(state, "journal", "--json").stdout)["operations"][0]
    journal = json.loads(run(state, "journal", "show", str(last["id"]), "--json").stdout)["operation"]
    states = {s["kind"] + ":" + s["description"].split(" on ")[-1][:40]: s["state"] for s in journal["steps"]}
    check(journal["state"] == "rollback_failed" and "partly rolled back" in journal["message"]
          and sorted(states.values()) == ["done", "done", "undone", "undone"],
          "the journal says which steps are still in effect (the display and the restore point kept): %r" % states)
    # The cause fixed (display.inf back in the INF folder), rollback again finishes the job.
    open(os.path.join(machine, "inf", "display.inf"), "wb").write(display_inf)
    again = run(state, "rollback", "--last", "--yes", "--root", machine)
    check(again.returncode == 0, "rollback again: exit %d %r" % (again.returncode, (again.stdout + again.stderr)[-300:]))
    check(driver_of(machine, DISPLAY)["inf"] == "display.inf", "the display is back on display.inf")
    mouse_now = [d for d in json.load(open(snap_file))["devices"] if d["instance_id"] == MOUSE][0]
    check(mouse_now.get("driver") is None, "the mouse still has no driver")
    check(json.loads(run(state, "journal", "--json").stdout)["operations"][0]["state"] == "rolled_back", "rolled back")
    check(stores(machine) == [], "the added INFs left the machine's store")


def older_rollback_refused(tmp):
    """Issue 25: rolling back an older operation while a newer one changed the same device is refused
    (the device would silently go back under the newer one, which still says done)."""
    state = os.path.join(tmp, "state-older")
    v1 = signed_mouse_package(tmp, "older-v1")
    machine = fixture_machine(tmp, "older-machine")
    check(run(state, "catalog", "index", v1).returncode == 0, "index v1")
    first = run(state, "update", "--root", machine, "--all", "--yes", "--allow-unsigned", "--json")
    check(first.returncode == 0, "the first update: exit %d" % first.returncode)
    op1 = json.loads(first.stdout)["operation"]["id"]
    v2 = os.path.join(tmp, "older-v2")
    shutil.copytree(v1, v2)
    inf = os.path.join(v2, "drvaudit-hidmouse.inf")
    text = open(inf, newline="").read().replace("DriverVer=11/20/2026,10.1.0.7", "DriverVer=11/30/2026,10.1.0.8")
    open(inf, "w", newline="").write(text)
    make_catalog(os.path.join(v2, "drvaudit-hidmouse.cat"), inf)
    check(run(state, "catalog", "index", v2).returncode == 0, "index v2")
    second = run(state, "update", "--root", machine, "--all", "--yes", "--allow-unsigned", "--json")
    check(second.returncode == 0, "the second update: exit %d %r" % (second.returncode, second.stderr[-300:]))
    op2 = json.loads(second.stdout)["operation"]["id"] if second.stdout else 0
    on_v2 = driver_of(machine, MOUSE)
    refused = run(state, "rollback", str(op1), "--yes", "--root", machine)
    check(refused.returncode == 2 and ("operation %d" % op2) in refused.stderr and "roll those back first" in refused.stderr,
          "rollback of the older operation is refused, naming the newer one: exit %d %r" % (refused.returncode, refused.stderr[-300:]))
    check(driver_of(machine, MOUSE) == on_v2, "the refusal changed nothing")
    check(run(state, "rollback", str(op1), "--dry-run", "--root", machine).returncode == 2, "the dry run refuses it too")
    check(run(state, "rollback", "--last", "--yes", "--root", machine).returncode == 0, "rollback of the newer one")
    check(run(state, "rollback", str(op1), "--yes", "--root", machine).returncode == 0, "then the older one")
    check(driver_of(machine, MOUSE)["inf"] == "input.inf" and stores(machine) == [], "input.inf is back, the store is clean")
    # The INF an install added is journaled at install time: a rollback after the package (its
    # folder and the cache) is gone still removes it from the store.
    again = run(state, "update", "--root", machine, "--all", "--yes", "--allow-unsigned")
    check(again.returncode == 0 and stores(machine) == ["oem0.inf"], "installed again: %r" % stores(machine))
    shutil.rmtree(os.path.join(state, "packages"))
    shutil.rmtree(v2)
    back = run(state, "rollback", "--last", "--yes", "--root", machine)
    check(back.returncode == 0 and stores(machine) == [] and "package is gone" not in back.stdout + back.stderr,
          "with the package gone, rollback still removes the INF it added: %r %r" % (stores(machine), back.stdout[-300:]))


def prompt_after_plan(tmp):
    """Issue 25: on a terminal (tmux), the plan is shown first, then the question; answering no
    changes nothing and exits 6 (declined), not the general error 1."""
    state = os.path.join(tmp, "state-prompt")
    package = signed_mouse_package(tmp, "prompt-package")
    check(run(state, "catalog", "index", package).returncode == 0, "prompt: indexed")
    machine = fixture_machine(tmp, "prompt-machine")
    before = open(os.path.join(machine, "snapshot.json"), "rb").read()
    done_file = os.path.join(tmp, "prompt-exit")
    sock = ["tmux", "-L", "drvaudit-prompt-%d" % os.getpid(), "-f", "/dev/null"]
    command = "%s --state-dir %s update --root %s --all --allow-unsigned; echo $? > %s" % (
        DRVAUDIT, state, machine, done_file)
    subprocess.run(sock + ["new-session", "-d", "-x", "200", "-y", "50", "env -i PATH=/usr/bin:/bin TERM=xterm NO_COLOR=1 bash --norc"],
                   check=True)
    try:
        subprocess.run(sock + ["send-keys", command, "Enter"], check=True)
        screen = ""
        deadline = time.time() + 60
        while time.time() < deadline and "[y/N]" not in screen:
            time.sleep(0.2)
            screen = subprocess.run(sock + ["capture-pane", "-p", "-S", "-50"], capture_output=True, text=True).stdout
        at_question = screen.find("[y/N]")
        check(at_question != -1 and -1 < screen.find("install drvaudit-hidmouse.inf") < at_question
              and -1 < screen.find("HID-compliant mouse") < at_question,
              "on a terminal the plan (device, package, steps) comes before the question: %r" % screen[-800:])
        subprocess.run(sock + ["send-keys", "n", "Enter"], check=True)
        deadline = time.time() + 30
        while time.time() < deadline and not os.path.exists(done_file):
            time.sleep(0.1)
        code = open(done_file).read().strip() if os.path.exists(done_file) else "none"
        check(code == "6", "answering no exits 6 (declined): %s" % code)
        check(open(os.path.join(machine, "snapshot.json"), "rb").read() == before, "answering no changed nothing")
    finally:
        subprocess.run(sock + ["kill-server"], capture_output=True)


def dry_run_agrees(tmp):
    """Issue 25: the dry run is the run minus the changes. For each cause of refusal, the dry run and
    the run refuse the same packages with the same words and exit code, and the run changes nothing."""
    def case(label, change, *extra):
        state = os.path.join(tmp, "state-agree-" + label)
        package = signed_mouse_package(tmp, "agree-" + label)
        check(run(state, "catalog", "index", package).returncode == 0, "%s: indexed" % label)
        machine = fixture_machine(tmp, "agree-machine-" + label)
        change(package)
        before = open(os.path.join(machine, "snapshot.json"), "rb").read()
        dry = run(state, "update", "--root", machine, "--all", "--dry-run", "--json", *extra)
        real = run(state, "update", "--root", machine, "--all", "--yes", "--json", *extra)
        d = json.loads(dry.stdout) if dry.stdout.strip() else {}
        r = json.loads(real.stdout) if real.stdout.strip() else {}
        check(dry.returncode == real.returncode == 1 and d.get("refused") and d.get("refused") == r.get("refused"),
              "%s: the dry run refuses as the run does (exit %d / %d): %r vs %r"
              % (label, dry.returncode, real.returncode, d.get("refused"), r.get("refused")))
        check(open(os.path.join(machine, "snapshot.json"), "rb").read() == before, "%s: nothing was changed" % label)

    def edit(find, replace):
        def change(package):
            inf = os.path.join(package, "drvaudit-hidmouse.inf")
            text = open(inf, newline="").read()
            check(find in text, "the fixture INF has %r" % find)
            open(inf, "w", newline="").write(text.replace(find, replace))
        return change

    case("signature", lambda p: None)
    case("missing-folder", lambda p: shutil.rmtree(p), "--allow-unsigned")
    case("changed-file", edit("[Version]", "; changed after it was indexed\r\n[Version]"))
    case("driverver", edit("DriverVer=11/20/2026,10.1.0.7", "DriverVer=11/20/2026,10.1.0.6"), "--allow-unsigned")
    case("no-models-line", edit("HID\\VID_845E&PID_0001", "HID\\VID_0000&PID_0000"), "--allow-unsigned")
    case("missing-file", lambda p: os.remove(os.path.join(p, "drvaudit-hidmouse.txt")), "--allow-unsigned")


def journaled_kill_trials(tmp, state_template):
    """kill -9 at random moments of `update`; then rollback --last or update --resume, alternately."""
    template = fixture_machine(tmp, "kill-template")
    original = open(os.path.join(template, "snapshot.json"), "rb").read()
    state = os.path.join(tmp, "state-kill")
    shutil.copytree(state_template, state)
    for name in ("journal.db", "journal.db-wal", "journal.db-shm"):
        if os.path.exists(os.path.join(state, name)):
            os.remove(os.path.join(state, name))
    args = ["update", "--all", "--yes", "--allow-unsigned"]
    start = time.time()
    timing = fixture_machine(tmp, "kill-timing")
    run(state, *args, "--root", timing)
    run(state, "rollback", "--last", "--yes", "--root", timing)
    span = time.time() - start
    rng = random.Random(2026)
    interrupted = resumed = rolled = 0
    bad = []
    for trial in range(100):
        machine = os.path.join(tmp, "kill-%d" % trial)
        shutil.copytree(template, machine)
        p = subprocess.Popen([DRVAUDIT, "--state-dir", state, *args, "--root", machine], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        if trial % 2:
            time.sleep(rng.uniform(0, span / 2))
        else:
            # Kill as soon as the journal says a step has started: between a change and its result.
            journal_db = os.path.join(state, "journal.db")
            deadline = time.time() + 10
            while time.time() < deadline and p.poll() is None:
                try:
                    with sqlite3.connect("file:%s?mode=ro" % journal_db, uri=True, timeout=0.05) as db:
                        if db.execute("SELECT count(*) FROM operations WHERE state = 'running'").fetchone()[0]:
                            break
                except sqlite3.Error:
                    pass
            time.sleep(rng.uniform(0, 0.003))
        p.kill()
        p.wait()
        listed = run(state, "journal", "--json")
        if listed.returncode != 0:
            bad.append("trial %d: journal unreadable: %s" % (trial, listed.stderr))
            continue
        ops = json.loads(listed.stdout)["operations"]
        unfinished = bool(ops) and ops[0]["state"] in ("running", "rolling_back")
        if unfinished:
            interrupted += 1
            busy = run(state, *args, "--root", machine)
            if busy.returncode != 5 or "rollback --last" not in busy.stderr:
                bad.append("trial %d: update did not refuse new work (exit %d)" % (trial, busy.returncode))
        if unfinished and trial % 2 == 0 and ops[0]["state"] == "running":
            r = run(state, "update", "--resume", "--root", machine)
            resumed += 1
            ok = r.returncode == 0 and driver_of(machine, MOUSE)["inf"] == "oem0.inf" and stores(machine) == ["oem0.inf"]
            points = json.load(open(os.path.join(machine, "restore-points.json")))["points"]
            ok = ok and points[-1]["state"] == "ended"
            if not ok:
                bad.append("trial %d: --resume did not reach the new state (exit %d, %r)" % (trial, r.returncode, r.stderr[-200:]))
            run(state, "rollback", "--last", "--yes", "--root", machine)
        else:
            r = run(state, "rollback", "--last", "--yes", "--root", machine)
            rolled += 1
            if open(os.path.join(machine, "snapshot.json"), "rb").read() != original and not (
                    driver_of(machine, MOUSE)["inf"] == "input.inf" and stores(machine) == []):
                bad.append("trial %d: rollback did not reach the old state (exit %d, %r)" % (trial, r.returncode, r.stderr[-200:]))
        if driver_of(machine, MOUSE)["inf"] != "input.inf" or stores(machine):
            bad.append("trial %d: not clean at the end" % trial)
        if os.path.exists(os.path.join(machine, "registry.json")) and json.load(open(os.path.join(machine, "registry.json"))):
            bad.append("trial %d: the frequency value was left changed" % trial)
        shutil.rmtree(machine)
    for b in bad[:10]:
        print("   ", b)
    check(not bad, "100 kill -9 trials of a journaled run: %d interrupted mid-operation, %d resumed, %d rolled back; %d bad"
          % (interrupted, resumed, rolled, len(bad)))
    check(interrupted >= 25, "at least 25 trials were killed mid-operation (%d)" % interrupted)


def staging(tmp):
    pki = loopback_https.make_pki(tmp)
    www = os.path.join(tmp, "www")
    source = os.path.join(tmp, "feed-source")
    os.makedirs(source)
    payload = 6 << 20
    mouse_package(os.path.join(source, "mouse"), payload)
    display_package(os.path.join(source, "display"))
    state = os.path.join(tmp, "state-stage")
    feed = os.path.join(www, "feed.json")
    check(run(state, "catalog", "export", source, "-o", feed).returncode == 0, "catalog export")
    doc = json.load(open(feed))
    # The display package as a CAB (gcab), as vendors ship them.
    disp = [p for p in doc["packages"] if p["inf"] == "drvaudit-display.inf"][0]
    cab = os.path.join(www, "packages", "drvaudit-display.cab")
    subprocess.run(["gcab", "-c", cab, "drvaudit-display.inf", "drvaudit-display.cat", "x64/drvaudit-display.dll"],
                   cwd=os.path.join(source, "display"), check=True, capture_output=True)
    disp["download"] = {"url": "packages/drvaudit-display.cab", "size": os.path.getsize(cab), "sha256": sha256(cab), "format": "cab"}
    json.dump(doc, open(feed, "w"), indent=1)
    pub, key = os.path.join(tmp, "feed.pub"), os.path.join(tmp, "feed.key")
    subprocess.run(["minisign", "-G", "-W", "-p", pub, "-s", key], check=True, capture_output=True)

    def sign():
        subprocess.run(["minisign", "-S", "-s", key, "-m", feed], check=True, capture_output=True)

    sign()
    logs = os.path.join(tmp, "nginx")
    os.makedirs(logs)
    nginx = loopback_https.Nginx(logs, www, pki, extra="limit_rate 3m;")
    try:
        url = nginx.url("feed.json")
        check(run(state, "catalog", "add-source", url, "--pubkey", pub, "--ca-file", pki["ca.pem"]).returncode == 0, "add-source")
        check(run(state, "catalog", "sync").returncode == 0, "catalog sync")
        machine = fixture_machine(tmp, "stage-machine")
        snapshot = os.path.join(machine, "snapshot.json")
        stage = os.path.join(tmp, "stage")
        mouse_zip = [p for p in doc["packages"] if p["inf"] == "drvaudit-hidmouse.inf"][0]["download"]
        part = os.path.join(state, "packages", mouse_zip["sha256"], "package.zip.part")

        # Cut the download halfway (kill -9), then run again: it resumes with Range.
        zip_name = mouse_zip["url"].split("/")[-1]
        logged = lambda: sum(1 for l in open(nginx.bytes_log).read().splitlines() if zip_name in l)
        before_cut = logged()
        p = subprocess.Popen([DRVAUDIT, "--state-dir", state, "--snapshot", snapshot, "update", "--all", "--stage-dir", stage],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while time.time() < deadline and (not os.path.exists(part) or os.path.getsize(part) < mouse_zip["size"] // 3):
            time.sleep(0.02)
        p.kill()
        p.wait()
        had = os.path.getsize(part) if os.path.exists(part) else 0
        check(0 < had < mouse_zip["size"], "the cut left a partial download (%d of %d bytes)" % (had, mouse_zip["size"]))
        check(not os.path.exists(os.path.join(stage, "manifest.json")), "a cut staging run leaves no manifest")
        # nginx logs the cut request when it notices the closed connection, which on a busy machine can
        # come after this point: wait for that line before marking where the resumed run starts.
        deadline = time.time() + 30
        while time.time() < deadline and logged() == before_cut:
            time.sleep(0.05)
        open(nginx.bytes_log, "a").write("--- resume\n")
        staged = run(state, "--snapshot", snapshot, "update", "--all", "--stage-dir", stage, "--json")
        check(staged.returncode == 0, "staging: exit %d %s" % (staged.returncode, staged.stderr[-300:]))
        log = open(nginx.bytes_log).read().split("--- resume\n")[1]
        resumed = [l.split() for l in log.splitlines() if zip_name in l]
        etag = [l.split()[5] for l in open(nginx.bytes_log).read().split("--- resume\n")[0].splitlines()
                if zip_name in l and len(l.split()) > 5]
        check(len(resumed) == 1 and len(resumed[0]) > 5 and resumed[0][5] != "-" and resumed[0][5].strip('"') != "",
              "the resumed request sent If-Range with the validator of the cut response: %r" % resumed)
        check(len(resumed) == 1 and resumed[0][2] == "206" and int(resumed[0][3]) == mouse_zip["size"] - had
              and resumed[0][4] == "bytes=%d-" % had,
              "the resumed download asked for bytes=%d- and received only the missing %d bytes: %r"
              % (had, mouse_zip["size"] - had, resumed))
        manifest = json.load(open(os.path.join(stage, "manifest.json")))
        check(sorted(p["instance_id"] for p in manifest["packages"]) == sorted([MOUSE, DISPLAY]), "the manifest has both packages")
        good = all(sha256(os.path.join(stage, p["folder"], f["path"])) == f["sha256"] for p in manifest["packages"] for f in p["files"])
        check(good, "every staged file has the manifest's SHA-256")
        files = {f["path"] for p in manifest["packages"] for f in p["files"]}
        check({"drvaudit-payload.bin", "x64/drvaudit-display.dll", "drvaudit-display.cat"} <= files,
              "the CAB's subfolder and the payload are staged: %r" % sorted(files))
        cached = run(state, "--snapshot", snapshot, "update", "--all", "--stage-dir", os.path.join(tmp, "stage-again"))
        check(cached.returncode == 0, "staging again")
        check(len([l for l in open(nginx.bytes_log).read().split("--- resume\n")[1].splitlines() if zip_name in l]) == 1,
              "a cached, verified package is not downloaded again")

        # --from-stage on the (recorded) Windows machine, with one byte changed in one package.
        tampered = os.path.join(tmp, "stage-tampered")
        shutil.copytree(stage, tampered)
        mouse_entry = [p for p in manifest["packages"] if p["instance_id"] == MOUSE][0]
        victim = os.path.join(tampered, mouse_entry["folder"], "drvaudit-payload.bin")
        data = bytearray(open(victim, "rb").read())
        data[len(data) // 2] ^= 1
        open(victim, "wb").write(data)
        target = fixture_machine(tmp, "offline-pc")
        installed = run(state, "update", "--root", target, "--from-stage", tampered, "--yes", "--allow-unsigned", "--json")
        report = json.loads(installed.stdout) if installed.stdout else {}
        check(installed.returncode == 1, "--from-stage with a changed byte: exit %d (1 expected)" % installed.returncode)
        check([r["instance_id"] for r in report.get("refused", [])] == [MOUSE] and "differs from the manifest" in
              report.get("refused", [{}])[0].get("why", ""), "the changed package is refused: %r" % report.get("refused"))
        check(driver_of(target, MOUSE)["inf"] == "input.inf", "the refused package was not installed")
        check(driver_of(target, DISPLAY)["inf"].startswith("oem"), "the intact package was installed")
        ok = run(state, "update", "--root", fixture_machine(tmp, "offline-pc-2"), "--from-stage", stage, "--yes",
                 "--allow-unsigned", "--json")
        check(ok.returncode == 0, "--from-stage of the intact stage folder: exit %d" % ok.returncode)
        import sqlite3
        db = sqlite3.connect(os.path.join(state, "journal.db"))
        last = db.execute("SELECT max(id) FROM operations").fetchone()[0]
        infs = [json.loads(p)["inf"] for (p,) in db.execute(
            "SELECT params FROM steps WHERE operation_id = ? AND kind = 'install-driver'", (last,))]
        db.close()
        check(infs and all(os.path.realpath(i).startswith(os.path.realpath(os.path.join(state, "packages")) + os.sep)
                               for i in infs),
              "--from-stage installs from the private package cache, never from the stage folder: %r" % infs)

        # A feed whose SHA-256 is wrong: refused, and no cache entry is left behind.
        bad_state = os.path.join(tmp, "state-bad")
        shutil.copytree(state, bad_state, ignore=shutil.ignore_patterns("packages"))
        doc2 = json.load(open(feed))
        m = [p for p in doc2["packages"] if p["inf"] == "drvaudit-hidmouse.inf"][0]
        m["download"]["sha256"] = "0" * 64
        json.dump(doc2, open(feed, "w"), indent=1)
        sign()
        run(bad_state, "catalog", "sync")
        dry_refused = run(bad_state, "--snapshot", snapshot, "update", "--all", "--stage-dir", os.path.join(tmp, "stage-bad"),
                          "--dry-run")
        check(dry_refused.returncode == 1 and "SHA-256" in dry_refused.stderr + dry_refused.stdout
              and not os.path.exists(os.path.join(tmp, "stage-bad", "manifest.json")),
              "the dry run refuses a download mismatch as the run does, and stages nothing")
        refused = run(bad_state, "--snapshot", snapshot, "update", "--all", "--stage-dir", os.path.join(tmp, "stage-bad"))
        check(refused.returncode == 1 and "SHA-256" in refused.stderr + refused.stdout, "a wrong SHA-256 is refused")
        only = run(bad_state, "--snapshot", snapshot, "update", MOUSE, "--stage-dir", os.path.join(tmp, "stage-bad-only"))
        check(only.returncode == 1 and "cannot write" not in only.stderr and "every package was refused" in only.stderr
              and "SHA-256" in only.stderr,
              "every package refused: the message says so and why, not 'cannot write manifest.json': %r" % only.stderr[-300:])
        check(not os.path.exists(os.path.join(bad_state, "packages", "0" * 64, "package.zip")) and
              not os.path.exists(os.path.join(bad_state, "packages", "0" * 64, "package.zip.part")),
              "a refused download leaves no cache entry")

        # A feed whose size is wrong (the right SHA-256): the download is cut off at the feed's size.
        size_state = os.path.join(tmp, "state-size")
        shutil.copytree(state, size_state, ignore=shutil.ignore_patterns("packages"))
        m["download"]["sha256"] = mouse_zip["sha256"]
        m["download"]["size"] = mouse_zip["size"] - 100
        json.dump(doc2, open(feed, "w"), indent=1)
        sign()
        run(size_state, "catalog", "sync")
        short = run(size_state, "--snapshot", snapshot, "update", "--all", "--stage-dir", os.path.join(tmp, "stage-size"))
        said = short.stderr + short.stdout
        check(short.returncode == 1 and ("more than the feed's" in said or "larger than the %d-byte limit" % (mouse_zip["size"] - 99) in said),
              "a wrong size is refused: exit %d %r" % (short.returncode, said[-300:]))
        check(not any(f.startswith("package.zip") for f in os.listdir(os.path.join(size_state, "packages", mouse_zip["sha256"]))),
              "a download of the wrong size leaves no cache entry")

        # A zip-slip package with the right size and SHA-256: refused, nothing outside the cache.
        evil = os.path.join(www, "packages", "evil.zip")
        with zipfile.ZipFile(evil, "w") as z:
            z.writestr("drvaudit-hidmouse.inf", open(os.path.join(source, "mouse", "drvaudit-hidmouse.inf"), "rb").read())
            z.writestr("../../../../drvaudit-zip-slip.txt", b"outside")
        m["download"] = {"url": "packages/evil.zip", "size": os.path.getsize(evil), "sha256": sha256(evil), "format": "zip"}
        json.dump(doc2, open(feed, "w"), indent=1)
        sign()
        run(bad_state, "catalog", "sync")
        dry_slip = run(bad_state, "--snapshot", snapshot, "update", "--all", "--stage-dir", os.path.join(tmp, "stage-evil"),
                       "--dry-run")
        check(dry_slip.returncode == 1 and "climbs out" in dry_slip.stderr + dry_slip.stdout,
              "the dry run refuses the archive as the run does")
        slip = run(bad_state, "--snapshot", snapshot, "update", "--all", "--stage-dir", os.path.join(tmp, "stage-evil"))
        check(slip.returncode == 1 and "climbs out" in slip.stderr + slip.stdout, "a zip-slip archive is refused")
        leaked = [os.path.join(r, f) for r, _, fs in os.walk(tmp) for f in fs if f == "drvaudit-zip-slip.txt"]
        check(not leaked and not os.path.exists("/drvaudit-zip-slip.txt"), "nothing was written outside: %r" % leaked)

        # 100 kill -9 trials of staging runs (every fifth with an empty cache, so downloads are cut too).
        doc["packages"] = [p for p in doc["packages"]]
        json.dump(doc, open(feed, "w"), indent=1)
        sign()
        run(state, "catalog", "sync")
        rng = random.Random(7)
        bad = []
        complete = 0
        for trial in range(100):
            if trial % 5 == 0:
                shutil.rmtree(os.path.join(state, "packages"), ignore_errors=True)
            out = os.path.join(tmp, "stage-kill-%d" % trial)
            p = subprocess.Popen([DRVAUDIT, "--state-dir", state, "--snapshot", snapshot, "update", "--all", "--stage-dir", out],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0, 2.5 if trial % 5 == 0 else 0.3))
            p.kill()
            p.wait()
            mf = os.path.join(out, "manifest.json")
            if os.path.exists(mf):
                complete += 1
                m2 = json.load(open(mf))
                if not all(sha256(os.path.join(out, q["folder"], f["path"])) == f["sha256"] for q in m2["packages"] for f in q["files"]):
                    bad.append("trial %d: a manifest whose files do not verify" % trial)
            if trial % 10 == 9:
                again = run(state, "--snapshot", snapshot, "update", "--all", "--stage-dir", out)
                if again.returncode != 0 or not os.path.exists(mf):
                    bad.append("trial %d: staging again after the kill failed: %s" % (trial, again.stderr[-200:]))
            for sha in os.listdir(os.path.join(state, "packages")) if os.path.isdir(os.path.join(state, "packages")) else []:
                for name in ("package.zip", "package.cab"):
                    f = os.path.join(state, "packages", sha, name)
                    if os.path.exists(f) and sha256(f) != sha:
                        bad.append("trial %d: cache entry %s does not match its name" % (trial, sha))
            shutil.rmtree(out, ignore_errors=True)
        for b in bad[:10]:
            print("   ", b)
        check(not bad, "100 kill -9 trials of staging: %d completed before the kill; %d bad" % (complete, len(bad)))
    finally:
        nginx.stop()


def main():
    tmp = tempfile.mkdtemp(prefix="drvaudit-update-")
    try:
        state, _ = local_updates(tmp)
        hostile_package(tmp)
        missing_driver_rollback(tmp)
        older_rollback_refused(tmp)
        dry_run_agrees(tmp)
        prompt_after_plan(tmp)
        journaled_kill_trials(tmp, state)
        staging(tmp)
    except Exception as e:  # a crash of the harness is a failure too
        import traceback
        traceback.print_exc()
        check(False, "%s: %s" % (type(e).__name__, e))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    failed = [w for ok, w in results if not ok]
    print("%d passed, %d failed" % (len(results) - len(failed), len(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
