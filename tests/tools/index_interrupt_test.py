#!/usr/bin/env python3
"""catalog index as a user runs it in a terminal, and what an interrupted index keeps.

1. In a 60-column tmux pane the progress bar never takes more than the pane's width (every frame
   drawn, read back raw through pipe-pane, and every captured screen), shows percent, files/s and
   ETA, and is drawn before any file is read. Ctrl-C stops the index: exit 130, a message saying
   what was kept, and the next run goes on from there (the kept files are unchanged).
2. kill -9 at random moments of an index (TRIALS, default 100): the catalog is always a whole
   SQLite database in which every indexed file has its whole package; the last run's catalog is
   the same as one indexed without interruption.

usage: index_interrupt_test.py DRVAUDIT [TRIALS]
"""
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unicodedata

MODELS_PER_FILE = 300
CSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def write_inf(path, number, version):
    lines = ["[Version]", 'Signature="$WINDOWS NT$"', "Class=Net",
             "ClassGuid={4d36e972-e325-11ce-bfc1-08002be10318}", "Provider=%Vendor%",
             "DriverVer=01/02/2024,1.0.%d.%d" % (number, version), "", "[Manufacturer]", "%Vendor%=Models,NTamd64",
             "", "[Models.NTamd64]"]
    for k in range(MODELS_PER_FILE):
        lines.append("%%Dev%%=Install, PCI\\VEN_%04X&DEV_%04X" % (0x1000 + number % 0xE000, k))
    lines += ["", "[Install.NT]", "CopyFiles=Files", "", "[Files]", "x.sys", "", "[Strings]", 'Vendor="Example"',
              'Dev="Example device"']
    with open(path, "w", newline="") as f:
        f.write("\r\n".join(lines) + "\r\n")


