#!/usr/bin/env python3
"""The weekly audit as IT staff use it, on Linux, with real components:

- three recorded snapshots of one machine (a driver updated and a device added, then a driver
  downgraded and a problem code appearing) through `schedule run`: the exact diff rows in table,
  JSON and CSV, exit codes 0/10, reports named by machine and date, JSON reports valid against
  data/report.schema.json, retention pruning reports with their runs;
- `schedule install/status/remove` under --root: systemd units checked by `systemd-analyze verify`
  and the calendar by `systemd-analyze calendar`, the cron file, dry run, the journal;
- the HTML report in headless Chromium: one row per device, counts equal to the JSON, sort and
  filter working, nothing fetched, hostile device names staying text.

usage: weekly_audit_test.py DRVAUDIT [--screenshot FILE]
"""
import copy
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import warnings

import jsonschema

warnings.filterwarnings("ignore", category=DeprecationWarning)  # RefResolver, kept for Debian's jsonschema 4.10

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SAMPLE = REPO / "data" / "samples" / "windows-laptop.snapshot.json"
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def run(drvaudit, state, *args, expect=None):
    env = dict(os.environ, NO_COLOR="1")
    p = subprocess.run([drvaudit, "--state-dir", str(state), *args], capture_output=True, text=True, env=env,
                       stdin=subprocess.DEVNULL, timeout=300)
    if expect is not None and p.returncode not in (expect if isinstance(expect, tuple) else (expect,)):
        print(f"  {' '.join(args)} exited {p.returncode}\n  stdout: {p.stdout[-2000:]}\n  stderr: {p.stderr[-2000:]}")
    return p


STORE = {}
for _f in (REPO / "data").glob("*.schema.json"):
    _s = json.loads(_f.read_text())
    STORE[_s["$id"]] = _s


def schema(name):
    return json.loads((REPO / "data" / name).read_text())


def validate(doc, name):
    s = schema(name)
    resolver = jsonschema.RefResolver.from_schema(s, store=STORE)
    jsonschema.Draft202012Validator(s, resolver=resolver).validate(doc)


def device(snap, prefix):
    return next(d for d in snap["devices"] if d["instance_id"].startswith(prefix))


def write_snapshots(folder):
    base = json.loads(SAMPLE.read_text())
    s1 = copy.deepcopy(base)
    s2 = copy.deepcopy(base)
    s2["machine"]["captured_at"] = "2026-11-08T03:00:00Z"
    device(s2, "PCI\\VEN_8086&DEV_A0F0")["driver"]["version"] = "22.250.0.2"
    added = copy.deepcopy(device(s2, "PCI\\VEN_8086&DEV_A0F0"))
    added.update(instance_id="USB\\VID_046D&PID_C52B\\6&1A2B3C4D&0&2", description="Logitech USB Receiver",
                 bus="USB", parent_id="USB\\ROOT_HUB30\\4&1&0", **{"class": "HIDClass"}, hardware_ids=["USB\\VID_046D&PID_C52B&REV_2411", "USB\\VID_046D&PID_C52B"],
                 compatible_ids=["USB\\Class_03&SubClass_01&Prot_01", "USB\\Class_03"])
    s2["devices"].append(added)
    s3 = copy.deepcopy(s2)
    s3["machine"]["captured_at"] = "2026-11-15T03:00:00Z"
    device(s3, "HDAUDIO\\FUNC_01&VEN_10EC")["driver"]["version"] = "6.0.9100.1"
    device(s3, "PCI\\VEN_144D&DEV_A80A")["problem_code"] = 10
    paths = []
    for i, s in enumerate((s1, s2, s3), 1):
        p = folder / f"week{i}.json"
        p.write_text(json.dumps(s, indent=1))
        paths.append(p)
    return paths


def rows_of(diff_json):
    return [(c["change"], c["instance_id"], c["regression"]) for c in diff_json["changes"]]


