#!/usr/bin/env python3
"""The fleet view against real databases, with reports that drvaudit itself wrote
(make_fleet_reports.py: 6 machines, two weeks, a downgrade, a new problem code, a machine that
missed its run):

- SQLite (fleet.db in the state folder): ingest, re-ingest (nothing added, byte-identical answers),
  a newer run, an older copy, a corrupt and a truncated report (skipped with their paths), every view
  against answers computed here from the reports themselves, the HTML report;
- PostgreSQL: a real server (initdb + pg_ctl on a Unix socket in a temp folder, run as the postgres
  user, stopped in `finally`): the same answers as SQLite for the same reports;
- kill -9 during an ingest, 20 trials on each database: only whole reports are ever stored, and the
  next ingest completes the set.

usage: fleet_test.py DRVAUDIT [--screenshot FILE]
"""
import glob
import json
import os
import pwd
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
AS_OF = "2026-11-12T00:00:00Z"
# One device model's ID, and a compatible ID that three models of every machine share.
VERSION_IDS = ("PCI\\VEN_8086&DEV_A0F0", "PCI\\VEN_8086")
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


class Drvaudit:
    def __init__(self, exe, state, db=None):
        self.exe, self.state, self.db = exe, state, db

    def __call__(self, *args, expect=0):
        cmd = [self.exe, "--state-dir", str(self.state), "fleet", *args]
        if self.db and args[0] != "--help":
            cmd += ["--db", self.db]
        p = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, NO_COLOR="1"),
                           stdin=subprocess.DEVNULL, timeout=600)
        if expect is not None and p.returncode != expect:
            print(f"  {' '.join(args)} exited {p.returncode}: {p.stderr[-1500:]}")
        return p

    def view(self, *args):
        p = self(*args, "--json", "--as-of", AS_OF)
        return json.loads(p.stdout) if p.returncode == 0 else None


def reports_of(folder):
    out = []
    for f in sorted(glob.glob(str(folder / "**" / "*.json"), recursive=True)):
        try:
            out.append(json.loads(Path(f).read_text()))
        except ValueError:
            pass
    return [r for r in out if r.get("schema") == "drvaudit-report/1"]


def expected_answers(reports):
    """What each view must say, computed from the report files with nothing of drvaudit's."""
    latest = {}
    for r in reports:
        key = (r["run"]["recorded_at"], r["run"]["id"])
        if r["machine"] not in latest or key > latest[r["machine"]][0]:
            latest[r["machine"]] = (key, r)
    machines = {}
    packages = {}
    for name, (_, r) in latest.items():
        summary = r["audit"]["summary"]
        machines[name] = (r["run"]["recorded_at"], summary["update_available"], summary["missing_driver"],
                          1 if r["run"]["recorded_at"] < "2026-11-04T00:00:00Z" else 0)
        for d in r["audit"]["devices"]:
            if d["verdict"] in ("update_available", "better_match", "missing_driver") and d["best"]:
                k = (d["best"]["inf"], d["best"]["version"])
                packages.setdefault(k, set()).add(name)
    regressions = sorted((r["machine"], c["change"], c["instance_id"]) for r in reports if r["diff"]
                         and r["run"]["recorded_at"] >= "2026-11-05" for c in r["diff"]["changes"] if c["regression"])
    versions = {}
    for hardware_id in VERSION_IDS:
        machines_of, devices_of = {}, {}
        for name, (_, r) in latest.items():
            for d in r["inventory"]["devices"]:
                if hardware_id in d["compatible_ids"] + d["hardware_ids"]:
                    v = d["driver"]["version"] if d["driver"] else "(no driver)"
                    machines_of.setdefault(v, set()).add(name)
                    devices_of[v] = devices_of.get(v, 0) + 1
        versions[hardware_id] = {v: (len(m), devices_of[v]) for v, m in machines_of.items()}
    return machines, {k: len(v) for k, v in packages.items()}, regressions, versions


def rows(view):
    return view["rows"] if view else []


