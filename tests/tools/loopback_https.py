"""Loopback HTTPS for tests and benchmarks: a test CA and certificates made with openssl, and nginx
serving a folder on a free 127.0.0.1 port. Nothing leaves the machine."""
import os
import socket
import subprocess
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def openssl(*args):
    subprocess.run(["openssl", *args], capture_output=True, check=True, timeout=60)


def make_pki(folder):
    """A CA, a server certificate for 127.0.0.1 signed by it, and a self-signed one. Returns paths."""
    p = {n: os.path.join(folder, n) for n in ("ca.key", "ca.pem", "server.key", "server.csr", "server.pem", "self.key", "self.pem", "san.ext")}
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", p["ca.key"], "-out", p["ca.pem"], "-days", "2", "-subj", "/CN=drvaudit test CA")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", p["server.key"], "-out", p["server.csr"], "-subj", "/CN=127.0.0.1")
    open(p["san.ext"], "w").write("subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n")
    openssl("x509", "-req", "-in", p["server.csr"], "-CA", p["ca.pem"], "-CAkey", p["ca.key"], "-CAcreateserial", "-out", p["server.pem"],
            "-days", "2", "-extfile", p["san.ext"])
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", p["self.key"], "-out", p["self.pem"], "-days", "2",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1")
    return p


class Nginx:
    """nginx serving root over HTTPS on loopback: one server with the CA-signed certificate and one
    with the self-signed certificate. Stop it with stop(), also on failure."""

    def __init__(self, folder, root, pki, extra=""):
        self.folder = folder
        self.port, self.self_signed_port = free_port(), free_port()
        self.access_log = os.path.join(folder, "access.log")
        self.bytes_log = os.path.join(folder, "bytes.log")  # method, path, status, body bytes sent, Range, "If-Range"
        conf = os.path.join(folder, "nginx.conf")
        user = "user root;" if os.geteuid() == 0 else ""
        temp = " ".join(f"{k}_temp_path {folder}/{k};" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        open(conf, "w").write(f"""{user}
worker_processes 1; daemon off; pid {folder}/nginx.pid; error_log {folder}/error.log;
events {{ worker_connections 64; }}
http {{
  log_format bytes '$request_method $uri $status $body_bytes_sent $http_range "$http_if_range"';
  access_log {self.access_log}; access_log {folder}/bytes.log bytes; {temp}
  types {{ application/json json; application/zip zip; application/vnd.ms-cab-compressed cab; text/plain minisig; }}
  {extra}
  server {{ listen 127.0.0.1:{self.port} ssl; ssl_certificate {pki["server.pem"]}; ssl_certificate_key {pki["server.key"]}; root {root}; etag on; }}
  server {{ listen 127.0.0.1:{self.self_signed_port} ssl; ssl_certificate {pki["self.pem"]}; ssl_certificate_key {pki["self.key"]}; root {root}; }}
}}
""")
        self.process = subprocess.Popen(["nginx", "-c", conf, "-e", os.path.join(folder, "error.log")], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("nginx did not start: " + open(os.path.join(folder, "error.log")).read()[-500:])

    def url(self, path, self_signed=False):
        return "https://127.0.0.1:%d/%s" % (self.self_signed_port if self_signed else self.port, path)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