def history_and_diff(drvaudit, tmp):
    state = tmp / "state-history"
    reports = tmp / "reports"
    snaps = write_snapshots(tmp)
    codes = []
    for snap in snaps:
        p = run(drvaudit, state, "--snapshot", str(snap), "schedule", "run", "--report-dir", str(reports),
                "--format", "json", expect=(0, 10))
        codes.append(p.returncode)
        summary = json.loads(p.stdout)
        validate(summary, "schedule-run.schema.json")
        for f in summary["reports"]:
            check(Path(f).exists() and "THINKPAD-T14" in Path(f).name, f"report written and named by machine: {Path(f).name}")
        report = json.loads(Path(next(f for f in summary["reports"] if f.endswith(".json"))).read_text())
        validate(report, "report.schema.json")
    check(codes == [0, 0, 10], f"schedule run exits 0, 0, then 10 for the regressions (got {codes})")

    wifi = device(json.loads(snaps[1].read_text()), "PCI\\VEN_8086&DEV_A0F0")["instance_id"]
    audio = device(json.loads(snaps[2].read_text()), "HDAUDIO\\FUNC_01&VEN_10EC")["instance_id"]
    nvme = device(json.loads(snaps[2].read_text()), "PCI\\VEN_144D&DEV_A80A")["instance_id"]
    receiver = "USB\\VID_046D&PID_C52B\\6&1A2B3C4D&0&2"

    p = run(drvaudit, state, "history", "diff", "1", "2", "--json", expect=0)
    d12 = json.loads(p.stdout)
    validate(d12, "history-diff.schema.json")
    check(rows_of(d12) == [("device_added", receiver, False), ("driver_upgraded", wifi, False)],
          f"diff 1→2: the receiver added, the Wi-Fi driver upgraded (got {rows_of(d12)})")
    p = run(drvaudit, state, "history", "diff", "--json", expect=10)
    d23 = json.loads(p.stdout)
    check(rows_of(d23) == [("driver_downgraded", audio, True), ("problem_appeared", nvme, True)],
          f"diff of the last two: the audio driver downgraded, a problem on the NVMe (got {rows_of(d23)})")
    down = d23["changes"][0]
    check(down["before"] == "6.0.9225.1 (2024-03-12)" or down["before"].startswith("6.0.9225.1"),
          f"the downgrade names both versions: {down['before']} → {down['after']}")
    check(p.returncode == 10, "history diff exits 10 when the later run has a regression")

    p = run(drvaudit, state, "history", "diff", "--format", "csv", expect=10)
    table = list(csv.DictReader(io.StringIO(p.stdout)))
    check([(r["change"], r["instance_id"], r["regression"]) for r in table] ==
          [("driver_downgraded", audio, "yes"), ("problem_appeared", nvme, "yes")], "the same rows as CSV")
    p = run(drvaudit, state, "history", "diff", "--width", "200", expect=10)
    lines = [l for l in p.stdout.splitlines() if "driver downgraded" in l or "problem appeared" in l]
    check(len(lines) == 2 and "6.0.9225.1" in lines[0] and "6.0.9100.1" in lines[0] and "Code 10" in lines[1],
          "the same rows as a table, with both versions and the problem in words")
    check("2 changes, 2 regressions" in p.stdout, "the table counts changes and regressions")

    p = run(drvaudit, state, "history", "list", "--json", expect=0)
    runs = json.loads(p.stdout)
    validate(runs, "history-runs.schema.json")
    check([r["id"] for r in runs["runs"]] == [3, 2, 1] and [r["exit_code"] for r in runs["runs"]] == [10, 0, 0],
          "history list: three runs, newest first, with their exit codes")
    p = run(drvaudit, state, "history", "show", "2", "--json", expect=0)
    shown = json.loads(p.stdout)
    validate(shown, "history-run.schema.json")
    check(len(shown["devices"]) == 8, f"history show 2: 8 devices (got {len(shown['devices'])})")
    run_csv = list(csv.DictReader(io.StringIO(run(drvaudit, state, "history", "show", "2", "--format", "csv").stdout)))
    check(len(run_csv) == 8, "history show as CSV: one row per device")

    # Retention: keep 2 runs; the pruned runs' reports go with them, nothing else does.
    keepsake = reports / "not-ours.txt"
    keepsake.write_text("a file of the user's")
    before = sorted(f.name for f in reports.iterdir())
    p = run(drvaudit, state, "--snapshot", str(snaps[2]), "schedule", "run", "--report-dir", str(reports),
            "--keep", "2", expect=(0, 10))
    runs = json.loads(run(drvaudit, state, "history", "list", "--json").stdout)["runs"]
    check([r["id"] for r in runs] == [4, 3], f"--keep 2 keeps the two newest runs (got {[r['id'] for r in runs]})")
    after = sorted(f.name for f in reports.iterdir())
    week1 = [n for n in before if "20" in n and n not in after]
    check(len(week1) == 10, f"the reports of runs 1 and 2 (5 files each) were removed (removed {len(week1)})")
    check(keepsake.exists(), "a file drvaudit did not write stays")
    p = run(drvaudit, state, "history", "diff", "--json", expect=0)
    check(json.loads(p.stdout)["changes"] == [], "the same machine twice: no changes, exit 0")

    status = run(drvaudit, state, "schedule", "status", "--root", str(tmp / "no-root"), "--via", "cron", "--json")
    st = json.loads(status.stdout)
    validate(st, "schedule-status.schema.json")
    check(st["last_run"] and st["last_run"]["exit_code"] == 0 and st["last_run"]["run"] == 4,
          "schedule status shows the last run and its result")
    p = run(drvaudit, state, "history", "show", "99")
    check(p.returncode == 2 and "no stored run 99" in p.stderr, "an unknown run is a usage error that says so")


