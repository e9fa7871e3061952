#!/usr/bin/env bash
# Integration test: conform run --shard I/N and the merge of the shards' reports, against the
# built-in server, with the bundled suite (specs/). --shard 1/3, 2/3 and 3/3 together run every
# case exactly once (--list and the reports agree); a case keeps its shard when cases are added;
# `conform report` of the three JSON reports equals the unsharded run's report on ids, verdicts,
# rule findings and order; `conform diff --old/--new` reads shards too; merging one shard twice,
# or shards of other runs, is refused (exit 2).
# Exit: 0 ok, 1 failure.
# Usage: tests/it_shard.sh PATH/TO/conform   (CTest passes the binary as $1)
set -u

# shellcheck source=SCRIPTDIR/support/it_common.sh
. "$(dirname "$0")/support/it_common.sh"
cd "$root" || exit 1

"$conform" run specs --list | awk '{print $1}' | sort >"$tmp/all.ids" || fail "--list"
for i in 1 2 3; do
    "$conform" run specs --list --shard "$i/3" | awk '{print $1}' >"$tmp/list-$i.ids" ||
        fail "--list --shard $i/3"
    [ -s "$tmp/list-$i.ids" ] || fail "shard $i/3 is empty"
done
sort "$tmp"/list-*.ids >"$tmp/union.ids"
cmp -s "$tmp/all.ids" "$tmp/union.ids" || fail "the shards' cases are not every case exactly once"
echo "shards: $(wc -l <"$tmp/list-1.ids") + $(wc -l <"$tmp/list-2.ids") + $(wc -l <"$tmp/list-3.ids") = $(wc -l <"$tmp/all.ids")"

# Stable under added cases: a copy of the suite with one more file keeps each case's shard.
mkdir -p "$tmp/specs" && cp -r specs/. "$tmp/specs/" || fail "copy specs"
sed 's/^\( *- id: \)\([a-z0-9]\)/\1added-\2/' specs/rfc9112/chunked.yaml >"$tmp/specs/added.yaml"
"$conform" run "$tmp/specs" --list --shard 2/3 | awk '{print $1}' | grep -v '^added-' \
    >"$tmp/list-2-added.ids" || fail "--list of the grown suite"
cmp -s "$tmp/list-2.ids" "$tmp/list-2-added.ids" || fail "adding cases moved cases between shards"

"$conform" run specs --target builtin --no-progress --report json:"$tmp/whole.json" >/dev/null 2>&1
[ $? -le 1 ] || fail "the unsharded run"
for i in 1 2 3; do
    "$conform" run specs --target builtin --no-progress --shard "$i/3" \
        --report json:"$tmp/shard-$i.json" >/dev/null 2>&1
    [ $? -le 1 ] || fail "the run of shard $i/3"
done
"$conform" report "$tmp/shard-1.json" "$tmp/shard-2.json" "$tmp/shard-3.json" --format json \
    -o "$tmp/merged.json" || fail "conform report of the three shards"

python3 - "$tmp/whole.json" "$tmp/merged.json" "$tmp"/shard-*.json <<'EOF' || fail "merged != unsharded"
import json, sys
def cases(path):
    d = json.load(open(path))
    out = []
    for t in d["targets"]:
        for c in t["cases"]:
            rules = sorted({f["rule_id"] for r in c["responses"] for f in r["findings"]})
            out.append((t["name"], c["id"], c["file"], c.get("line"), c["verdict"], tuple(rules)))
    return d, out
whole, w = cases(sys.argv[1])
merged, m = cases(sys.argv[2])
assert [x[:2] for x in w] == [x[:2] for x in m], "case order differs"
diff = [(a, b) for a, b in zip(w, m) if a != b]
assert not diff, diff[:3]
assert merged["targets"][0]["counts"] == whole["targets"][0]["counts"]
n = sum(len(json.load(open(p))["targets"][0]["cases"]) for p in sys.argv[3:])
assert n == len(w), (n, len(w))
print("merged report = unsharded report:", len(m), "cases")
EOF

"$conform" diff --old "$tmp/whole.json" --new "$tmp/shard-1.json" --new "$tmp/shard-2.json" \
    --new "$tmp/shard-3.json" >"$tmp/diff.out"
rc=$?
[ "$rc" -eq 0 ] || { cat "$tmp/diff.out"; fail "diff of the whole run and its shards exited $rc"; }

"$conform" report "$tmp/shard-1.json" "$tmp/shard-1.json" 2>"$tmp/err" >/dev/null
[ $? -eq 2 ] || fail "merging one shard twice is not refused"
grep -q "is in both" "$tmp/err" || { cat "$tmp/err"; fail "no message naming the case in both"; }
"$conform" run specs --target builtin --no-progress --shard 1/3 --strict \
    --report json:"$tmp/strict.json" >/dev/null 2>&1
"$conform" report "$tmp/shard-2.json" "$tmp/strict.json" 2>"$tmp/err" >/dev/null
[ $? -eq 2 ] || fail "merging shards of different runs is not refused"
grep -q "not shards of one run" "$tmp/err" || { cat "$tmp/err"; fail "no message"; }
"$conform" run specs --list --shard 4/3 2>"$tmp/err"
[ $? -eq 2 ] || fail "--shard 4/3 is not a usage error"
echo ok
