"""What every Wine test shares: a fresh prefix (wineboot -i, a persistent wineserver so that
services started by one program stay running for the next), drvaudit.exe run in it with its state
in C:\\drvaudit-state, Wine's own reg.exe and sc.exe for reading the system back, and the
ok/FAIL report with its exit status."""
import os
import random
import re
import shutil
import sqlite3
import subprocess
import tempfile
import time

from checks import Checks  # noqa: F401  (the Wine tests take both from here)


class Prefix:
    def __init__(self, exe, name):
        self.exe = os.path.abspath(exe)
        self.tmp = tempfile.mkdtemp(prefix="drvaudit-wine-%s-" % name)
        self.path = os.path.join(self.tmp, "prefix")
        self.env = dict(os.environ, WINEPREFIX=self.path, WINEDEBUG="-all", WINEDLLOVERRIDES="mscoree,mshtml=",
                        NO_COLOR="1")
        self.server = None

    def create(self, persistent=False):
        subprocess.run(["wineboot", "-i"], env=self.env, capture_output=True, check=True, timeout=180)
        if persistent:
            # Without it the wineserver, and every service it runs, ends with the last program.
            self.server = subprocess.Popen(["wineserver", "-p", "-f"], env=self.env, stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL)
            # services.exe starts with the first program and keeps that program's output handles, and
            # every service it starts inherits them: started here with no pipes, it never holds one of
            # a later command's pipes open (which would make reading that command's output hang).
            subprocess.run(["wine", "sc", "query", "wuauserv"], env=self.env, stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)

    def drive_c(self, *parts):
        return os.path.join(self.path, "drive_c", *parts)

    def wine(self, *args, timeout=300):
        return subprocess.run(["wine", *args], env=self.env, capture_output=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)

    def drvaudit_argv(self, *args):
        return ["wine", self.exe, "--state-dir", "C:\\drvaudit-state", *args]

    def drvaudit(self, *args, timeout=300):
        return self.wine(self.exe, "--state-dir", "C:\\drvaudit-state", *args, timeout=timeout)

    def reg_value(self, key, name):
        """(type, data) as reg.exe shows them, or None when the value is absent."""
        p = self.wine("reg", "query", key, "/v", name)
        out = p.stdout.decode("utf-8", errors="replace")
        m = re.search(r"^\s*%s\s+(REG_\w+)\s*(.*?)\s*$" % re.escape(name), out, re.M | re.I)
        return (m.group(1), m.group(2)) if p.returncode == 0 and m else None

    def reg_key_exists(self, key):
        return self.wine("reg", "query", key).returncode == 0

    def wait_for_service(self, name, state, seconds=60):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if self.service_state(name) == state:
                return True
            time.sleep(0.5)
        return False

    def service_state(self, name):
        out = self.wine("sc", "query", name).stdout.decode("utf-8", errors="replace")
        m = re.search(r"STATE\s+:\s+\d+\s+(\w+)", out)
        return m.group(1) if m else None

    def wait_for_started_step(self, proc, seconds=60):
        """Waits until drvaudit's journal (read from Linux, read-only) says a step of a running
        operation has started, or the process ended: the moment a kill -9 trial starts its clock."""
        journal_db = self.drive_c("drvaudit-state", "journal.db")
        deadline = time.time() + seconds
        while time.time() < deadline and proc.poll() is None:
            try:
                with sqlite3.connect("file:%s?mode=ro" % journal_db, uri=True, timeout=0.1) as db:
                    if db.execute("SELECT count(*) FROM steps s JOIN operations o ON o.id = s.operation_id "
                                  "WHERE o.state = 'running' AND s.state = 'started'").fetchone()[0]:
                        return
            except sqlite3.Error:
                pass
            time.sleep(0.01)

    def kill_trials(self, argv, after_kill, wanted=10, most=60, window=0.15, seed=12):
        """kill -9 drvaudit at a random moment after the journal says a step started, until `wanted`
        kills landed in the middle of an operation or `most` trials ran. after_kill(trial) checks the
        aftermath and says whether the operation was left unfinished. A trial that ran to its end
        halves the window the moment is drawn from: how long a step takes depends on the machine
        (the same Wine step takes a tenth of the time on an idle machine as on a loaded one), and a
        fixed window made the count of mid-operation kills depend on it. Returns that count."""
        rng = random.Random(seed)
        interrupted = 0
        for trial in range(most):
            if interrupted >= wanted:
                break
            proc = subprocess.Popen(self.drvaudit_argv(*argv), env=self.env, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.wait_for_started_step(proc)
            time.sleep(rng.uniform(0, window))
            try:
                os.kill(proc.pid, 9)
            except ProcessLookupError:
                pass
            proc.wait()
            if after_kill(trial):
                interrupted += 1
            else:
                window /= 2
        return interrupted

    def close(self):
        subprocess.run(["wineserver", "-k"], env=self.env, capture_output=True)
        if self.server is not None:
            try:
                self.server.wait(10)
            except subprocess.TimeoutExpired:
                self.server.kill()
        shutil.rmtree(self.tmp, ignore_errors=True)
