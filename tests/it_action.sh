#!/usr/bin/env bash
# Integration test: the GitHub Action (action.yml) run as GitHub runs it. Its steps are read from
# action.yml (python3 yaml), their ${{ inputs.* }} and ${{ steps.*.outputs.* }} filled as the
# runner fills them (defaults from action.yml, outputs from $GITHUB_OUTPUT), and each step's
# `run:` executed with bash and its env, GITHUB_ACTION_PATH at this checkout. With the conform
# under test (input conform): a passing suite gives exit-code=0 and "No failures." in the job
# summary; a failing one exit 1, an ::error annotation at the spec file:line in the log, the
# failure in the summary, and the extra reports of the reports input. The workflow under
# .github/workflows uses this action. (Building conform in the action, input conform empty, is
# what the workflow does on GitHub; it is not repeated here.)
# Exit: 0 ok, 1 failure, 77 skipped (python3 yaml missing).
# Usage: tests/it_action.sh PATH/TO/conform   (CTest passes the binary as $1)
set -u

# shellcheck source=SCRIPTDIR/support/it_common.sh
. "$(dirname "$0")/support/it_common.sh"
conform=$(cd "$(dirname "$conform")" && pwd)/$(basename "$conform")
python3 -c 'import yaml' 2>/dev/null || { echo "SKIP: python3 yaml is missing"; exit 77; }
cd "$root" || exit 1

grep -Eq '^ *uses: \./ *$' .github/workflows/conform.yml || fail "the workflow does not use the action"

# Runs the action with the inputs given as NAME=VALUE arguments; prints the steps' output; the
# summary and outputs land in $tmp/summary.md and $tmp/outputs; returns the last step's status.
action() {
    : >"$tmp/summary.md"
    : >"$tmp/outputs"
    python3 - "$root/action.yml" "$tmp" "$@" <<'PYEOF'
import os, re, subprocess, sys
import yaml
action, tmp, args = sys.argv[1], sys.argv[2], sys.argv[3:]
spec = yaml.safe_load(open(action))
assert spec["runs"]["using"] == "composite"
inputs = {k: str(v.get("default", "")) for k, v in spec["inputs"].items()}
for a in args:
    k, v = a.split("=", 1)
    assert k in inputs, "no input " + k
    inputs[k] = v
outputs = {}
def fill(text):
    def one(m):
        expr = m.group(1).strip()
        if expr.startswith("inputs."):
            return inputs[expr[len("inputs."):]]
        s = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr)
        assert s, "unknown expression " + expr
        return outputs.get(s.group(1), {}).get(s.group(2), "")
    return re.sub(r"\$\{\{(.*?)\}\}", one, str(text))
rc = 0
for step in spec["runs"]["steps"]:
    assert step["shell"] == "bash"
    env = dict(os.environ)
    env.update({k: fill(v) for k, v in step.get("env", {}).items()})
    out = os.path.join(tmp, "step-output")
    open(out, "w").close()
    env.update(GITHUB_ACTION_PATH=os.getcwd(), GITHUB_OUTPUT=out,
               GITHUB_STEP_SUMMARY=os.path.join(tmp, "summary.md"), RUNNER_TEMP=tmp)
    rc = subprocess.run(["bash", "-e", "-c", fill(step["run"])], env=env).returncode
    kv = dict(l.split("=", 1) for l in open(out).read().splitlines() if "=" in l)
    outputs[step["id"]] = kv
    with open(os.path.join(tmp, "outputs"), "a") as f:
        f.writelines("%s.%s=%s\n" % (step["id"], k, v) for k, v in kv.items())
    if rc != 0:
        break
sys.exit(rc)
PYEOF
}

action conform="$conform" install-deps=false specs=tests/data/run/pass report-dir="$tmp/r1" \
    >"$tmp/log1" 2>&1
rc=$?
[ "$rc" -eq 0 ] || { cat "$tmp/log1"; fail "the action on a passing suite exited $rc"; }
grep -qx "build.conform=$conform" "$tmp/outputs" || fail "the build step did not output the binary"
grep -qx 'run.exit-code=0' "$tmp/outputs" || fail "no exit-code=0 output"
grep -q '^No failures\.' "$tmp/summary.md" || { cat "$tmp/summary.md"; fail "summary"; }
[ -s "$tmp/r1/run.json" ] || fail "no run.json in the report directory"

action conform="$conform" install-deps=false specs=tests/data/run/fail report-dir="$tmp/r2" \
    reports="junit:$tmp/junit.xml sarif:$tmp/run.sarif" args="--jobs 1" >"$tmp/log2" 2>&1
rc=$?
cat "$tmp/log2"
[ "$rc" -eq 1 ] || fail "the action on a failing suite exited $rc, not 1"
grep -qx 'run.exit-code=1' "$tmp/outputs" || fail "no exit-code=1 output"
grep -q '^::error file=tests/data/run/fail/levels.yaml,line=[0-9]*,title=FAIL verdict-must-fails' \
    "$tmp/log2" || fail "no ::error annotation in the log"
grep -q '^#### FAIL `verdict-must-fails`' "$tmp/summary.md" || fail "the failure is not in the summary"
[ -s "$tmp/junit.xml" ] && [ -s "$tmp/run.sarif" ] || fail "the reports input wrote nothing"
grep -q -- '--jobs 1' "$tmp/log2" || fail "args not passed"

action conform=/nonexistent/conform install-deps=false >"$tmp/log3" 2>&1
[ $? -eq 2 ] || fail "a missing conform binary is not exit 2"
echo ok