def systemd_and_cron(drvaudit, tmp):
    state = tmp / "state-schedule"
    root = tmp / "root"
    p = run(drvaudit, state, "schedule", "install", "--weekly", "SUN", "03:00", "--root", str(root), "--via", "systemd",
            "--dry-run", expect=0)
    check("dry run" in p.stdout and not root.exists(), "install --dry-run shows the plan and writes nothing")
    check("\\n" not in p.stdout and p.stdout.count("\n") >= 4 and "  1. " in p.stdout,
          "the plan is lines, never a literal \\n: %r" % p.stdout[:300])
    p = run(drvaudit, state, "schedule", "install", "--weekly", "SUN", "03:00", "--root", str(root), "--via", "systemd",
            expect=2)
    check(p.returncode == 2 and "--yes" in p.stderr and not root.exists(), "without a terminal, install asks for --yes")
    p = run(drvaudit, state, "schedule", "install", "--weekly", "sun", "3:00", "--root", str(root), "--via", "systemd",
            "--yes", "--report-dir", str(tmp / "weekly reports"), expect=0)
    units = root / "etc" / "systemd" / "system"
    service, timer = units / "drvaudit-audit.service", units / "drvaudit-audit.timer"
    check(service.exists() and timer.exists(), "the service and the timer are written under --root")
    verify = subprocess.run(["systemd-analyze", "verify", "--man=no", str(timer), str(service)], capture_output=True,
                            text=True)
    problems = [l for l in (verify.stdout + verify.stderr).splitlines() if "drvaudit-audit" in l]
    check(verify.returncode == 0 and not problems, f"systemd-analyze verify accepts the units {problems}")
    on_calendar = re.search(r"^OnCalendar=(.*)$", timer.read_text(), re.M).group(1)
    cal = subprocess.run(["systemd-analyze", "calendar", on_calendar], capture_output=True, text=True)
    check(cal.returncode == 0 and "Normalized form: Sun *-*-* 03:00:00" in cal.stdout,
          f"systemd-analyze calendar reads '{on_calendar}' as Sunday 03:00")
    exec_line = re.search(r"^ExecStart=(.*)$", service.read_text(), re.M).group(1)
    check(f'"{Path(drvaudit).resolve()}"' in exec_line and '"weekly reports"' not in exec_line
          and str(tmp / "weekly reports") in exec_line and '"schedule" "run"' in exec_line,
          "ExecStart runs this drvaudit's schedule run with the report folder as one argument")
    status = json.loads(run(drvaudit, state, "schedule", "status", "--root", str(root), "--via", "systemd", "--json").stdout)
    check(status["registered"] and status["weekly"] == {"day": "Sun", "time": "03:00"} and status["next_run"],
          f"status: registered, Sun 03:00, with the next run ({status['next_run']})")
    journal = json.loads(run(drvaudit, state, "journal", "--json").stdout)
    check(journal["operations"][0]["kind"] == "schedule-install" and journal["operations"][0]["state"] == "done",
          "the install is in the journal")
    p = run(drvaudit, state, "rollback", "--last", "--yes", expect=0)
    check(not service.exists() and not timer.exists(), "rollback --last of the install removes both units")
    p = run(drvaudit, state, "rollback", "2", "--yes")
    check(p.returncode != 0 and "no operation 2" in p.stderr, "rollback of an operation that does not exist says so")
    p = run(drvaudit, state, "schedule", "install", "--weekly", "SUN", "03:00", "--root", str(root), "--via", "systemd",
            "--yes", "--report-dir", str(tmp / "weekly reports"), expect=0)
    check(service.exists() and timer.exists(), "installed again")
    p = run(drvaudit, state, "schedule", "remove", "--root", str(root), "--via", "systemd", "--yes", expect=0)
    check(not service.exists() and not timer.exists(), "remove deletes both units")
    journal = json.loads(run(drvaudit, state, "journal", "--json").stdout)
    check([(o["kind"], o["state"]) for o in journal["operations"]][:3] ==
          [("schedule-remove", "done"), ("schedule-install", "done"), ("schedule-install", "rolled_back")],
          "the journal holds the install, its rollback and the remove")
    status = json.loads(run(drvaudit, state, "schedule", "status", "--root", str(root), "--via", "systemd", "--json").stdout)
    check(not status["registered"], "status after remove: not registered")
    p = run(drvaudit, state, "schedule", "remove", "--root", str(root), "--via", "systemd", "--yes", expect=0)
    check("nothing to remove" in p.stdout, "a second remove has nothing to do")

    # No running systemd under the root (no run/systemd/system): cron.
    p = run(drvaudit, state, "schedule", "install", "--weekly", "FRI", "18:30", "--root", str(root), "--yes", expect=0)
    cron = root / "etc" / "cron.d" / "drvaudit"
    line = [l for l in cron.read_text().splitlines() if l and not l.startswith("#") and "=" not in l.split(" ")[0]]
    check(len(line) == 1 and line[0].startswith("30 18 * * 5 root '") and "'schedule' 'run'" in line[0],
          f"without systemd: one cron.d line, Friday 18:30, as root ({line})")
    status = json.loads(run(drvaudit, state, "schedule", "status", "--root", str(root), "--json").stdout)
    check(status["registered"] and status["weekly"] == {"day": "Fri", "time": "18:30"}, "status reads the cron line back")
    (root / "run" / "systemd" / "system").mkdir(parents=True)
    status = json.loads(run(drvaudit, state, "schedule", "status", "--root", str(root), "--json").stdout)
    check(status["scheduler"].startswith("systemd") and not status["registered"],
          "with run/systemd/system under the root, systemd is the scheduler")
    run(drvaudit, state, "schedule", "remove", "--root", str(root), "--via", "cron", "--yes", expect=0)
    check(not cron.exists(), "remove --via cron deletes the cron file")
    # Injection (issue 24): a report folder with a newline would be a second cron line, a CR would end
    # the unit's ExecStart line. Refused for both, with nothing written.
    for via, bad in (("cron", "/x\n* * * * * root touch /tmp/P #"), ("systemd", "/x\rExecStartPre=/bin/touch /tmp/P"),
                     ("cron", "/x\ty")):
        planted = tmp / f"root-{via}-injection"
        p = run(drvaudit, state, "schedule", "install", "--weekly", "SUN", "03:00", "--root", str(planted), "--via", via,
                "--report-dir", bad, "--yes")
        check(p.returncode == 2 and "control character" in p.stderr and not (planted / "etc").exists(),
              f"{via}: a report folder with a control character is refused and nothing is written ({p.stderr.strip()[-200:]})")
    # umask 000: a job that runs as root stays writable by root alone.
    open_root = tmp / "root-umask"
    old_umask = os.umask(0)
    try:
        run(drvaudit, state, "schedule", "install", "--weekly", "SUN", "03:00", "--root", str(open_root), "--via", "cron",
            "--report-dir", str(tmp / "umask reports"), "--yes", expect=0)
        run(drvaudit, state, "schedule", "install", "--weekly", "SUN", "03:00", "--root", str(open_root), "--via",
            "systemd", "--yes", expect=0)
        reports = tmp / "umask-report-run"
        run(drvaudit, tmp / "state-umask", "--snapshot", str(SAMPLE),
            "schedule", "run", "--report-dir", str(reports), "--formats", "json,csv", expect=(0, 10))
    finally:
        os.umask(old_umask)
    modes = {str(f.relative_to(tmp)): oct(f.stat().st_mode & 0o777) for f in [*open_root.rglob("*"), *reports.rglob("*")]
             if f.is_file() or f.is_dir()}
    check(all((m == "0o644") if (open_root / "etc") in Path(tmp / k).parents and Path(tmp / k).is_file() else True
              for k, m in modes.items()) and modes, f"under umask 000 the unit and cron files are 0644 ({modes})")
    check(all(m == "0o755" for k, m in modes.items() if Path(tmp / k).is_dir()), f"folders are 0755 ({modes})")
    check(all(m == "0o640" for k, m in modes.items() if Path(tmp / k).is_file() and reports in Path(tmp / k).parents),
          f"reports are 0640 ({modes})")
    p = run(drvaudit, state, "schedule", "install", "--weekly", "SUN", "25:00", "--root", str(root), "--yes")
    check(p.returncode == 2 and "HH:MM" in p.stderr, "a wrong time is a usage error that shows the form")
    p = run(drvaudit, state, "schedule", "install", "--weekly", "SUN", "03:00", "--user", "--via", "cron", "--root",
            str(root), "--yes")
    check(p.returncode == 2 and "--user" in p.stderr, "--user with cron is refused")


