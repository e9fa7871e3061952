#!/usr/bin/env python3
"""Regenerates the seed corpora corpus/{request,response,chunked,differential}/ from the parser
test tables (tests/test_parser_*.c, via the C preprocessor), tests/data/messages/*.http and the
hand-written edge cases below. Seeds are named seed-*; files that libFuzzer merged in (SHA-1
names) and corpus/regressions/ are left alone. corpus/spec/ is kept by hand (see docs/fuzzing.md).

    python3 fuzz/make_seeds.py            # from the repository root
"""
import glob
import hashlib
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "corpus")
LENIENT_ALL = (1 << 11) - 1

# --- C string literals -------------------------------------------------------------------------
ESC = {"n": 10, "r": 13, "t": 9, "v": 11, "f": 12, "a": 7, "b": 8, "\\": 92, '"': 34, "'": 39,
       "?": 63, "e": 27}


def c_string(body):
    """Decodes the inside of one C string literal (C rules: \\x takes every hex digit)."""
    out, i = bytearray(), 0
    while i < len(body):
        ch = body[i]
        if ch != "\\":
            out += ch.encode("latin-1")
            i += 1
            continue
        i += 1
        ch = body[i]
        if ch == "x":
            j = i + 1
            while j < len(body) and body[j] in "0123456789abcdefABCDEF":
                j += 1
            out.append(int(body[i + 1:j], 16) & 0xFF)
            i = j
        elif ch in "01234567":
            j = i
            while j < len(body) and j < i + 3 and body[j] in "01234567":
                j += 1
            out.append(int(body[i:j], 8) & 0xFF)
            i = j
        else:
            out.append(ESC[ch])
            i += 1
    return bytes(out)


LIT = re.compile(r'"((?:[^"\\]|\\.)*)"')
ROW = re.compile(r'\.in = \(((?:\s*"(?:[^"\\]|\\.)*")+)\s*\)')


def table_rows():
    """Yields (file, kind, method, lenient, bytes) for every row of the parser test tables."""
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "test_parser_*.c"))):
        text = subprocess.run(["cc", "-E", "-P", "-I", os.path.join(ROOT, "tests", "support"),
                               "-I", os.path.join(ROOT, "parsers"), path], check=True,
                              capture_output=True, text=True, encoding="latin-1").stdout
        matches = list(ROW.finditer(text))
        for k, m in enumerate(matches):
            data = b"".join(c_string(s) for s in LIT.findall(m.group(1)))
            end = matches[k + 1].start() if k + 1 < len(matches) else len(text)
            rest = text[m.end():end]
            rest = rest[:rest.find("}")] if "}" in rest else rest
            kind = "response" if ".kind = H1_RESPONSE" in rest else "request"
            req = re.search(r'\.req = "([^"]*)"', rest)
            lenient = 0
            lm = re.search(r"\.lenient = ([A-Z_ |]+)", rest)
            if lm:
                lenient = LENIENT_ALL  # any bit named: seed the lenient mode
            yield (os.path.basename(path)[len("test_parser_"):-2], kind,
                   req.group(1) if req else None, lenient, data)


