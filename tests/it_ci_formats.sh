#!/usr/bin/env bash
# Integration test: the CI report formats of a real run (tests/data/run/fail against the built-in
# server). The SARIF file is validated with Microsoft's SARIF validator (Sarif.Multitool
# validate: the SARIF 2.1.0 JSON schema and its rules) when it is installed (.ci/deps-test puts
# it in /opt/conform-ci-tools; or set SARIF_MULTITOOL), and always checked for the properties the
# schema requires, its levels and each result's file:line; the github lines name the case's file
# and line; `conform report` renders the same SARIF from the JSON; the JUnit file carries file and
# line and passes tests/data/junit/junit.xsd (xmllint).
# Exit: 0 ok, 1 failure.
# Usage: tests/it_ci_formats.sh PATH/TO/conform   (CTest passes the binary as $1)
set -u

# shellcheck source=SCRIPTDIR/support/it_common.sh
. "$(dirname "$0")/support/it_common.sh"
cd "$root" || exit 1

spec=tests/data/run/fail/levels.yaml
"$conform" run "$spec" --target builtin -j1 --no-progress --report sarif:"$tmp/run.sarif" \
    --report github:"$tmp/gh.txt" --report json:"$tmp/run.json" --report junit:"$tmp/junit.xml" \
    --report markdown-failures:"$tmp/fail.md" 2>"$tmp/err"
rc=$?
[ "$rc" -eq 1 ] || { cat "$tmp/err"; fail "the run of $spec exited $rc, not 1 (it has a FAIL)"; }

# The line of each case: where its "- id: ID" is in the spec file.
line_of() { grep -n -- "- id: $1\$" "$spec" | cut -d: -f1; }
must=$(line_of verdict-must-fails)
should=$(line_of verdict-should-warns)
[ -n "$must" ] && [ -n "$should" ] || fail "cases not found in $spec"

cat "$tmp/gh.txt"
grep -q "^::error file=$spec,line=$must,title=FAIL verdict-must-fails%3A " "$tmp/gh.txt" ||
    fail "no ::error at $spec:$must for the FAIL"
grep -q "^::warning file=$spec,line=$should,title=WARN verdict-should-warns%3A " "$tmp/gh.txt" ||
    fail "no ::warning at $spec:$should for the WARN"
[ "$(grep -c '^::error' "$tmp/gh.txt")" -eq 1 ] || fail "one ::error expected (one FAIL)"

python3 - "$tmp/run.sarif" "$spec" "$must" "$should" <<'EOF' || fail "SARIF structure"
import json, sys
path, spec, must, should = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
d = json.load(open(path))
assert d["version"] == "2.1.0", d.get("version")
assert len(d["runs"]) == 1
run = d["runs"][0]
assert run["tool"]["driver"]["name"] == "conform"
ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
levels = {}
for res in run["results"]:
    assert res["level"] in ("none", "note", "warning", "error"), res["level"]
    assert res["message"]["text"]
    assert res["ruleId"] in ids, res["ruleId"]
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == spec, loc
    levels[res["ruleId"]] = (res["level"], loc["region"]["startLine"])
assert levels["verdict-must-fails"] == ("error", must), levels
assert levels["verdict-should-warns"] == ("warning", should), levels
assert levels["verdict-may-info"][0] == "note", levels
assert "verdict-pass" not in levels
print("SARIF structure ok:", len(run["results"]), "results")
EOF

tool=${SARIF_MULTITOOL:-/opt/conform-ci-tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool}
if [ -x "$tool" ]; then
    "$tool" validate "$tmp/run.sarif" -o "$tmp/validation.sarif" >"$tmp/validate.out" 2>&1 ||
        { cat "$tmp/validate.out"; fail "Sarif.Multitool validate failed to run"; }
    cat "$tmp/validate.out"
    if grep -E ': error [A-Z]+[0-9]+:' "$tmp/validate.out"; then fail "the SARIF validator found errors"; fi
    grep -q 'Analysis completed successfully' "$tmp/validate.out" || fail "the validator did not finish"
else
    echo "note: Sarif.Multitool not installed ($tool): SARIF checked for structure only"
fi

# conform report renders the same SARIF from the JSON report.
"$conform" report "$tmp/run.json" --format sarif -o "$tmp/again.sarif" ||
    fail "conform report --format sarif failed"
cmp -s "$tmp/run.sarif" "$tmp/again.sarif" || fail "the SARIF from the JSON report differs"

grep -q "file=\"$spec\" line=\"$must\"" "$tmp/junit.xml" || fail "JUnit: no file and line"
if command -v xmllint >/dev/null; then
    xmllint --noout --schema tests/data/junit/junit.xsd "$tmp/junit.xml" || fail "JUnit schema"
fi

grep -q '^#### FAIL `verdict-must-fails`' "$tmp/fail.md" || fail "markdown-failures: no FAIL"
if grep -q 'verdict-should-warns' "$tmp/fail.md"; then fail "markdown-failures lists a WARN"; fi
echo "ok"
