#!/usr/bin/env python3
"""Feed sync benchmark (issue 5): a generated, signed feed of 100,000 packages served by nginx over
HTTPS on loopback. Measures parse + store in-process with bench/feed_load (target <= 2 s), the first
sync as a whole process (download, signature check, parse, store) with its peak memory, and the
unchanged sync (one conditional request answered 304: target <= 50 ms) with hyperfine. Everything runs
on one core (taskset -c 0).

usage: bench/feed_sync_bench.py [BUILD_DIR] [PACKAGES]
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "tools"))
import loopback_https  # noqa: E402


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    drvaudit = os.path.abspath(os.path.join(build, "ui-cli", "drvaudit"))
    tmp = tempfile.mkdtemp(prefix="drvaudit-feed-bench-")
    nginx = None
    try:
        www = os.path.join(tmp, "www")
        os.makedirs(www)
        packages = []
        for i in range(count):
            ven, dev = 0x1000 + i % 3000, i // 3000
            model = {"manufacturer": "Vendor", "manufacturer_line": 10, "description": "Device %d" % i,
                     "models_section": "M.NTamd64", "decoration": "NTamd64", "line_decorations": ["NTamd64"], "arch": "amd64",
                     "install_section": "Inst", "ddinstall_section": "Inst.NT", "nt_extension": True,
                     "hardware_id": "PCI\\VEN_%04X&DEV_%04X&SUBSYS_%08X" % (ven, dev, i), "compatible_ids": ["PCI\\VEN_%04X&DEV_%04X" % (ven, dev)],
                     "feature_score": 255, "line": 20, "driver_date": "2024-01-%02d" % (1 + i % 28), "driver_version": "1.0.%d.0" % (i % 60000)}
            packages.append({"inf": "p%d.inf" % i, "path": "p%d.inf" % i, "provider": "Vendor", "class": "Net",
                             "class_guid": "{4d36e972-e325-11ce-bfc1-08002be10318}", "signatures": [{"arch": "amd64", "catalog_file": "p.cat", "status": "signed", "signer": "Vendor", "signed_at": ""}],
                             "driver_date": model["driver_date"], "driver_version": model["driver_version"], "architectures": ["amd64"],
                             "models": [model], "download": {"url": "packages/p%d.zip" % i, "size": 1000, "sha256": "a" * 64, "format": "zip"}})
        feed = os.path.join(www, "feed.json")
        json.dump({"schema": "drvaudit-feed/2", "publisher": "bench", "generated_at": "2026-11-21T00:00:00Z",
                   "packages": packages}, open(feed, "w"))
        key, pub = os.path.join(tmp, "k.key"), os.path.join(tmp, "k.pub")
        subprocess.run(["minisign", "-G", "-W", "-p", pub, "-s", key], capture_output=True, check=True)
        subprocess.run(["minisign", "-S", "-s", key, "-m", feed], capture_output=True, check=True)
        pki = loopback_https.make_pki(tmp)
        nginx = loopback_https.Nginx(tmp, www, pki)
        state = os.path.join(tmp, "state")
        subprocess.run([drvaudit, "--state-dir", state, "catalog", "add-source", nginx.url("feed.json"), "--pubkey", pub,
                        "--ca-file", pki["ca.pem"]], capture_output=True, check=True)
        print("feed: %d packages, %.1f MB" % (count, os.path.getsize(feed) / 1e6))
        load = subprocess.run(["taskset", "-c", "0", os.path.abspath(os.path.join(build, "bench", "feed_load")), feed,
                               os.path.join(tmp, "load.db"), "5"], capture_output=True, text=True, check=True)
        print(load.stdout.strip())
        started = time.perf_counter()
        rss_file = os.path.join(tmp, "rss")
        first = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_file, "taskset", "-c", "0", drvaudit, "--state-dir", state,
                                "catalog", "sync"], capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        peak = int(open(rss_file).read().split()[-1]) / 1024
        print("first sync (download, verify, parse, store): %.2f s, peak RSS %.0f MiB -> %s"
              % (elapsed, peak, (first.stdout + first.stderr).strip()[:120]))
        subprocess.run(["hyperfine", "-N", "--warmup", "3", "--runs", "30",
                        "taskset -c 0 %s --state-dir %s catalog sync" % (drvaudit, state)])
    finally:
        if nginx:
            nginx.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