def windows_argv(line):
    """CommandLineToArgvW's rules, to read the task's Arguments back."""
    args, cur, i, quoted, have = [], "", 0, False, False
    while i < len(line):
        c = line[i]
        if c == "\\":
            n = 0
            while i < len(line) and line[i] == "\\":
                n += 1
                i += 1
            if i < len(line) and line[i] == '"':
                cur += "\\" * (n // 2)
                if n % 2:
                    cur += '"'
                    i += 1
                have = True
            else:
                cur += "\\" * n
                have = True
            continue
        if c == '"':
            quoted = not quoted
            have = True
        elif c in " \t" and not quoted:
            if have:
                args.append(cur)
            cur, have = "", False
        else:
            cur += c
            have = True
        i += 1
    if have:
        args.append(cur)
    return args


def task_xml_golden():
    """The Task Scheduler XML that the C++ unit test compares with, parsed back by another reader."""
    import xml.etree.ElementTree as ET
    text = (REPO / "tests" / "golden" / "weekly-task.xml").read_text()
    root = ET.fromstring(text.replace('encoding="UTF-16"', "", 1))
    ns = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}
    get = lambda path: root.find(path, ns)
    check(root.tag == "{%s}Task" % ns["t"] and root.get("version") == "1.2", "task XML: a Task 1.2 document")
    check(get("t:Triggers/t:CalendarTrigger/t:StartBoundary").text == "2026-12-06T03:00:00", "task XML: starts Sunday 03:00")
    days = get("t:Triggers/t:CalendarTrigger/t:ScheduleByWeek/t:DaysOfWeek")
    check([d.tag.split("}")[1] for d in days] == ["Sunday"], "task XML: weekly on Sunday")
    check(get("t:Triggers/t:CalendarTrigger/t:ScheduleByWeek/t:WeeksInterval").text == "1", "task XML: every week")
    check(get("t:Principals/t:Principal/t:UserId").text == "S-1-5-18" and
          get("t:Principals/t:Principal/t:RunLevel").text == "HighestAvailable", "task XML: SYSTEM, highest privileges")
    check(get("t:Settings/t:StartWhenAvailable").text == "true", "task XML: runs when a start was missed")
    check(get("t:Actions/t:Exec/t:Command").text == "C:\\Program Files\\drvaudit\\drvaudit.exe", "task XML: the command")
    args = windows_argv(get("t:Actions/t:Exec/t:Arguments").text)
    check(args == ["--state-dir", "C:\\ProgramData\\drvaudit", "schedule", "run", "--report-dir",
                   "\\\\server\\share\\drvaudit\\<pc> & co", "--formats", "csv,json,html", "--keep", "104"],
          f"task XML: the arguments read back as Windows splits them ({args})")