def make_tree(root, count):
    for i in range(count):
        folder = os.path.join(root, "vendor%02d" % (i // 250))
        os.makedirs(folder, exist_ok=True)
        write_inf(os.path.join(folder, "pkg%05d.inf" % i), i, 0)


def width(text):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class Checks:
    def __init__(self):
        self.failures = []
        self.count = 0

    def check(self, ok, what):
        self.count += 1
        if not ok:
            self.failures.append(what)


def catalog_facts(db_file):
    """Whether the catalog is whole, and what it holds: {path: driver_version} of complete packages."""
    db = sqlite3.connect(db_file)
    try:
        problems = []
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        if integrity != "ok":
            problems.append("integrity_check: " + integrity)
        if db.execute("PRAGMA foreign_key_check").fetchall():
            problems.append("foreign_key_check finds orphans")
        held = {}
        rows = db.execute(
            "SELECT f.path, f.status, count(m.id), min(m.driver_version), max(m.driver_version) FROM files f "
            "LEFT JOIN packages p ON p.file_id = f.id LEFT JOIN models m ON m.package_id = p.id GROUP BY f.id")
        for path, status, models, low, high in rows:
            if status == "indexed" and (models != MODELS_PER_FILE or low != high):
                problems.append("%s: %d Models lines stored, %s..%s" % (path, models, low, high))
            held[path] = high
        return problems, held
    finally:
        db.close()


class TmuxPane:
    """A 60x15 tmux pane running a clean bash, its raw output logged by pipe-pane."""

    def __init__(self, work, name, term):
        self.tmux = ["tmux", "-L", "drvaudit-%s-%d" % (name, os.getpid()), "-f", "/dev/null"]
        self.raw_log = os.path.join(work, name + ".raw")
        self.done_file = os.path.join(work, name + ".done")
        subprocess.run(self.tmux + ["new-session", "-d", "-x", "60", "-y", "15", "env -i PATH=/usr/bin:/bin TERM=%s "
                                    "HOME=%s bash --norc --noprofile" % (term, work)], check=True)
        subprocess.run(self.tmux + ["pipe-pane", "-o", "cat >> %s" % self.raw_log], check=True)

    def run(self, command):
        """Types the command; its exit code lands in done_file."""
        subprocess.run(self.tmux + ["send-keys", "%s; echo $? > %s" % (command, self.done_file), "Enter"], check=True)

    def finished(self):
        return os.path.exists(self.done_file)

    def exit_code(self):
        return open(self.done_file).read().strip() if self.finished() else "none"

    def screen(self):
        return subprocess.run(self.tmux + ["capture-pane", "-p"], capture_output=True, text=True).stdout

    def send_keys(self, *keys):
        subprocess.run(self.tmux + ["send-keys", *keys], check=True)

    def raw(self):
        return open(self.raw_log, "rb").read().decode("utf-8", errors="replace")

    def close(self):
        subprocess.run(self.tmux + ["kill-server"], capture_output=True)


def tmux_run(checks, drvaudit, state, tree, work):
    """Indexes the tree in a 60x15 tmux pane and interrupts it with Ctrl-C when the bar is halfway."""
    pane = TmuxPane(work, "pane", "xterm")
    try:
        pane.run("%s --state-dir %s catalog index %s" % (drvaudit, state, tree))
        screens, interrupted = [], False
        deadline = time.time() + 120
        while not pane.finished() and time.time() < deadline:
            screen = pane.screen()
            screens.append(screen)
            match = re.search(r"(\d+)% +\d+/\d+", screen)
            if not interrupted and match and 20 <= int(match.group(1)) <= 80:
                pane.send_keys("C-c")
                interrupted = True
            time.sleep(0.02)
        time.sleep(0.2)  # pipe-pane's last bytes
        screens.append(pane.screen())
        raw = pane.raw()
        exit_code = pane.exit_code()
    finally:
        pane.close()
    checks.check(interrupted, "the bar never showed 20-80 %, so Ctrl-C was not sent")
    checks.check(exit_code == "130", "an interrupted index exits 130, not %s" % exit_code)
    widest = max((width(line) for s in screens for line in s.splitlines()), default=0)
    checks.check(widest <= 60, "a captured line is %d columns wide in a 60-column pane" % widest)
    # "^C" is the terminal's own echo of Ctrl-C, written after the bar.
    frames = [CSI.sub("", part).replace("^C", "") for line in raw.split("\n") for part in line.split("\r")]
    bar_frames = [f for f in frames if "indexing" in f]
    checks.check(len(bar_frames) >= 3, "only %d progress frames were drawn" % len(bar_frames))
    checks.check(all(width(f) < 60 for f in bar_frames),
                 "a frame is wider than the pane: %r" % max(bar_frames, key=width, default=""))
    checks.check(bool(bar_frames) and "listing files" in bar_frames[0],
                 "the first frame is not drawn before the files are read: %r" % (bar_frames[:1],))
    full = [f for f in bar_frames if re.search(r"\[[#-]{8,}\] \d+% \d+/\d+ \d+ files/s ETA \d+:\d\d", f)]
    checks.check(bool(full), "no frame shows percent, count, files/s and ETA: %r" % bar_frames[-3:])
    final = "\n".join(screens[-1].splitlines())
    match = re.search(r"interrupted after (\d+) of (\d+) INF files: the (\d+) added", re.sub(r"\s*\n\s*", " ", final))
    checks.check(bool(match), "no 'interrupted after N of M' message: %r" % final[-400:])
    return int(match.group(3)) if match else 0


def tmux_dumb_terminal(checks, drvaudit, state, tree, work):
    """TERM=dumb (no VT sequences): the bar overwrites itself with spaces, never with an escape."""
    pane = TmuxPane(work, "dumb", "dumb")
    try:
        pane.run("%s --state-dir %s catalog index %s" % (drvaudit, state, tree))
        deadline = time.time() + 120
        while not pane.finished() and time.time() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)
        raw = pane.raw()
    finally:
        pane.close()
    # From the first frame to drvaudit's last line: the shell's own prompt is not ours.
    ours = raw[raw.find("indexing"):] if "indexing" in raw else ""
    ours = ours[:ours.find("catalog: ")] if "catalog: " in ours else ours
    frames = [p for line in ours.split("\n") for p in line.split("\r") if "indexing" in p]
    checks.check(len(frames) >= 2, "TERM=dumb: only %d progress frames" % len(frames))
    checks.check("\x1b" not in ours, "TERM=dumb: the bar wrote an escape sequence: %r" % ours[:200])
    checks.check(all(width(f) < 60 for f in frames), "TERM=dumb: a frame is wider than the pane")


def main():
    drvaudit = os.path.abspath(sys.argv[1])
    trials = int(sys.argv[2]) if len(sys.argv) > 2 else int(os.environ.get("DRVAUDIT_KILL_TRIALS", "100"))
    checks = Checks()
    work = tempfile.mkdtemp(prefix="drvaudit-interrupt-")
    try:
        tree = os.path.join(work, "tree")
        make_tree(tree, 2000)
        state = os.path.join(work, "state")
        os.makedirs(state)
        if shutil.which("tmux"):
            kept = tmux_run(checks, drvaudit, state, tree, work)
            checks.check(0 < kept < 2000, "the interrupted index kept %d of 2000 files" % kept)
            problems, held = catalog_facts(os.path.join(state, "catalog.db"))
            checks.check(not problems, "after Ctrl-C: %s" % problems[:3])
            checks.check(len(held) == kept, "the catalog holds %d files, the message said %d" % (len(held), kept))
            again = subprocess.run([drvaudit, "--state-dir", state, "catalog", "index", tree], capture_output=True,
                                   text=True)
            checks.check(again.returncode == 0, "the next index exits %d" % again.returncode)
            checks.check("%d added, 0 updated, 0 removed, %d unchanged" % (2000 - kept, kept) in again.stdout,
                         "the next index does not go on from the kept files: %r" % again.stdout)
            problems, held = catalog_facts(os.path.join(state, "catalog.db"))
            checks.check(not problems and len(held) == 2000, "after the resumed index: %d files, %s" %
                         (len(held), problems[:3]))
            dumb_state = os.path.join(work, "dumb-state")
            os.makedirs(dumb_state)
            tmux_dumb_terminal(checks, drvaudit, dumb_state, tree, work)
        else:
            checks.check(False, "tmux is not installed (scripts/setup installs it)")

        # kill -9 at random moments, on a smaller tree whose files change between trials.
        small = os.path.join(work, "small")
        make_tree(small, 300)
        state = os.path.join(work, "killed")
        os.makedirs(state)
        files = sorted(os.path.join(d, f) for d, _, names in os.walk(small) for f in names)
        started = time.time()
        subprocess.run([drvaudit, "--state-dir", state, "catalog", "index", small], check=True, capture_output=True)
        full_time = time.time() - started
        rng = random.Random(20261202)
        versions = {path: "1.0.%d.0" % i for i, path in enumerate(files)}
        broken = []
        for trial in range(1, trials + 1):
            for path in rng.sample(files, 60):  # new versions for a fifth of the files
                number = files.index(path)
                write_inf(path, number, trial)
                versions[path] = "1.0.%d.%d" % (number, trial)
            process = subprocess.Popen([drvaudit, "--state-dir", state, "catalog", "index", small],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0, full_time * 0.8))
            process.send_signal(signal.SIGKILL)
            process.wait()
            problems, held = catalog_facts(os.path.join(state, "catalog.db"))
            if problems:
                broken.append("trial %d: %s" % (trial, problems[:2]))
        checks.check(not broken, "%d of %d kill -9 trials left a broken catalog: %s" % (len(broken), trials, broken[:3]))
        subprocess.run([drvaudit, "--state-dir", state, "catalog", "index", small], check=True, capture_output=True)
        problems, held = catalog_facts(os.path.join(state, "catalog.db"))
        checks.check(not problems and held == versions,
                     "after the trials, one more index does not hold every file's last version (%d differ)" %
                     sum(1 for p in versions if held.get(p) != versions[p]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for f in checks.failures:
        print("FAIL:", f)
    print("%d passed, %d failed" % (checks.count - len(checks.failures), len(checks.failures)))
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