# --- hand-written edge cases -------------------------------------------------------------------
H = "Host: a\r\n"
REQ = [
    ("cl-te", b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nX"),
    ("te-cl", b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n"),
    ("te-xchunked", b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n"),
    ("te-space-colon", b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n"),
    ("te-tab", b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\tchunked\r\n\r\n0\r\n\r\n"),
    ("te-obs-fold", b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n"),
    ("te-twice-case", b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-encoding: x\r\n\r\n"),
    ("te-lf-colon", b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding\n: chunked\r\n\r\n0\r\n\r\n"),
    ("te-vt", b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\x0bchunked\r\n\r\n0\r\n\r\n"),
    ("te-http10", b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"),
    ("cl-double-same", b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc"),
    ("cl-list", b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\n\r\nabc"),
    ("cl-conflict", b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"),
    ("cl-plus", b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +3\r\n\r\nabc"),
    ("cl-negative", b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n"),
    ("cl-zeros", b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0003\r\n\r\nabc"),
    ("cl-huge", b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n"),
    ("cl-2p63", b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9223372036854775808\r\n\r\n"),
    ("cl-2p63-1", b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9223372036854775807\r\n\r\nab"),
    ("cl-hex", b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x10\r\n\r\n"),
    ("cl-empty", b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n"),
    ("bare-lf", b"GET / HTTP/1.1\nHost: a\n\n"),
    ("bare-cr", b"GET / HTTP/1.1\rHost: a\r\n\r\n"),
    ("bare-cr-value", b"GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n"),
    ("leading-crlf", b"\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"),
    ("leading-lf", b"\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"),
    ("ws-after-start", b"GET / HTTP/1.1\r\n X: y\r\nHost: a\r\n\r\n"),
    ("request-line-ws", b"GET  /  HTTP/1.1\r\nHost: a\r\n\r\n"),
    ("request-line-tab", b"GET\t/\tHTTP/1.1\r\nHost: a\r\n\r\n"),
    ("trailing-sp", b"GET / HTTP/1.1 \r\nHost: a\r\n\r\n"),
    ("nul-value", b"GET / HTTP/1.1\r\nHost: a\r\nX: a\x00b\r\n\r\n"),
    ("del-value", b"GET / HTTP/1.1\r\nHost: a\r\nX: a\x7fb\r\n\r\n"),
    ("obs-text", b"GET / HTTP/1.1\r\nHost: a\r\nX: caf\xe9\r\n\r\n"),
    ("obs-fold", b"GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n  b\r\n\tc\r\n\r\n"),
    ("no-colon", b"GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n"),
    ("empty-name", b"GET / HTTP/1.1\r\nHost: a\r\n: v\r\n\r\n"),
    ("space-before-colon", b"GET / HTTP/1.1\r\nHost : a\r\n\r\n"),
    ("name-char", b"GET / HTTP/1.1\r\nHost: a\r\nX(y): z\r\n\r\n"),
    ("absolute-form", b"GET http://a.example:8080/p?q=1 HTTP/1.1\r\nHost: a.example:8080\r\n\r\n"),
    ("authority-form", b"CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:443\r\n\r\n"),
    ("connect-no-port", b"CONNECT a.example HTTP/1.1\r\nHost: a.example\r\n\r\n"),
    ("asterisk", b"OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n"),
    ("asterisk-get", b"GET * HTTP/1.1\r\nHost: a\r\n\r\n"),
    ("pct-bad", b"GET /%zz HTTP/1.1\r\nHost: a\r\n\r\n"),
    ("pct-ok", b"GET /a%20b?c=%2F HTTP/1.1\r\nHost: a\r\n\r\n"),
    ("fragment", b"GET /a#frag HTTP/1.1\r\nHost: a\r\n\r\n"),
    ("target-utf8", b"GET /\xc3\xa9 HTTP/1.1\r\nHost: a\r\n\r\n"),
    ("http2", b"GET / HTTP/2.0\r\nHost: a\r\n\r\n"),
    ("http19", b"GET / HTTP/1.9\r\nHost: a\r\n\r\n"),
    ("http-lower", b"GET / http/1.1\r\nHost: a\r\n\r\n"),
    ("http10-no-host", b"GET / HTTP/1.0\r\n\r\n"),
    ("http10-keep-alive", b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"),
    ("no-host", b"GET / HTTP/1.1\r\n\r\n"),
    ("two-hosts", b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
    ("host-ipv6", b"GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n"),
    ("host-bad", b"GET / HTTP/1.1\r\nHost: a b\r\n\r\n"),
    ("host-userinfo", b"GET / HTTP/1.1\r\nHost: u@a\r\n\r\n"),
    ("host-empty", b"GET / HTTP/1.1\r\nHost:\r\n\r\n"),
    ("expect-upgrade", b"POST /up HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nConnection: Upgrade, close\r\nUpgrade: websocket\r\nContent-Length: 2\r\n\r\nhi"),
    ("method-lower", b"get / HTTP/1.1\r\nHost: a\r\n\r\n"),
    ("method-odd", b"M-SEARCH * HTTP/1.1\r\nHost: a\r\n\r\n"),
    ("method-bad", b"G(T / HTTP/1.1\r\nHost: a\r\n\r\n"),
    ("pipeline", b"GET /1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\nxGET /3 HTTP/1.1\r\nHost: a\r\n\r\n"),
    ("pipeline-chunked", b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"),
    ("chunk-ext", b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;a=b;c=\"d\\\"e\" ; f\r\nabc\r\n0;last\r\n\r\n"),
    ("chunk-trailers", b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-Sum: 1\r\nY: 2\r\n\r\n"),
    ("chunk-overflow", b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n"),
    ("chunk-big", b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n7fffffffffffffff\r\nab"),
    ("chunk-no-crlf", b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n"),
    ("chunk-0x", b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0x3\r\nabc\r\n0\r\n\r\n"),
    ("chunk-lf", b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\n0\n\n"),
    ("gzip-chunked", b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"),
    ("many-headers", b"GET / HTTP/1.1\r\nHost: a\r\n" + b"".join(b"X-%d: %d\r\n" % (i, i) for i in range(110)) + b"\r\n"),
    ("long-value", b"GET / HTTP/1.1\r\nHost: a\r\nX: " + b"v" * 3000 + b"\r\n\r\n"),
    ("long-target", b"GET /" + b"a" * 300 + b" HTTP/1.1\r\nHost: a\r\n\r\n"),
    ("incomplete", b"GET / HTTP/1.1\r\nHost: a\r\n"),
    ("cl-short-body", b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc"),
]
RESP = [
    ("100-200", "G", b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"),
    ("101", "G", b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x00"),
    ("103-200", "G", b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
    ("204-cl", "G", b"HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello"),
    ("304-te", "G", b"HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n"),
    ("head-cl", "H", b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"),
    ("head-chunked", "H", b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
    ("connect-200", "C", b"HTTP/1.1 200 Connection Established\r\nContent-Length: 5\r\n\r\n\x16\x03\x01\x00\x05"),
    ("connect-407", "C", b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 3\r\n\r\nabc"),
    ("close", "G", b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nbody until close"),
    ("http10-close", "G", b"HTTP/1.0 200 OK\r\n\r\nold"),
    ("http10-keep-alive", "G", b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok"),
    ("chunked-trailers", "G", b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n5;ext=1\r\nhello\r\n0\r\nX-Sum: 5\r\n\r\n"),
    ("te-gzip-close", "G", b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n\x1f\x8b"),
    ("cl-te", "G", b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
    ("cl-repeated", "G", b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok"),
    ("cl-conflict", "G", b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok"),
    ("status-600", "G", b"HTTP/1.1 600 Odd\r\n\r\n"),
    ("status-099", "G", b"HTTP/1.1 099 Low\r\n\r\n"),
    ("status-2digit", "G", b"HTTP/1.1 20 OK\r\n\r\n"),
    ("no-reason", "G", b"HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n"),
    ("empty-reason", "G", b"HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n"),
    ("reason-ctl", "G", b"HTTP/1.1 200 O\x01K\r\nContent-Length: 0\r\n\r\n"),
    ("reason-obs-text", "G", b"HTTP/1.1 200 \xc3\x9cberall\r\nContent-Length: 0\r\n\r\n"),
    ("space-before-colon", "G", b"HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\nok"),
    ("obs-fold", "G", b"HTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 0\r\n\r\n"),
    ("bare-lf", "G", b"HTTP/1.1 200 OK\nContent-Length: 2\n\nok"),
    ("http2", "G", b"HTTP/2 200\r\n\r\n"),
    ("set-cookies", "G", b"HTTP/1.1 302 Found\r\nLocation: /x\r\nSet-Cookie: a=1; Path=/\r\nSet-Cookie: b=2; HttpOnly\r\nContent-Length: 0\r\n\r\n"),
    ("none", "-", b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"),
    ("options", "O", b"HTTP/1.1 200 OK\r\nAllow: GET, HEAD\r\nContent-Length: 0\r\n\r\n"),
    ("post-201", "P", b"HTTP/1.1 201 Created\r\nLocation: /n/1\r\nContent-Length: 0\r\n\r\n"),
]
CHUNKED = [
    ("simple", b"5\r\nhello\r\n0\r\n\r\n"),
    ("two", b"3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n"),
    ("upper-hex", b"A\r\n0123456789\r\n0\r\n\r\n"),
    ("leading-zeros", b"0005\r\nhello\r\n000\r\n\r\n"),
    ("ext", b"5;name=value\r\nhello\r\n0;x\r\n\r\n"),
    ("ext-quoted", b"5;a=\"b;c\\\"d\"\r\nhello\r\n0\r\n\r\n"),
    ("ext-bws", b"5 ; a = b\r\nhello\r\n0\r\n\r\n"),
    ("ext-bad", b"5;=x\r\nhello\r\n0\r\n\r\n"),
    ("ext-long", b"5;" + b"a" * 40 + b"\r\nhello\r\n0\r\n\r\n"),
    ("trailers", b"5\r\nhello\r\n0\r\nX-Sum: 5\r\nX-Other: y\r\n\r\n"),
    ("trailer-obs-fold", b"0\r\nX: a\r\n b\r\n\r\n"),
    ("trailer-no-colon", b"0\r\nX\r\n\r\n"),
    ("trailer-long", b"0\r\nX: " + b"t" * 100 + b"\r\n\r\n"),
    ("overflow", b"10000000000000000\r\n"),
    ("max", b"7fffffffffffffff\r\nabc"),
    ("size-2p63", b"8000000000000000\r\n"),
    ("bad-size", b"g\r\n"),
    ("empty-size", b"\r\nabc\r\n0\r\n\r\n"),
    ("neg", b"-1\r\n"),
    ("0x", b"0x5\r\nhello\r\n0\r\n\r\n"),
    ("no-crlf-after-data", b"3\r\nabcd\r\n0\r\n\r\n"),
    ("lf-only", b"3\nabc\n0\n\n"),
    ("bare-cr", b"3\rabc\r\n0\r\n\r\n"),
    ("space-size", b" 3\r\nabc\r\n0\r\n\r\n"),
    ("size-space", b"3 \r\nabc\r\n0\r\n\r\n"),
    ("truncated", b"5\r\nhel"),
    ("truncated-trailer", b"0\r\nX: y\r\n"),
    ("no-last", b"3\r\nabc\r\n"),
    ("next-message", b"1\r\nx\r\n0\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"),
    ("binary", b"4\r\n\x00\xff\r\n\r\n0\r\n\r\n"),
    ("many", b"".join(b"1\r\n%c\r\n" % (65 + i % 26) for i in range(60)) + b"0\r\n\r\n"),
]


def write(target, name, data, written):
    path = os.path.join(CORPUS, target, "seed-" + name)
    digest = hashlib.sha1(data).hexdigest()
    if digest in written[target]:
        return
    written[target].add(digest)
    with open(path, "wb") as f:
        f.write(data)


def chunked_body(msg):
    head, sep, body = msg.partition(b"\r\n\r\n")
    if sep and re.search(rb"(?im)^transfer-encoding:[^\r\n]*chunked", head):
        return body
    return None


METHOD_LETTER = {"HEAD": "H", "CONNECT": "C", "POST": "P", "OPTIONS": "O", "GET": "G"}
DIFF_METHOD = {"GET": 0, "HEAD": 1, "CONNECT": 2, "POST": 3, "PUT": 4, "OPTIONS": 5, None: 6}


def diff_setup(kind, method, lenient, n, msg):
    b0 = (1 if kind == "response" else 0) | (DIFF_METHOD.get(method, 0) << 1)
    b0 |= 0x10 if n % 2 else 0  # re-encode chunked every other seed
    lenient = lenient or (LENIENT_ALL if n % 3 == 0 else 0)
    h = hashlib.sha1(msg).digest()
    return bytes([b0, lenient & 0xFF, lenient >> 8]) + h[:4]


def main():
    targets = ["request", "response", "chunked", "differential"]
    written = {t: set() for t in targets}
    for t in targets:
        os.makedirs(os.path.join(CORPUS, t), exist_ok=True)
        for old in glob.glob(os.path.join(CORPUS, t, "seed-*")):
            os.remove(old)
    messages = []  # (name, kind, method, lenient, bytes)
    for n, (area, kind, req, lenient, data) in enumerate(table_rows()):
        messages.append(("t-%s-%03d" % (area, n), kind, req, lenient, data))
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "data", "messages", "*.http"))):
        data = open(path, "rb").read()
        kind = "response" if data.startswith(b"HTTP/") else "request"
        messages.append(("m-" + os.path.basename(path)[:-5], kind, None, 0, data))
    for name, data in REQ:
        messages.append(("hq-" + name, "request", None, 0, data))
    for name, letter, data in RESP:
        method = {v: k for k, v in METHOD_LETTER.items()}.get(letter)
        messages.append(("hs-" + name, "response", method, 0, data))
    for n, (name, kind, method, lenient, data) in enumerate(messages):
        if kind == "request":
            write("request", name, b"0" + data, written)
            if lenient or name.startswith("h"):
                write("request", name + "-lenient", b"1" + data, written)
        else:
            letter = METHOD_LETTER.get(method, "-" if method is None and name == "hs-none" else "G")
            write("response", name, b"0" + letter.encode() + data, written)
            if lenient or name.startswith("h"):
                write("response", name + "-lenient", b"1" + letter.encode() + data, written)
        body = chunked_body(data)
        if body is not None:
            write("chunked", name, b"0\x00" + body, written)
        write("differential", name, diff_setup(kind, method, lenient, n, data) + data, written)
    for n, (name, body) in enumerate(CHUNKED):
        write("chunked", "h-" + name, b"0\x00" + body, written)
        write("chunked", "h-" + name + "-pieces", bytes([0x30 + (n % 4) * 2, 1 + n % 7]) + body,
              written)
    for t in targets:
        print("%-12s %d seeds" % (t, len(written[t])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
