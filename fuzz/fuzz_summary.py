#!/usr/bin/env python3
"""Writes the summary of an overnight fuzzing run (fuzz/overnight.sh): execs/s, coverage (cov and
ft from libFuzzer's final stats), new corpus files per target, and crashes grouped by stack
signature (kind of failure + the top symbolized frames outside the sanitizers and libFuzzer),
each group with one input copied into the report and the command that reproduces it."""
import argparse
import datetime
import hashlib
import json
import os
import re
import shutil

SKIP = re.compile(r"^(__asan|__sanitizer|__ubsan|__lsan|__interceptor|fuzzer::|abort|raise|"
                  r"__libc|_start|cf_fuzz_fail|fail$|main$|malloc|calloc|realloc|free$)")
FRAME = re.compile(r"^\s*#\d+ 0x[0-9a-f]+ in (\S+)(?: (\S+))?")


def final_stats(log):
    """(execs/s, cov, ft) from a libFuzzer log, plain or -fork mode."""
    execs = cov = ft = None
    for line in log.splitlines():
        m = re.search(r"cov: (\d+) ft: (\d+)", line)
        if m:
            cov, ft = int(m.group(1)), int(m.group(2))
            e = re.search(r"exec/s:? (\d+)", line)
            if e:
                execs = int(e.group(1))
        m = re.match(r"stat::average_exec_per_sec:\s+(\d+)", line)
        if m:
            execs = int(m.group(1))
    return execs, cov, ft


def signature(report):
    """(kind, frames) of a sanitizer / invariant report."""
    kind = "unknown"
    for pat, fmt in ((r"conform fuzz: invariant broken: (.*)", "invariant: {}"),
                     (r"ERROR: AddressSanitizer: ([\w-]+)", "asan: {}"),
                     (r"ERROR: LeakSanitizer: (detected memory leaks)", "lsan: {}"),
                     (r"runtime error: (.*)", "ubsan: {}"),
                     (r"ALARM: working on the last Unit for", "timeout"),
                     (r"out-of-memory", "out-of-memory"),
                     (r"deadly signal", "deadly signal")):
        m = re.search(pat, report)
        if m:
            kind = fmt.format(re.sub(r"\d+", "N", m.group(1)) if m.groups() else "")
            break
    frames = []
    for line in report.splitlines():
        m = FRAME.match(line)
        if m and not SKIP.match(m.group(1)):
            frames.append((m.group(1), m.group(2) or ""))
            if len(frames) == 3:
                break
        if frames and not line.strip():
            break
    return kind, frames


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--report", required=True)
    ap.add_argument("--duration", required=True)
    ap.add_argument("--jobs", required=True)
    ap.add_argument("--command", required=True)
    ap.add_argument("targets", nargs="+")
    a = ap.parse_args()
    summary = {"date": datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
               "duration": a.duration, "jobs": int(a.jobs), "command": a.command, "targets": []}
    for t in a.targets:
        d = os.path.join(a.work, t)
        log = open(os.path.join(d, "fuzz.log"), errors="replace").read() \
            if os.path.exists(os.path.join(d, "fuzz.log")) else ""
        execs, cov, ft = final_stats(log)
        nf = os.path.join(d, "new_files")
        new_files = int(open(nf).read().strip()) if os.path.exists(nf) else 0
        groups = {}
        art = os.path.join(d, "artifacts")
        for name in sorted(os.listdir(art)) if os.path.isdir(art) else []:
            if name.endswith(".report"):
                continue
            path = os.path.join(art, name)
            rep = open(path + ".report", errors="replace").read() \
                if os.path.exists(path + ".report") else ""
            kind, frames = signature(rep)
            key = kind + " | " + " < ".join(f for f, _ in frames)
            g = groups.setdefault(key, {"kind": kind, "frames": [f"{f} {loc}".strip()
                                                                 for f, loc in frames],
                                        "count": 0, "inputs": []})
            g["count"] += 1
            g["inputs"].append(path)
        crashes = []
        for key, g in sorted(groups.items()):
            sig = hashlib.sha1(key.encode()).hexdigest()[:12]
            dest_dir = os.path.join(a.report, "crashes", t)
            os.makedirs(dest_dir, exist_ok=True)
            dest = os.path.join(dest_dir, sig)
            shutil.copyfile(g["inputs"][0], dest)
            rep = g["inputs"][0] + ".report"
            if os.path.exists(rep):
                shutil.copyfile(rep, dest + ".report.txt")
            rel = os.path.relpath(dest, os.path.dirname(os.path.dirname(os.path.dirname(a.report))))
            crashes.append({"signature": sig, "kind": g["kind"], "frames": g["frames"],
                            "count": g["count"], "input": rel,
                            "hex": open(dest, "rb").read()[:512].hex(),
                            "reproduce": f"{a.build}/fuzz/fuzz_{t} {rel}"})
        summary["targets"].append({"target": t, "execs_per_sec": execs, "cov": cov, "ft": ft,
                                   "new_corpus_files": new_files, "crashes": crashes})
    os.makedirs(a.report, exist_ok=True)
    with open(os.path.join(a.report, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
        f.write("\n")
    md = [f"# Fuzzing run {summary['date']}", "",
          f"Regenerate: `{a.command}` (from the repository root).", "",
          "| target | execs/s | cov | ft | new corpus files | crash signatures |",
          "|---|---:|---:|---:|---:|---:|"]
    for s in summary["targets"]:
        md.append(f"| fuzz_{s['target']} | {s['execs_per_sec'] or '?'} | {s['cov'] or '?'} | "
                  f"{s['ft'] or '?'} | {s['new_corpus_files']} | {len(s['crashes'])} |")
    md.append("")
    any_crash = False
    for s in summary["targets"]:
        for c in s["crashes"]:
            any_crash = True
            md += [f"## fuzz_{s['target']}: {c['kind']} ({c['count']} inputs)", "",
                   "Top frames: " + ("; ".join(f"`{fr}`" for fr in c["frames"]) or "none"), "",
                   f"Reproduce: `{c['reproduce']}`", "",
                   f"Input (hex, first 512 bytes): `{c['hex']}`", "",
                   f"Once fixed: `cp {c['input']} corpus/regressions/{s['target']}/` so the "
                   f"replay test keeps it fixed.", ""]
    if not any_crash:
        md.append("No crash, leak, timeout or broken invariant.")
    with open(os.path.join(a.report, "summary.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
