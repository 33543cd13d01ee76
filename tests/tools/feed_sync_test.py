#!/usr/bin/env python3
"""Signed feeds end to end, with real servers on loopback only:
- a test CA and a server certificate for 127.0.0.1 made with openssl at test time,
- keys and signatures made with the real minisign tool,
- nginx serving the feed and its packages over HTTPS (ETag, Range),
- a small fault-injecting HTTPS server (connection cut mid-body, stall, 500, redirect loop).
Every server is stopped at the end, pass or fail.

usage: feed_sync_test.py DRVAUDIT INF_FOLDER
"""
import hashlib
import http.server
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

import loopback_https

DRVAUDIT, INF_FOLDER = sys.argv[1], sys.argv[2]
results = []


def check(condition, what):
    results.append((bool(condition), what))
    print(("ok   " if condition else "FAIL ") + what, flush=True)


def run(*args, **kw):
    return subprocess.run(list(args), capture_output=True, text=True, timeout=kw.pop("timeout", 120), **kw)


def catalog_state(state):
    """The catalog's bytes (database and WAL): equal means nothing was written."""
    h = hashlib.sha256()
    for name in ("catalog.db", "catalog.db-wal"):
        path = os.path.join(state, name)
        if os.path.exists(path):
            h.update(open(path, "rb").read())
    return h.hexdigest()


def search_facts(state, hwid):
    """What `catalog search --format json` says about an ID, without paths (they differ by source)."""
    out = run(DRVAUDIT, "--state-dir", state, "catalog", "search", hwid, "--format", "json")
    if out.returncode != 0:
        return None
    return sorted((e["inf"], e["driver_ver"], e["section"], e["hardware_id"], tuple(e["compatible_ids"]), e["feature_score"],
                   e["signature"], e["models_section"], e["arch"], e["description"]) for e in json.loads(out.stdout)["lines"])


class FaultHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path.startswith("/cut"):  # promises 100000 bytes, sends 1000, hangs up
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"{" * 1000)
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        elif self.path.startswith("/stall"):  # headers, then nothing
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"{")
            self.wfile.flush()
            time.sleep(8)
        elif self.path.startswith("/trickle"):  # a body at 2 bytes/s: never stalls, never finishes
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            try:
                for _ in range(60):
                    self.wfile.write(b"  ")
                    self.wfile.flush()
                    time.sleep(1)
            except OSError:
                pass
        elif self.path.startswith("/downgrade"):  # HTTPS redirecting to plain HTTP
            self.send_response(302)
            self.send_header("Location", "http://127.0.0.1:9/feed.json")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path.startswith("/error"):
            self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path.startswith("/loop"):
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()


