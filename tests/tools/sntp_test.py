#!/usr/bin/env python3
"""The clock check of `repair diagnose` against real servers on loopback:

- a real chronyd (port on a free high port, `allow 127.0.0.1`, `local stratum 8`, started with -x so
  that it never touches this machine's clock, stopped by the test): the clock is ok, offset within
  1 s, stratum 8;
- a small fault server that answers 1 hour ahead, with the wrong mode, an unknown version, a
  kiss-of-death, a truncated packet, a reply to somebody else's request, or nothing at all: each
  gives its own diagnosis, and none makes drvaudit hang (the silent one ends at --ntp-timeout).

usage: sntp_test.py DRVAUDIT
"""
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import Checks  # noqa: E402

NTP_EPOCH = 2208988800


def free_udp_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def ntp_stamp(t):
    return (int(t) + NTP_EPOCH) << 32 | int((t % 1) * (1 << 32))


class FaultServer(threading.Thread):
    """Answers each request the way `mode` says."""

    def __init__(self, mode):
        super().__init__(daemon=True)
        self.mode = mode
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.sock.settimeout(0.2)
        self.stop = False
        self.requests = 0

    def run(self):
        while not self.stop:
            try:
                data, peer = self.sock.recvfrom(1024)
            except socket.timeout:
                continue
            self.requests += 1
            if len(data) < 48 or self.mode == "silent":
                continue
            originate = data[40:48]
            now = time.time()
            li, vn, mode, stratum, refid = 0, 4, 4, 2, b"GPS\0"
            shift = 0
            if self.mode == "ahead":
                shift = 3600
            elif self.mode == "bad-mode":
                mode = 3
            elif self.mode == "bad-version":
                vn = 7
            elif self.mode == "kod":
                stratum, refid = 0, b"RATE"
            elif self.mode == "unsynchronized":
                li = 3
            elif self.mode == "wrong-originate":
                originate = struct.pack("!Q", ntp_stamp(now - 1000))
            elif self.mode == "stratum-16":
                stratum = 16
            elif self.mode == "stratum-255":
                stratum = 255
            stamp = struct.pack("!Q", ntp_stamp(now + shift))
            receive = bytes(8) if self.mode == "zero-receive" else stamp
            reply = bytes([li << 6 | vn << 3 | mode, stratum, 6, 0xE9]) + bytes(8) + refid + stamp + originate + receive + stamp
            if self.mode == "garbage-first":
                # A forged or stray datagram first (another request's answer, then noise): the client
                # must keep waiting for the server's real reply.
                wrong = struct.pack("!Q", ntp_stamp(now - 5000))
                self.sock.sendto(reply[:24] + wrong + reply[32:], peer)
                self.sock.sendto(b"\xff" * 48, peer)
                time.sleep(0.05)
            if self.mode == "truncated":
                reply = reply[:31]
            self.sock.sendto(reply, peer)

    def close(self):
        self.stop = True
        self.join(2)
        self.sock.close()