def chromium():
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


def chrome(browser, tmp, *args):
    profile = tempfile.mkdtemp(dir=tmp)
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


PROBE = """
<script>
(function () {
  var out = {};
  var bodies = function () { return Array.prototype.slice.call(document.querySelectorAll('#devices tbody.device')); };
  out.rows = bodies().length;
  var f = document.getElementById('filter');
  f.value = 'intel';
  f.dispatchEvent(new Event('input'));
  out.filtered = bodies().filter(function (b) { return !b.hidden; }).length;
  out.shown = document.getElementById('shown').textContent;
  f.value = '';
  f.dispatchEvent(new Event('input'));
  var v = document.getElementById('verdict');
  v.value = 'no_catalog_data';
  v.dispatchEvent(new Event('change'));
  out.by_verdict = bodies().filter(function (b) { return !b.hidden; }).length;
  v.value = '';
  v.dispatchEvent(new Event('change'));
  var th = document.querySelectorAll('#devices thead th')[0];
  th.click();
  out.ascending = bodies().map(function (b) { return b.rows[0].cells[0].textContent; });
  th.click();
  out.descending = bodies().map(function (b) { return b.rows[0].cells[0].textContent; });
  out.resources = performance.getEntriesByType('resource').length;
  out.xss = window.__xss === 1;
  out.images = document.images.length;
  var pre = document.createElement('pre');
  pre.id = 'probe';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""


def html_report(drvaudit, tmp, screenshot):
    browser = chromium()
    check(browser is not None, "headless Chromium is installed (scripts/setup)")
    if not browser:
        return
    state = tmp / "state-html"
    p = run(drvaudit, state, "catalog", "index", str(REPO / "data" / "catalog"), expect=0)
    hostile = json.loads(SAMPLE.read_text())
    hostile["devices"][0]["description"] = "<script>window.__xss=1</script>"
    hostile["devices"][1]["description"] = "\"><img src=x onerror=\"window.__xss=1\">"
    hostile["machine"]["hostname"] = "PC<b>"
    (tmp / "hostile.json").write_text(json.dumps(hostile))
    # A week later: the report shows what changed since the stored run first.
    (tmp / "weeks").mkdir()
    weeks = write_snapshots(tmp / "weeks")
    run(drvaudit, state, "--snapshot", str(weeks[0]), "schedule", "run", "--report-dir", str(tmp / "html-reports"),
        expect=(0, 10))
    for name, snap in (("sample", SAMPLE), ("hostile", tmp / "hostile.json"), ("weekly", weeks[2])):
        page = tmp / f"{name}.html"
        run(drvaudit, state, "--snapshot", str(snap), "export", "--html", str(page), expect=0)
        audit = json.loads(run(drvaudit, state, "--snapshot", str(snap), "audit", "--json", expect=(0, 10, 11)).stdout)
        text = page.read_text()
        check(not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", text, re.I),
              f"{name}: no external src or href in the page")
        check("default-src 'none'" in text, f"{name}: the page's policy allows no fetch")
        dom = chrome(browser, tmp, "--dump-dom", page.as_uri()).stdout
        rows = dom.count('class="device"')
        check(rows == len(audit["devices"]), f"{name}: one row per device ({rows} of {len(audit['devices'])})")
        for verdict, count in audit["summary"].items():
            m = re.search(rf'<g class="bar" data-verdict="{verdict}" data-count="(\d+)"', dom)
            check(m and int(m.group(1)) == count, f"{name}: the chart's {verdict} count is the JSON's ({count})")
        check("<img" not in dom and "<script>window.__xss" not in dom, f"{name}: no injected element in the DOM")
        if name == "weekly":
            changes = re.findall(r'<tr class="change( regression)?" data-change="([a-z_]+)"', dom)
            check(sorted(c for _, c in changes) == ["device_added", "driver_downgraded", "driver_upgraded",
                                                    "problem_appeared"] and sum(1 for r, _ in changes if r) == 2,
                  f"weekly: the changes since the stored run come first, regressions marked ({changes})")
            check(dom.index('id="changes"') < dom.index('id="devices"'), "weekly: the changes stand before the devices")
        if name == "hostile":
            check("&lt;script&gt;window.__xss=1&lt;/script&gt;" in dom, "hostile: the script-like name stays text")
            check("&gt;&lt;img src=x onerror=" in dom, "hostile: the img-like name stays text")
            check("PC&lt;b&gt;" in dom, "hostile: the machine name stays text")
        # The sort/filter probe: the page's own script must have run under its policy; the probe is
        # allowed by a relaxed copy of that policy (only for this test).
        probe_page = tmp / f"{name}-probe.html"
        # (a hash in script-src makes browsers ignore 'unsafe-inline', so the copy names no hash)
        relaxed = re.sub(r"script-src 'sha256-[^']+'", "script-src 'unsafe-inline'", text, count=1)
        check(relaxed != text, f"{name}: the page's policy names its script by hash")
        probe_page.write_text(relaxed.replace("</body>", PROBE + "</body>"))
        dom = chrome(browser, tmp, "--dump-dom", probe_page.as_uri()).stdout
        m = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
        check(m is not None, f"{name}: the probe ran")
        if not m:
            continue
        result = json.loads(m.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
        intel = sum(1 for d in audit["devices"] if "intel" in (d["description"] + d["instance_id"]).lower()
                    or "intel" in json.dumps(d.get("installed") or {}).lower())
        check(result["rows"] == len(audit["devices"]), f"{name}: the probe sees every row")
        if name == "sample":
            check(result["filtered"] == 3 and result["shown"] == "3",
                  f"sample: filtering 'intel' leaves the 3 Intel devices (got {result['filtered']}, {intel} by name)")
            nocat = audit["summary"]["no_catalog_data"]
            check(result["by_verdict"] == nocat, f"sample: the verdict filter leaves {nocat} (got {result['by_verdict']})")
        names = result["ascending"]
        check(names == sorted(names, key=lambda s: s.lower()) and result["descending"] == names[::-1],
              f"{name}: a click sorts by device ascending, a second click descending")
        check(result["resources"] == 0, f"{name}: nothing was fetched (resource timing is empty)")
        check(not result["xss"] and result["images"] == 0, f"{name}: no injected handler ran")
    if screenshot:
        shot = chrome(browser, tmp, f"--screenshot={screenshot}", "--window-size=1200,1400", "--hide-scrollbars",
                      (tmp / "weekly.html").as_uri())
        check(Path(screenshot).exists(), f"screenshot written to {screenshot}")


def main():
    drvaudit = os.path.abspath(sys.argv[1])
    screenshot = sys.argv[sys.argv.index("--screenshot") + 1] if "--screenshot" in sys.argv else None
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        history_and_diff(drvaudit, tmp)
        systemd_and_cron(drvaudit, tmp)
        task_xml_golden()
        html_report(drvaudit, tmp, screenshot)
    print(f"{len(failures)} failed" if failures else "all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
