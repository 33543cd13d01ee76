#!/usr/bin/env python3
"""The weekly audit under Wine, in one fresh prefix, checked from the Linux side:

- `schedule install` meets Wine's Task Scheduler, whose ITriggerCollection::Create gives E_NOTIMPL
  for weekly triggers: exit 3, said in words, and no task (Wine keeps tasks as XML files under
  C:\\windows\\system32\\tasks), no task folder and no journal operation left behind; the dry run
  says the same;
- `schedule status` says nothing is registered; `schedule remove` has nothing to do;
- `schedule run` of the Wine machine: stored in history.db, reports written, a second run diffs
  against the first with no changes; `history list` and `export --html` work on Windows too;
- `fleet ingest` and `fleet machines` on SQLite; `--db postgresql://…` is exit 3 in this build.

usage: wine_schedule_test.py DRVAUDIT_EXE
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile


def main():
    exe = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp(prefix="drvaudit-wine-schedule-")
    prefix = os.path.join(tmp, "prefix")
    env = dict(os.environ, WINEPREFIX=prefix, WINEDEBUG="-all", WINEDLLOVERRIDES="mscoree,mshtml=", NO_COLOR="1")
    failures = []
    checks = 0

    def check(condition, what):
        nonlocal checks
        checks += 1
        print(("ok   " if condition else "FAIL ") + what)
        if not condition:
            failures.append(what)

    def drvaudit(*args):
        p = subprocess.run(["wine", exe, "--state-dir", "C:\\drvaudit-state", *args], env=env, capture_output=True,
                           timeout=300, stdin=subprocess.DEVNULL)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")

    def tasks():
        found = []
        for root, dirs, files in os.walk(os.path.join(prefix, "drive_c", "windows", "system32", "tasks")):
            found += [os.path.join(root, d) for d in dirs] + [os.path.join(root, f) for f in files]
        return sorted(found)

    try:
        subprocess.run(["wineboot", "-i"], env=env, capture_output=True, check=True, timeout=120)
        before = tasks()

        code, out, err = drvaudit("schedule", "install", "--weekly", "SUN", "03:00", "--dry-run")
        check(code == 3 and "weekly triggers" in err and "E_NOTIMPL" in err,
              "install --dry-run: exit 3, naming the missing weekly trigger (%d: %s)" % (code, err.strip()))
        code, out, err = drvaudit("schedule", "install", "--weekly", "SUN", "03:00", "--yes")
        check(code == 3, "install: exit 3 (unsupported here), got %d: %s" % (code, err.strip()))
        check("nothing was registered" in err, "install says nothing was registered: %s" % err.strip())
        check(tasks() == before, "no task or task folder was left: %r" % sorted(set(tasks()) - set(before)))
        code, out, err = drvaudit("journal", "--json")
        ops = json.loads(out)["operations"] if code == 0 else None
        check(ops == [], "no journal operation for a registration that never started: %r" % ops)

        code, out, err = drvaudit("schedule", "status", "--json")
        status = json.loads(out) if code == 0 else {}
        check(code == 0 and status.get("registered") is False and status.get("scheduler") == "Task Scheduler",
              "status: Task Scheduler, not registered (%d %s)" % (code, err.strip()))
        code, out, err = drvaudit("schedule", "remove", "--yes")
        check(code == 0 and "nothing to remove" in out, "remove: nothing to remove (%d %s)" % (code, err.strip()))

        code, out, err = drvaudit("schedule", "run", "--report-dir", "C:\\reports", "--json")
        check(code in (0, 10), "schedule run of the Wine machine: exit %d: %s" % (code, err.strip()))
        first = json.loads(out) if code in (0, 10) else {}
        reports = os.path.join(prefix, "drive_c", "reports")
        written = sorted(os.listdir(reports)) if os.path.isdir(reports) else []
        check(len(written) == 5 and all(n.startswith("drvaudit-") and "-run1" in n for n in written),
              "five reports named by machine, date and run: %r" % written)
        html = [n for n in written if n.endswith(".html")]
        if html:
            page = open(os.path.join(reports, html[0]), encoding="utf-8").read()
            check(page.count('class="device"') >= 1 and "first stored run" in page, "the HTML report lists the devices")
        code, out, err = drvaudit("schedule", "run", "--report-dir", "C:\\reports", "--json")
        second = json.loads(out) if code in (0, 10) else {}
        check(second.get("run") == 2 and second.get("changes") == 0 and second.get("regressions") == 0,
              "a second run diffs against the first with no changes: %r" % second)
        code, out, err = drvaudit("history", "list", "--json")
        runs = json.loads(out)["runs"] if code == 0 else []
        check([r["id"] for r in runs] == [2, 1] and all(r["trigger"] == "schedule" for r in runs),
              "history list: the two scheduled runs")
        code, out, err = drvaudit("history", "diff")
        check(code == 0 and "no changes" in out, "history diff: no changes (%d %s)" % (code, out.strip()))
        code, out, err = drvaudit("schedule", "status", "--json")
        last = json.loads(out)["last_run"] if code == 0 else None
        check(last and last["run"] == 2 and last["exit_code"] == second.get("exit_code"),
              "status shows the last run and its exit code: %r" % last)
        code, out, err = drvaudit("export", "--html", "C:\\audit.html")
        check(code == 0 and os.path.getsize(os.path.join(prefix, "drive_c", "audit.html")) > 1000,
              "export --html writes the report (%d %s)" % (code, err.strip()))
        # The fleet on Windows: SQLite; PostgreSQL is not in this build.
        # A share has one folder per machine, named as the machine (fleet ingest refuses a report in
        # another machine's folder): the two reports copied there, as each machine's task would write them.
        for name in [f for f in written if f.endswith(".json")] + [f for f in os.listdir(reports) if f.endswith(".json")]:
            machine = json.load(open(os.path.join(reports, name), encoding="utf-8"))["machine"]
            os.makedirs(os.path.join(prefix, "drive_c", "fleet", machine), exist_ok=True)
            shutil.copy(os.path.join(reports, name), os.path.join(prefix, "drive_c", "fleet", machine, name))
        code, out, err = drvaudit("fleet", "ingest", "C:\\fleet")
        check(code == 0 and "2 added" in out, "fleet ingest of the two reports (%d %s %s)" % (code, out.strip(), err.strip()))
        code, out, err = drvaudit("fleet", "machines", "--json")
        rows = json.loads(out)["rows"] if code == 0 else []
        check(len(rows) == 1 and rows[0]["devices"] == second.get("devices"), "fleet machines: the Wine machine (%r)" % rows)
        code, out, err = drvaudit("fleet", "machines", "--db", "postgresql://localhost/fleet")
        check(code == 3 and "unsupported in this build" in err, "fleet --db postgresql: exit 3 in this build (%d %s)" % (code, err.strip()))
    finally:
        subprocess.run(["wineserver", "-k"], env=env, capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)

    print("%d passed, %d failed" % (checks - len(failures), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