def check_views(fleet, reports, label):
    machines, packages, regressions, versions = expected_answers(reports)
    got = {r["machine"]: (r["last_report"], r["update_available"], r["missing_driver"], r["stale"])
           for r in rows(fleet.view("machines"))}
    check(got == machines, f"{label}: machines: last report, counts and stale as the reports say ({got})")
    got = {(r["package"], r["version"]): r["machines"] for r in rows(fleet.view("updates"))}
    check(got == packages, f"{label}: updates: machines per package ({got} vs {packages})")
    for hardware_id, expected in versions.items():
        got = {r["version"]: (r["machines"], r["devices"]) for r in rows(fleet.view("versions", hardware_id.lower()))}
        check(got == expected and got, f"{label}: versions of {hardware_id} in any case: machines and devices "
              f"({got} vs {expected})")
    got = sorted((r["machine"], r["change"], r["instance_id"]) for r in rows(fleet.view("regressions", "--since",
                                                                                         "2026-11-05")))
    check(got == regressions and len(got) == 2, f"{label}: regressions this week: the downgrade and the problem ({got})")
    diff = rows(fleet.view("diff", "--since", "2026-11-05"))
    check(len(diff) >= 2 and all(r["recorded_at"] >= "2026-11-05" for r in diff), f"{label}: diff since a date")
    report = fleet(*["report", "--json", "--as-of", AS_OF])
    doc = json.loads(report.stdout) if report.returncode == 0 else {}
    check(doc.get("totals", {}).get("machines") == len(machines) and doc["totals"]["stale"] == 1,
          f"{label}: report totals: {len(machines)} machines, 1 stale")


def answers(fleet):
    """Every view's JSON, for comparing databases and ingests byte for byte."""
    out = {}
    for args in (["machines"], ["updates"], ["versions", "PCI\\VEN_8086&DEV_A0F0"],
                 ["versions", "PCI\\VEN_8086"], ["regressions", "--since", "2026-11-01"],
                 ["diff", "--since", "2026-11-01"], ["report"]):
        p = fleet(*args, "--json", "--as-of", AS_OF)
        out[" ".join(args)] = p.stdout
    return out


def ingest_line(p):
    m = re.search(r"(\d+) report files in .*: (\d+) added, (\d+) already stored, (\d+) unchanged since the last "
                  r"ingest, (\d+) bad", p.stdout)
    return tuple(int(x) for x in m.groups()) if m else None


def kill_trials(fleet, folder, total, fresh, count_runs, label):
    """kill -9 at random moments of an ingest into a fresh database; every stored run must be whole.

    The kill moment is drawn from a window that adapts (as the Wine harness's kill_trials does): a
    trial that ran to its end shrinks it, one killed before anything was stored widens it. A fixed
    window taken from one timed run made the count of mid-ingest kills depend on how busy the machine
    was (a full ingest takes 0.02 to 0.2 s, about as long as a process start), and the test flaky."""
    cmd = [fleet.exe, "--state-dir", str(fleet.state), "fleet", "ingest", str(folder)]
    if fleet.db:
        cmd += ["--db", fleet.db]
    fresh()
    started = time.monotonic()
    subprocess.run(cmd, capture_output=True)
    duration = time.monotonic() - started
    window = duration
    whole, partial, trials = True, 0, 0
    while trials < 20 or (partial < 5 and trials < 80):
        trials += 1
        fresh()
        fleet("machines")  # the schema exists before the clock starts
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(random.uniform(0.05, 0.95) * window)
        p.send_signal(signal.SIGKILL)
        p.wait()
        stored = count_runs()
        whole = whole and all(n == d and ok for n, d, ok in stored)
        runs = sum(1 for _, _, ok in stored if ok)
        partial += 0 < runs < total
        if runs >= total:
            window *= 0.7
        elif runs == 0:
            window *= 1.3
    check(whole, f"{label}: {trials} kill -9 trials: every stored run has all its devices, no file without its run")
    check(partial >= 5, f"{label}: {partial} of the {trials} kills came in the middle of the ingest (a full one takes "
                        f"{duration:.2f} s)")
    p = fleet("ingest", str(folder))
    got = ingest_line(p)
    check(p.returncode == 0 and got is not None and got[4] == 0 and got[1] + got[2] + got[3] == total,
          f"{label}: the next ingest completes the set ({got})")