def main():
    tmp = tempfile.mkdtemp(prefix="drvaudit-feed-")
    nginx = None
    faults = None
    try:
        www = os.path.join(tmp, "www")
        os.makedirs(www)
        # Test PKI: a CA and a server certificate for 127.0.0.1, made now.
        pki = loopback_https.make_pki(tmp)
        ca_pem, srv_pem, srv_key = pki["ca.pem"], pki["server.pem"], pki["server.key"]

        # Keys made with minisign itself; the second is the wrong one.
        key, pub, other_pub = (os.path.join(tmp, n) for n in ("feed.key", "feed.pub", "other.pub"))
        run("minisign", "-G", "-W", "-p", pub, "-s", key)
        run("minisign", "-G", "-W", "-p", other_pub, "-s", os.path.join(tmp, "other.key"))

        # The publisher: export the corpus and sign the feed.
        publisher = os.path.join(tmp, "publisher")
        feed = os.path.join(www, "feed.json")
        exported = run(DRVAUDIT, "--state-dir", publisher, "catalog", "export", INF_FOLDER, "--out", feed)
        check(exported.returncode == 0, "catalog export: " + exported.stderr.strip()[:200])
        signed = run("minisign", "-S", "-s", key, "-m", feed)
        check(signed.returncode == 0 and os.path.exists(feed + ".minisig"), "minisign -Sm feed.json")
        doc = json.load(open(feed))
        import jsonschema
        schema = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "feed.schema.json")))
        errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(doc)]
        check(not errors, "the exported feed validates against data/feed.schema.json: %s" % errors[:3])
        first = doc["packages"][0]["download"]
        zip_path = os.path.join(www, first["url"])
        check(os.path.getsize(zip_path) == first["size"] and hashlib.sha256(open(zip_path, "rb").read()).hexdigest() == first["sha256"],
              "export: package size and SHA-256 match the zip next to the feed")

        # nginx on a free loopback port, HTTPS with the test certificate.
        nginx = loopback_https.Nginx(tmp, www, pki)
        port = nginx.port
        url = nginx.url("feed.json")
        ranged = run("curl", "-s", "--cacert", ca_pem, "-r", "0-9", "-o", "/dev/null", "-w", "%{http_code}", f"https://127.0.0.1:{port}/{first['url']}")
        check(ranged.stdout == "206", "nginx serves byte ranges (206)")

        # Reference: the same folder indexed directly.
        reference = os.path.join(tmp, "reference")
        run(DRVAUDIT, "--state-dir", reference, "catalog", "index", INF_FOLDER)

        # First sync.
        client = os.path.join(tmp, "client")
        added = run(DRVAUDIT, "--state-dir", client, "catalog", "add-source", url, "--pubkey", pub, "--ca-file", ca_pem)
        check(added.returncode == 0, "add-source with --pubkey and --ca-file")
        synced = run(DRVAUDIT, "--state-dir", client, "catalog", "sync")
        check(synced.returncode == 0 and "signature OK" in synced.stdout, "first sync: " + (synced.stdout + synced.stderr).strip()[:300])
        qemu = search_facts(client, "PCI\\VEN_1B36&DEV_0002")
        check(qemu and qemu[0][0] == "qemupciserial.inf" and qemu[0][1] == "05/21/2022, 100.90.104.22100",
              "search after sync finds qemupciserial.inf 05/21/2022, 100.90.104.22100")
        ids = set()
        for p in doc["packages"]:
            for m in p["models"]:
                ids.update([m["hardware_id"]] + m["compatible_ids"])
        ids.discard("")
        same = all(search_facts(client, i) == search_facts(reference, i) for i in sorted(ids))
        check(same and len(ids) > 10, "every ID in the feed (%d) gives the same search results as indexing the folder" % len(ids))
        sources = json.loads(run(DRVAUDIT, "--state-dir", client, "catalog", "sources", "--format", "json").stdout)["sources"]
        check(sources[0]["status"] == "ok" and sources[0]["packages"] == len(doc["packages"]) and sources[0]["last_indexed"],
              "catalog sources shows the last sync, its status and the package count")

        # Unchanged: one conditional request (304), no writes.
        before = catalog_state(client)
        lines_before = len(open(nginx.access_log).readlines())
        again = run(DRVAUDIT, "--state-dir", client, "catalog", "sync")
        requests = open(nginx.access_log).readlines()[lines_before:]
        check(again.returncode == 0 and "unchanged" in again.stdout, "second sync says unchanged")
        check(len(requests) == 1 and '" 304 ' in requests[0], "second sync: one request, answered 304: %r" % requests)
        check(catalog_state(client) == before, "second sync wrote nothing")

        # Changed feed (new signature): picked up.
        doc["publisher"] = "changed"
        json.dump(doc, open(feed, "w"), indent=1)
        run("minisign", "-S", "-s", key, "-m", feed)
        changed = run(DRVAUDIT, "--state-dir", client, "catalog", "sync")
        check(changed.returncode == 0 and "signature OK" in changed.stdout, "a changed, re-signed feed is synced")

        # One byte changed after signing: refused, catalog untouched.
        before = catalog_state(client)
        raw = bytearray(open(feed, "rb").read())
        raw[raw.index(b"100.90.104.22100") + 1] ^= 0x01  # one digit of a driver version
        open(feed, "wb").write(bytes(raw))
        # nginx's ETag is mtime-size at one-second resolution: move the mtime so the server sends the
        # new bytes (with the same ETag it would answer 304 and the verified copy would stay, also safe).
        st = os.stat(feed)
        os.utime(feed, (st.st_atime, st.st_mtime + 5))
        tampered = run(DRVAUDIT, "--state-dir", client, "catalog", "sync")
        check(tampered.returncode == 1 and "signature does not match" in tampered.stderr, "tampered feed refused: " + tampered.stderr.strip()[:200])
        check(catalog_state(client) == before, "tampered feed: the catalog stays exactly as it was")
        check(search_facts(client, "PCI\\VEN_1B36&DEV_0002") == qemu, "tampered feed: search results unchanged")
        run("minisign", "-S", "-s", key, "-m", feed)  # re-sign the now valid file for what follows

        # Signed by the right key but invalid in its last package: the packages before it were already
        # streamed into the catalog's transaction; all of it is rolled back.
        before = catalog_state(client)
        valid_text = open(feed, "rb").read()
        bad = json.loads(valid_text)
        last = len(bad["packages"]) - 1
        bad["packages"][last]["download"]["sha256"] = "not-a-hash"
        json.dump(bad, open(feed, "w"), indent=1)
        run("minisign", "-S", "-s", key, "-m", feed)
        st = os.stat(feed)
        os.utime(feed, (st.st_atime, st.st_mtime + 10))
        invalid = run(DRVAUDIT, "--state-dir", client, "catalog", "sync")
        check(invalid.returncode == 1 and "/packages/%d/download/sha256" % last in invalid.stderr,
              "signed but invalid feed refused at its JSON Pointer: " + invalid.stderr.strip()[:200])
        check(catalog_state(client) == before, "signed but invalid feed: the catalog stays exactly as it was")
        check(search_facts(client, "PCI\\VEN_1B36&DEV_0002") == qemu, "signed but invalid feed: search results unchanged")
        open(feed, "wb").write(valid_text)
        run("minisign", "-S", "-s", key, "-m", feed)
        os.utime(feed, (st.st_atime, st.st_mtime + 15))

        # Wrong key.
        wrong = os.path.join(tmp, "wrong")
        run(DRVAUDIT, "--state-dir", wrong, "catalog", "add-source", url, "--pubkey", other_pub, "--ca-file", ca_pem)
        refused = run(DRVAUDIT, "--state-dir", wrong, "catalog", "sync")
        check(refused.returncode == 1 and "signed with key" in refused.stderr, "wrong key refused: " + refused.stderr.strip()[:200])
        check(search_facts(wrong, "PCI\\VEN_1B36&DEV_0002") is None, "wrong key: nothing stored")

        # Self-signed server without --ca-file: refused.
        self_url = nginx.url("feed.json", self_signed=True)
        plain = os.path.join(tmp, "selfsigned")
        run(DRVAUDIT, "--state-dir", plain, "catalog", "add-source", self_url, "--pubkey", pub)
        untrusted = run(DRVAUDIT, "--state-dir", plain, "catalog", "sync")
        check(untrusted.returncode == 1 and "not trusted" in untrusted.stderr, "self-signed server refused: " + untrusted.stderr.strip()[:200])

        # Faults, from a server that misbehaves on purpose.
        fault_port = loopback_https.free_port()
        faults = http.server.ThreadingHTTPServer(("127.0.0.1", fault_port), FaultHandler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(srv_pem, srv_key)
        faults.socket = context.wrap_socket(faults.socket, server_side=True)
        threading.Thread(target=faults.serve_forever, daemon=True).start()
        # (fault, --timeout, expected words, most seconds the sync may take)
        for path, timeout, expect, most in (
                ("cut", 3, "transfer closed", 10), ("stall", 3, "3-second deadline", 6), ("error", 3, "HTTP 500", 10),
                ("loop", 3, "redirect", 6), ("downgrade", 3, "refused a redirect from HTTPS to http://127.0.0.1:9/feed.json", 6),
                # A trickle passes any "no progress" check: the whole-sync deadline ends it...
                ("trickle", 4, "4-second deadline", 8),
                # ... and without one, the minimum speed (1 KB/s over 30 s), without a retry.
                ("trickle", 300, "less than 1024 bytes/sec", 45)):
            state = os.path.join(tmp, "fault-%s-%d" % (path, timeout))
            run(DRVAUDIT, "--state-dir", state, "catalog", "add-source", f"https://127.0.0.1:{fault_port}/{path}/feed.json",
                "--pubkey", pub, "--ca-file", ca_pem)
            before = catalog_state(state)
            started = time.time()
            out = run(DRVAUDIT, "--state-dir", state, "catalog", "sync", "--timeout", str(timeout))
            took = time.time() - started
            check(out.returncode == 1 and expect.lower() in out.stderr.lower() and took <= most,
                  "fault %s, --timeout %d: %s (%.1f s, at most %d)" % (path, timeout, out.stderr.strip()[:200], took, most))
            check(catalog_state(state) == before, "fault %s: the catalog stays as it was" % path)
    except Exception as e:
        check(False, "harness: %s: %s" % (type(e).__name__, e))
    finally:
        if faults:
            faults.shutdown()
        if nginx:
            nginx.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    failed = sum(1 for ok, _ in results if not ok)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
