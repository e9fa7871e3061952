#!/usr/bin/env bash
# Integration test: the HTML report in a real browser. Runs the verdict fixtures
# (tests/data/run/fail) against the built-in server with `--report json:J --report html:H`,
# loads H in headless Chromium, and checks that
#   - the DOM Chromium built holds one summary per target whose numbers (pass, fail, warn, info,
#     error, total) equal the JSON report's counts and the verdicts of its cases,
#   - it holds one case row per case of the JSON report, and no <script>, <img> or <link>,
#   - a 1280x2000 screenshot is a PNG of that size and not a blank page (> 40 KB; a blank page
#     is about 12 KB).
# When `conform run` has no --report option, the page and the JSON come from the hand-built
# report of tests/test_report_html.c (CF_REPORT_HTML_OUT) instead.
# Exit: 0 ok, 1 mismatch or breakage, 77 skipped (no Chromium or no python3; CTest
# SKIP_RETURN_CODE 77). CF_HTML_SHOT=PATH keeps the screenshot (docs/img/report-html.png).
# Usage: tests/it_html_render.sh PATH/TO/conform   (CTest passes the binary as $1)
set -u

conform=${1:?usage: it_html_render.sh PATH/TO/conform}
root=$(cd "$(dirname "$0")/.." && pwd)
chromium=${CHROMIUM:-/usr/bin/chromium}
fixtures=$root/tests/data/run/fail

if [ ! -x "$chromium" ]; then
    echo "SKIP: headless Chromium not installed ($chromium; Debian package 'chromium')"
    exit 77
fi
if ! command -v python3 >/dev/null; then
    echo "SKIP: python3 not installed"
    exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
html=$tmp/report.html
json=$tmp/report.json

fail() {
    echo "FAIL: $*"
    exit 1
}

# The report: from a real run when the plumbing is there, else from the unit test's fixture.
if "$conform" run --help 2>&1 | grep -q -- '--report'; then
    "$conform" run "$fixtures" --target builtin -j 2 --report "json:$json" --report "html:$html" \
        >"$tmp/run.out" 2>&1
    rc=$?
    [ "$rc" -le 1 ] || { cat "$tmp/run.out"; fail "conform run exited $rc"; }
    echo "report from: conform run $fixtures --target builtin"
else
    unit=$(dirname "$conform")/tests/test_report_html
    [ -x "$unit" ] || fail "no --report in conform run and no $unit"
    CF_REPORT_HTML_OUT=$html "$unit" --filter 'report_html/write_fixture' >"$tmp/unit.out" 2>&1 ||
        { cat "$tmp/unit.out"; fail "$unit failed"; }
    mv "$html.json" "$json"
    echo "report from: the hand-built report of tests/test_report_html.c"
fi
[ -s "$html" ] || fail "no HTML report written"
[ -s "$json" ] || fail "no JSON report written"

# Chromium, headless, nothing fetched from or sent to the network, its profile thrown away.
browse() {
    local profile
    profile=$(mktemp -d "$tmp/profile.XXXXXX")
    timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --disable-extensions --host-resolver-rules='MAP * ~NOTFOUND' \
        --user-data-dir="$profile" "$@" 2>>"$tmp/chromium.err"
}

browse --dump-dom "file://$html" >"$tmp/dom.html" ||
    { tail -5 "$tmp/chromium.err"; fail "chromium --dump-dom failed"; }
[ -s "$tmp/dom.html" ] || { tail -5 "$tmp/chromium.err"; fail "chromium dumped no DOM"; }
browse --screenshot="$tmp/shot.png" --window-size=1280,2000 "file://$html" >/dev/null ||
    { tail -5 "$tmp/chromium.err"; fail "chromium --screenshot failed"; }

python3 - "$json" "$tmp/dom.html" "$tmp/shot.png" <<'EOF' || exit 1
import json, re, struct, sys

report = json.load(open(sys.argv[1], encoding="utf-8"))
dom = open(sys.argv[2], encoding="utf-8").read()
png = open(sys.argv[3], "rb").read()
names = ["PASS", "FAIL", "WARN", "INFO", "ERROR"]
bad = []

def shown(target, what):
    m = re.findall(r'id="summary-%d-%s"[^>]*>(\d+)<' % (target, what), dom)
    if len(m) != 1:
        bad.append("summary-%d-%s: %d elements in the DOM" % (target, what, len(m)))
        return None
    return int(m[0])

targets = report["targets"]
if not targets:
    bad.append("the JSON report has no target")
for i, t in enumerate(targets):
    from_cases = {n: 0 for n in names}
    for c in t["cases"]:
        from_cases[c["verdict"]] += 1
    counts = t["counts"]
    for n in names:
        if counts.get(n) != from_cases[n]:
            bad.append("JSON of %s: counts.%s=%s but %d cases" % (t["name"], n, counts.get(n), from_cases[n]))
        got = shown(i, n.lower())
        if got is not None and got != counts.get(n):
            bad.append("%s %s: the page shows %d, the JSON says %s" % (t["name"], n, got, counts.get(n)))
        print("%-16s %-5s page %-4s json %s" % (t["name"], n, got, counts.get(n)))
    got = shown(i, "total")
    if got is not None and got != len(t["cases"]):
        bad.append("%s total: the page shows %d, the JSON has %d cases" % (t["name"], got, len(t["cases"])))
    if 'data-target="%s"' % t["name"].replace("&", "&amp;").replace('"', "&quot;") not in dom:
        bad.append("no summary for target %s" % t["name"])

rows = len(re.findall(r'<tr class="case v-', dom))
ncases = sum(len(t["cases"]) for t in targets)
if rows != ncases:
    bad.append("%d case rows in the page, %d cases in the JSON" % (rows, ncases))
for tag in ("<script", "<img", "<link", "<iframe"):
    if tag in dom:
        bad.append("%s in the page" % tag)

if png[:8] != b"\x89PNG\r\n\x1a\n":
    bad.append("the screenshot is not a PNG")
else:
    w, h = struct.unpack(">II", png[16:24])
    if (w, h) != (1280, 2000):
        bad.append("screenshot of %dx%d, not 1280x2000" % (w, h))
if len(png) < 40000:
    bad.append("screenshot of %d bytes: a blank page?" % len(png))
print("screenshot: %d bytes; %d case rows" % (len(png), rows))

for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
EOF

if [ -n "${CF_HTML_SHOT:-}" ]; then
    cp "$tmp/shot.png" "$CF_HTML_SHOT" || fail "cannot copy the screenshot to $CF_HTML_SHOT"
fi
echo "ok: the page renders in Chromium and shows the JSON's numbers"