def many_reports(share, folder, copies):
    """The share's reports again as more machines (PC-000-c1, …), for ingests long enough to be killed."""
    folder.mkdir()
    n = 0
    for f in sorted(share.rglob("*.json")):
        doc = json.loads(f.read_text())
        for c in range(copies):
            doc["machine"] = doc["audit"]["machine"]["hostname"] + f"-c{c}"
            (folder / doc["machine"]).mkdir(exist_ok=True)  # a folder per machine, as on a share
            (folder / doc["machine"] / f.name).write_text(json.dumps(doc))
            n += 1
    return n


def sqlite_runs(db):
    def count():
        c = sqlite3.connect(db)
        out = [(n, d, True) for n, d in c.execute(
            "SELECT r.devices, (SELECT count(*) FROM devices d WHERE d.run_id = r.id) FROM runs r")]
        files = c.execute("SELECT count(*) FROM files WHERE run_id NOT IN (SELECT id FROM runs)").fetchone()[0]
        c.close()
        return out + ([(0, 1, False)] if files else [])
    return count


class Postgres:
    """A throwaway server: initdb + pg_ctl as the postgres user, a Unix socket in a temp folder."""

    def __init__(self, tmp):
        self.bin = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
        self.dir = Path(tempfile.mkdtemp(prefix="drvaudit-pg-", dir=tmp))
        os.chmod(self.dir, 0o777)
        self.data, self.sock = self.dir / "data", self.dir / "sock"
        self.sock.mkdir()
        os.chmod(self.sock, 0o777)
        self.user = "postgres" if self._has_user("postgres") else "nobody"

    @staticmethod
    def _has_user(name):
        try:
            pwd.getpwnam(name)
            return True
        except KeyError:
            return False

    def _as_user(self, *cmd):
        prefix = [] if os.getuid() != 0 else ["runuser", "-u", self.user, "--"]
        return subprocess.run(prefix + list(cmd), capture_output=True, text=True, timeout=120)

    def start(self):
        # C collation: text sorts byte by byte, as in SQLite, so both databases answer in one order.
        r = self._as_user(f"{self.bin}/initdb", "-D", str(self.data), "-U", "drvaudit", "--auth=trust", "--locale=C",
                          "-E", "UTF8")
        if r.returncode != 0:
            raise RuntimeError("initdb: " + r.stderr)
        r = self._as_user(f"{self.bin}/pg_ctl", "-D", str(self.data), "-w", "-l", str(self.dir / "log"), "-o",
                          f"-k {self.sock} -c listen_addresses='' -c fsync=on", "start")
        if r.returncode != 0:
            raise RuntimeError("pg_ctl start: " + r.stderr + (self.dir / "log").read_text())
        r = self._as_user(f"{self.bin}/createdb", "-h", str(self.sock), "-U", "drvaudit", "fleet")
        if r.returncode != 0:
            raise RuntimeError("createdb: " + r.stderr)

    def url(self, db="fleet"):
        return f"postgresql:///{db}?host={self.sock}&user=drvaudit"

    def psql(self, sql, db="fleet"):
        r = subprocess.run([f"{self.bin}/psql", "-h", str(self.sock), "-U", "drvaudit", "-d", db, "-At", "-F", "\t", "-c",
                            sql], capture_output=True, text=True)
        return [line.split("\t") for line in r.stdout.splitlines() if line]

    def runs(self, db):
        def count():
            out = [(int(n), int(d), True) for n, d in self.psql(
                "SELECT r.devices, (SELECT count(*) FROM devices d WHERE d.run_id = r.id) FROM runs r", db)]
            orphans = self.psql("SELECT count(*) FROM files WHERE run_id NOT IN (SELECT id FROM runs)", db)
            return out + ([(0, 1, False)] if orphans and orphans[0][0] != "0" else [])
        return count

    def stop(self):
        self._as_user(f"{self.bin}/pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")