def main():
    exe = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp(prefix="drvaudit-sntp-")
    c = Checks()
    check = c.check

    def diagnose(server, timeout="1"):
        start = time.monotonic()
        p = subprocess.run([exe, "--state-dir", os.path.join(tmp, "state"), "repair", "diagnose", "--ntp-server", server,
                            "--ntp-timeout", timeout, "--format", "json"], capture_output=True, timeout=60,
                           stdin=subprocess.DEVNULL)
        elapsed = time.monotonic() - start
        doc = json.loads(p.stdout) if p.stdout.strip() else {}
        clock = next((c for c in doc.get("checks", []) if c["id"] == "clock"), {})
        return p.returncode, clock, elapsed, doc, p.stderr.decode("utf-8", "replace")

    chronyd = None
    try:
        # A real NTP server: chronyd on a free loopback port, serving its local clock at stratum 8.
        port = free_udp_port()
        conf = os.path.join(tmp, "chrony.conf")
        with open(conf, "w") as f:
            f.write("port %d\nbindaddress 127.0.0.1\nallow 127.0.0.1\nlocal stratum 8\ncmdport 0\n"
                    "pidfile %s/chronyd.pid\ndriftfile %s/drift\n" % (port, tmp, tmp))
        user = ["-u", "root"] if os.geteuid() == 0 else []
        chronyd = subprocess.Popen(["chronyd", "-x", "-d", "-f", conf, *user], stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT)
        time.sleep(1.0)
        check(chronyd.poll() is None, "chronyd runs on 127.0.0.1:%d (-x: it never sets this clock)" % port)
        code, clock, elapsed, doc, err = diagnose("127.0.0.1:%d" % port, "3")
        check(code == 0, "diagnose against chronyd: exit 0 (nothing wrong), got %d: %s" % (code, err.strip()))
        check(clock.get("status") == "ok", "clock: ok: %r" % clock.get("evidence"))
        offset = clock.get("facts", {}).get("offset_seconds")
        check(offset is not None and abs(offset) < 1.0, "offset within 1 s of chronyd: %r" % offset)
        check(clock.get("facts", {}).get("stratum") == 8, "chronyd's stratum 8 is read: %r" % clock.get("facts"))
        check(doc.get("windows_checks") is False and [c["id"] for c in doc.get("checks", [])] == ["clock"],
              "on Linux only the clock is checked: %r" % [c["id"] for c in doc.get("checks", [])])
        table = subprocess.run([exe, "--state-dir", os.path.join(tmp, "state"), "repair", "diagnose", "--ntp-server",
                                "127.0.0.1:%d" % port], capture_output=True, timeout=60).stdout.decode()
        check("do not apply on Linux" in table and "ok" in table, "the table says the Windows checks do not apply")
        chronyd.send_signal(signal.SIGTERM)
        chronyd.wait(10)
        chronyd = None
        code, clock, elapsed, doc, err = diagnose("127.0.0.1:%d" % port)
        check(clock.get("status") == "unknown" and clock.get("facts", {}).get("status") in ("unreachable", "timeout"),
              "chronyd stopped: unknown, %r" % clock.get("evidence"))

        expected = {
            "ahead": ("problem", "ok", "behind"),
            "bad-mode": ("unknown", "bad-reply", "mode 3"),
            "bad-version": ("unknown", "bad-reply", "version 7"),
            "kod": ("unknown", "kiss-of-death", "RATE"),
            "unsynchronized": ("unknown", "unsynchronized", "not synchronized"),
            "truncated": ("unknown", "bad-reply", "31"),
            "wrong-originate": ("unknown", "bad-reply", "originate"),
            "silent": ("unknown", "timeout", "no reply"),
            "stratum-16": ("unknown", "unsynchronized", "stratum 16"),
            "stratum-255": ("unknown", "bad-reply", "stratum 255"),
            "zero-receive": ("unknown", "bad-reply", "receive timestamp"),
            "garbage-first": ("ok", "ok", ""),
        }
        for mode, (status, sntp_status, words) in expected.items():
            server = FaultServer(mode)
            server.start()
            try:
                code, clock, elapsed, doc, err = diagnose("127.0.0.1:%d" % server.port)
            finally:
                server.close()
            check(clock.get("status") == status and clock.get("facts", {}).get("status") == sntp_status
                  and words in clock.get("evidence", ""),
                  "%s: %s (%s), evidence %r" % (mode, status, sntp_status, clock.get("evidence")))
            check(elapsed < 10, "%s: drvaudit did not hang (%.1f s)" % (mode, elapsed))
            if mode == "ahead":
                offset = clock.get("facts", {}).get("offset_seconds") or 0
                check(abs(offset - 3600) < 1, "1 hour ahead: offset %.3f s" % offset)
                check(code == 11, "a clock 1 hour off is a problem: exit 11, got %d" % code)
                check(clock.get("step") == "clock", "and the clock step fixes it: %r" % clock.get("step"))
            if mode == "silent":
                check(0.9 < elapsed < 5, "no answer ends at --ntp-timeout 1: %.1f s" % elapsed)

        bad = subprocess.run([exe, "repair", "diagnose", "--ntp-server", "host:99999"], capture_output=True, timeout=30)
        check(bad.returncode == 2 and b"bad port" in bad.stderr, "a bad --ntp-server is a usage error (exit 2)")
        wu = subprocess.run([exe, "repair", "windows-update", "--dry-run"], capture_output=True, timeout=30)
        check(wu.returncode == 3 and b"this is" in wu.stderr, "repair windows-update on Linux: exit 3, said in words: %r"
              % wu.stderr.decode()[-200:])
    except Exception as e:  # a crash of the harness is a failure, reported like the others
        c.crashed(e)
    finally:
        if chronyd is not None:
            chronyd.kill()
            chronyd.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
