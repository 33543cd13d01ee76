#!/usr/bin/env python3
"""Writes a Windows security catalog (.cat) listing files by their SHA-1 or SHA-256, signed with
OpenSSL (CMS SignedData around a certificate trust list), as MakeCat/Inf2Cat do with a real key.

usage: make_catalog.py OUT.cat --signer "CN" [--sha256] FILE...

The signing key and self-signed certificate are made for the call and thrown away: the catalog
proves membership, and its chain is one no Windows trusts (a test publisher)."""
import argparse
import hashlib
import os
import subprocess
import tempfile


def tlv(tag, content):
    n = len(content)
    if n < 0x80:
        length = bytes([n])
    else:
        raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(raw)]) + raw
    return bytes([tag]) + length + content


def oid(dotted):
    parts = [int(p) for p in dotted.split(".")]
    body = bytes([parts[0] * 40 + parts[1]])
    for v in parts[2:]:
        chunk = [v & 0x7F]
        v >>= 7
        while v:
            chunk.insert(0, 0x80 | (v & 0x7F))
            v >>= 7
        body += bytes(chunk)
    return tlv(0x06, body)


def seq(*items):
    return tlv(0x30, b"".join(items))


def set_of(*items):
    return tlv(0x31, b"".join(items))


NULL = b"\x05\x00"


def trust_list(files, sha256):
    algorithm = seq(oid("2.16.840.1.101.3.4.2.1" if sha256 else "1.3.14.3.2.26"), NULL)
    members = b""
    for path in sorted(files):
        data = open(path, "rb").read()
        digest = (hashlib.sha256 if sha256 else hashlib.sha1)(data).digest()
        tag = (digest.hex().upper() + "\0").encode("utf-16-le")
        indirect = seq(seq(oid("1.3.6.1.4.1.311.2.1.25"), NULL), seq(algorithm, tlv(0x04, digest)))
        name_value = seq(tlv(0x1E, "File".encode("utf-16-be")), tlv(0x02, b"\x10\x01\x00\x01"),
                         tlv(0x04, (os.path.basename(path).lower() + "\0").encode("utf-16-le")))
        attributes = set_of(seq(oid("1.3.6.1.4.1.311.2.1.4"), set_of(indirect)),
                            seq(oid("1.3.6.1.4.1.311.12.2.1"), set_of(name_value)))
        members += seq(tlv(0x04, tag), attributes)
    return seq(seq(oid("1.3.6.1.4.1.311.12.1.1")), tlv(0x04, hashlib.md5(members).digest()),
               tlv(0x17, b"240521101112Z"), seq(oid("1.3.6.1.4.1.311.12.1.2"), NULL), tlv(0x30, members))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("files", nargs="+")
    parser.add_argument("--signer", required=True)
    parser.add_argument("--sha256", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ctl = os.path.join(tmp, "ctl.der")
        with open(ctl, "wb") as f:
            f.write(trust_list(args.files, args.sha256))
        key, cert = os.path.join(tmp, "key.pem"), os.path.join(tmp, "cert.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                        "-keyout", key, "-out", cert, "-days", "3650", "-subj", "/CN=" + args.signer],
                       check=True, capture_output=True)
        subprocess.run(["openssl", "cms", "-sign", "-binary", "-nodetach", "-outform", "DER", "-nosmimecap",
                        "-econtent_type", "1.3.6.1.4.1.311.10.1", "-md", "sha256", "-in", ctl, "-signer", cert,
                        "-inkey", key, "-out", args.out], check=True, capture_output=True)


if __name__ == "__main__":
    main()