def main():
    exe = os.path.abspath(sys.argv[1])
    screenshot = sys.argv[sys.argv.index("--screenshot") + 1] if "--screenshot" in sys.argv else None
    tmp = Path(tempfile.mkdtemp(prefix="drvaudit-fleet-"))
    os.chmod(tmp, 0o755)
    pg = None
    try:
        share = tmp / "share"
        made = subprocess.run([sys.executable, str(HERE / "make_fleet_reports.py"), exe, str(tmp / "gen-state"),
                               str(share), "6"], capture_output=True, text=True)
        check(made.returncode == 0, "six machines' reports made by schedule run " + made.stderr[-500:])
        reports = reports_of(share)
        check(len(reports) == 11, f"11 reports: 6 machines, one missed week 2 ({len(reports)})")

        # ---- SQLite -------------------------------------------------------------------------------
        fleet = Drvaudit(exe, tmp / "state")
        p = fleet("ingest", str(share))
        check(ingest_line(p) == (11, 11, 0, 0, 0), f"ingest: 11 added ({p.stdout.strip()})")
        check_views(fleet, reports, "sqlite")
        first = answers(fleet)
        p = fleet("ingest", str(share))
        check(ingest_line(p) == (11, 0, 0, 11, 0), f"re-ingest: nothing read again ({p.stdout.strip()})")
        check(answers(fleet) == first, "re-ingest: every view answers byte for byte the same")

        # A newer run of PC-000, an older copy under another name, a corrupt and a truncated report.
        extra_share = tmp / "extra"
        extra = extra_share / "PC-000"  # the machine's own folder: the share's convention
        extra.mkdir(parents=True)
        newest = next(r for r in reports if r["machine"] == "PC-000" and r["run"]["recorded_at"].startswith("2026-11-08"))
        newer = json.loads(json.dumps(newest))
        newer["run"]["id"] += 100
        newer["run"]["recorded_at"] = "2026-11-11T03:00:00Z"
        (extra / "newer.json").write_text(json.dumps(newer))
        (extra / "older-copy.json").write_text(json.dumps(reports[0]))
        (extra / "corrupt.json").write_text(json.dumps(newest).replace('"verdict": "up_to_date"', '"verdict": "fine"', 1))
        text = json.dumps(newest)
        (extra / "truncated.json").write_text(text[: len(text) // 2])
        p = fleet("ingest", str(extra_share))
        check(ingest_line(p) == (4, 1, 1, 0, 2), f"newer run added, older copy already stored, 2 bad ({p.stdout.strip()})")
        check(str(extra / "corrupt.json") in p.stderr and "not a verdict" in p.stderr,
              "the corrupt report is named with what is wrong")
        check(str(extra / "truncated.json") in p.stderr, "the truncated report is named")
        strict = fleet("ingest", str(extra), "--strict", expect=1)
        check(strict.returncode == 1, "--strict exits 1 while bad files remain")
        machines = {r["machine"]: r for r in rows(fleet.view("machines"))}
        check(machines["PC-000"]["last_report"] == "2026-11-11T03:00:00Z", "the newer run is PC-000's last report")
        runs = sqlite3.connect(tmp / "state" / "fleet.db").execute("SELECT count(*) FROM runs").fetchone()[0]
        check(runs == 12, f"the older runs are kept as history ({runs} runs)")
        (extra / "corrupt.json").unlink()
        (extra / "truncated.json").unlink()
        reports.append(newer)

        # A hostile share (issue 24): another machine's folder, a report from 2099, a 50 GB sparse file,
        # a link to /dev/zero, a FIFO, a 100 MB machine name. Each is named and skipped at once, nothing
        # of them is stored, and memory stays small.
        hostile = tmp / "hostile"
        attacker = hostile / "PC-ATTACKER"
        attacker.mkdir(parents=True)
        spoof = json.loads(json.dumps(newer))
        spoof["run"]["id"] += 1
        spoof["run"]["recorded_at"] = "2099-01-01T00:00:00Z"
        (attacker / "victim.json").write_text(json.dumps(spoof))
        victim_dir = hostile / "PC-000"
        victim_dir.mkdir()
        (victim_dir / "future.json").write_text(json.dumps(spoof))
        with open(victim_dir / "sparse.json", "wb") as f:
            f.truncate(50 << 30)
        os.symlink("/dev/zero", victim_dir / "zero.json")
        os.mkfifo(victim_dir / "fifo.json")
        huge = json.loads(json.dumps(newer))
        huge["machine"] = "A" * (100 << 20)
        (hostile / ("A" * 200)).mkdir()
        (hostile / ("A" * 200) / "huge-name.json").write_text(json.dumps(huge))
        started = time.monotonic()
        p = subprocess.run(["/usr/bin/time", "-f", "maxrss=%M", fleet.exe, "--state-dir", str(fleet.state), "fleet",
                            "ingest", str(hostile)], capture_output=True, text=True, timeout=120)
        took = time.monotonic() - started
        rss = int(re.search(r"maxrss=(\d+)", p.stderr).group(1)) if "maxrss=" in p.stderr else 0
        check(ingest_line(p) is not None and ingest_line(p)[1] == 0, f"a hostile share: nothing added ({p.stdout.strip()})")
        said = p.stderr
        check("sits in the folder PC-ATTACKER" in said, "a report in another machine's folder is refused")
        check("in the future" in said, "a report dated 2099 is refused")
        check("53687091200 bytes" in said and "--max-report-size" in said, "a 50 GB sparse report is refused by its size")
        check("zero.json" not in said or "symbolic link" in said, "a link to /dev/zero is never read")
        check(took < 60 and rss < 400_000, f"the hostile share took {took:.1f} s and {rss} KiB (no hang, no exhaustion)")
        machines = {r["machine"]: r for r in rows(fleet.view("machines"))}
        check(machines["PC-000"]["last_report"] == "2026-11-11T03:00:00Z", "PC-000's current report is still its own")
        everything = answers(fleet)

        html = fleet("report", "--format", "html", "--as-of", AS_OF, "-o", str(tmp / "fleet.html"))
        page = (tmp / "fleet.html").read_text() if html.returncode == 0 else ""
        check(page.count('<tr class="machine') == 6 and "missed its weekly run" in page and "default-src 'none'" in page
              and not re.search(r"(src|href)\s*=", page), "the HTML fleet report: 6 machines, the stale one marked, nothing fetched")
        if screenshot and shutil.which("chromium"):
            subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                            "--disable-background-networking", "--disable-component-update", "--disable-sync",
                            f"--user-data-dir={tmp / 'chrome'}", f"--screenshot={screenshot}", "--window-size=1200,900",
                            "--hide-scrollbars", (tmp / "fleet.html").as_uri()], capture_output=True, timeout=120)
        for fmt in ("table", "csv"):
            p = fleet("machines", "--format", fmt, "--as-of", AS_OF)
            check(p.returncode == 0 and "PC-005" in p.stdout, f"fleet machines as {fmt}")

        # kill -9 on SQLite, each trial into a fresh database.
        many = tmp / "many"
        total = many_reports(share, many, 8)
        killed = Drvaudit(exe, tmp / "state-killed")
        (tmp / "state-killed").mkdir(mode=0o700)
        db = tmp / "state-killed" / "fleet.db"

        def fresh_sqlite():
            for f in glob.glob(str(db) + "*"):
                os.unlink(f)

        kill_trials(killed, many, total, fresh_sqlite, sqlite_runs(db), "sqlite")

        # ---- PostgreSQL ----------------------------------------------------------------------------
        pg = Postgres(tmp)
        pg.start()
        postgres = Drvaudit(exe, tmp / "state-pg", pg.url())
        p = postgres("ingest", str(share))
        check(ingest_line(p) == (11, 11, 0, 0, 0), f"postgresql: 11 added ({p.stdout.strip()}{p.stderr.strip()})")
        p = postgres("ingest", str(extra))
        check_views(postgres, reports, "postgresql")
        pg_answers = answers(postgres)
        for view, text in everything.items():
            check(pg_answers[view] == text, f"postgresql answers '{view}' exactly as sqlite")
        p = postgres("ingest", str(share))
        check(ingest_line(p) == (11, 0, 0, 11, 0), f"postgresql: re-ingest reads nothing again ({p.stdout.strip()})")
        # docs/fleet.md's partitioning recipe: the same answers from range-partitioned tables.
        pg.psql("CREATE DATABASE fleet_parted")
        parted = Drvaudit(exe, tmp / "state-pg", pg.url("fleet_parted"))
        parted("machines")
        recipe = []
        for table, indexes in (("devices", ["devices_by_run_model ON devices (run_id, id_set)"]),
                               ("changes", ["changes_by_date ON changes (run_date, run_id)"])):
            recipe += [f"ALTER TABLE {table} RENAME TO {table}_empty",
                       f"CREATE TABLE {table} (LIKE {table}_empty) PARTITION BY RANGE (run_date)",
                       f"DROP TABLE {table}_empty"] + [f"CREATE INDEX {i}" for i in indexes]
            recipe += [f"CREATE TABLE {table}_2026_11 PARTITION OF {table} FOR VALUES FROM ('2026-11-01') TO ('2026-12-01')",
                       f"CREATE TABLE {table}_other PARTITION OF {table} DEFAULT"]
        pg.psql("BEGIN; " + "; ".join(recipe) + "; COMMIT;", "fleet_parted")
        parted("ingest", str(share))
        parted("ingest", str(extra))
        partitions = pg.psql("SELECT count(*) FROM devices_2026_11", "fleet_parted")
        check(partitions and int(partitions[0][0]) == 12 * 7, f"partitioned: the rows are in the month's partition ({partitions})")
        check(answers(parted) == everything, "partitioned by run date (docs/fleet.md): the same answers")
        # Two ingests of the same reports at once into one database (two people, or the weekly job
        # meeting a manual run): each run stored once, the same answers as one ingest.
        for name in ("fleet_twice", "fleet_once"):
            pg.psql(f"CREATE DATABASE {name}")
        twice = Drvaudit(exe, tmp / "state-pg", pg.url("fleet_twice"))
        twice("machines")
        both = [subprocess.Popen([exe, "--state-dir", str(tmp / "state-pg"), "fleet", "ingest", str(many), "--db",
                                  pg.url("fleet_twice")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(2)]
        outcomes = [p.communicate(timeout=300) + (p.returncode,) for p in both]
        check(all(rc == 0 for _, _, rc in outcomes), f"two ingests at once both succeed ({outcomes})")
        lines = [ingest_line(types.SimpleNamespace(stdout=out)) for out, _, _ in outcomes]
        check(all(ln is not None for ln in lines) and sum(ln[1] for ln in lines) == total and
              all(ln[0] == total and ln[1] + ln[2] + ln[3] == total and ln[4] == 0 for ln in lines),
              f"two ingests at once: each of the {total} runs added by one of them ({lines})")
        once = Drvaudit(exe, tmp / "state-pg", pg.url("fleet_once"))
        once("ingest", str(many))
        check(answers(twice) == answers(once), "two ingests at once: the same answers as one")
        version = pg.psql("SELECT max(version) FROM fleet_schema")
        check(version == [["3"]], f"postgresql: schema version recorded ({version})")
        killed_pg = Drvaudit(exe, tmp / "state-pg", pg.url("fleet_killed"))

        def fresh_pg():
            pg.psql("DROP DATABASE IF EXISTS fleet_killed WITH (FORCE)")
            pg.psql("CREATE DATABASE fleet_killed")

        kill_trials(killed_pg, many, total, fresh_pg, pg.runs("fleet_killed"), "postgresql")
        bad = Drvaudit(exe, tmp / "state-pg", f"postgresql:///nodb?host={pg.sock}&user=drvaudit")
        p = bad("machines", expect=1)
        check(p.returncode == 1 and "cannot connect" in p.stderr, "a database that does not exist: exit 1, said")
    finally:
        if pg:
            pg.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(failures)} failed" if failures else "all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
