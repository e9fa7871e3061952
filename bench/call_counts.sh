#!/usr/bin/env bash
# bench/call_counts.sh CONFORM SPECPATH ID: how often one `conform run` of case ID renders a step,
# parses a message head, reads the requests out of sent bytes, pairs responses with requests and
# runs the compliance rules, counted by callgrind (valgrind). The target is a separate
# `conform serve`, so the server's own parses are not counted. The numbers are call counts, the
# same on every machine: docs/bench.md "The data path of one step".
#   bench/call_counts.sh build/conform specs rfc9112-9.3.2-ten-pipelined
set -euo pipefail
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 2; }
[ $# -eq 3 ] || { echo "usage: $0 CONFORM SPECPATH ID" >&2; exit 2; }
BIN=$1; SPEC=$2; ID=$3
PORT=$((20000 + RANDOM % 20000))
"$BIN" serve --listen 127.0.0.1:$PORT --quiet >/dev/null & SP=$!
trap 'kill $SP 2>/dev/null; rm -f /tmp/cg.$$ /tmp/cg.$$.json' EXIT
sleep 0.3
valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.$$ "$BIN" run "$SPEC" --target 127.0.0.1:$PORT --id "$ID" --report json:/tmp/cg.$$.json -j1 >/dev/null 2>&1 || true
for f in cf_spec_render_step h1_parse_head cf_collect_methods cf_rules_pair cf_rules_step cf_rules_check; do
  n=$(python3 - "$f" /tmp/cg.$$ <<'PY'
import sys,re
fn=sys.argv[1]; calls=0; names={}
cur=None
for line in open(sys.argv[2]):
    if line.startswith('cfn='):
        m=re.match(r'cfn=\((\d+)\)(?: (.*))?',line.strip())
        cur=m.group(2) if m and m.group(2) else names.get(m.group(1)) if m else None
        if m and m.group(2): names[m.group(1)]=m.group(2)
    elif line.startswith('fn='):
        m=re.match(r'fn=\((\d+)\)(?: (.*))?',line.strip())
        if m and m.group(2): names[m.group(1)]=m.group(2)
    elif line.startswith('calls=') and cur==fn:
        calls+=int(line.split('=')[1].split()[0])
print(calls)
PY
); echo "$f $n"; done
