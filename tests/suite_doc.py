#!/usr/bin/env python3
"""Writes the generated half of docs/suite.md from specs/ and the RFC texts.

docs/suite.md has a hand-written part (what the suite is, how to add a case) above the MARKER
line; everything below it is this script's output:

- the spec files with their case counts and titles;
- the cases by RFC and section (id, title, level), with a per-section count;
- the sections of RFC 9110 and RFC 9112 that hold server requirements and no case yet.

"Server requirements" is a heuristic over the texts of ../shared/rfc (one `§N Title` line per
section, as tests/spec_requirements.py reads them, indented ABNF and examples left out): a
sentence of the section's own text with a BCP 14 keyword (MUST, SHOULD, MAY, REQUIRED, SHALL,
RECOMMENDED, OPTIONAL, upper case) whose words before the first keyword name a server or a
recipient ("server", "origin server", "recipient") and do not name another party first
("client", "user agent", "proxy", "cache", "intermediary", "gateway", "tunnel", "sender"). It over-counts a little (a recipient may be a client) and
under-counts requirements worded with the party after the keyword; it is a map of the gaps, not
a verdict.

Usage:
  python3 tests/suite_doc.py            rewrite docs/suite.md
  python3 tests/suite_doc.py --check    exit 1 when docs/suite.md differs from what it would write
Options: --specs DIR, --rfc-dir DIR, --doc FILE. Exit status: 0 written or up to date, 1 stale
(--check), 2 usage, unreadable specs, no marker in the doc or no PyYAML, 77 the RFC texts are
absent (CTest: skipped).
"""

import argparse
import os
import re
import sys
from collections import OrderedDict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spec_requirements as sr  # noqa: E402  (load_cases, load_rfc, norm: one reader of both)

MARKER = ("<!-- Generated below by tests/suite_doc.py from specs/ and ../shared/rfc: "
          "edit above this line, then run python3 tests/suite_doc.py -->")
REGENERATE = "python3 tests/suite_doc.py"
GAP_RFCS = ("9110", "9112")
KEYWORD = re.compile(r"\b(MUST|SHOULD|MAY|REQUIRED|SHALL|RECOMMENDED|OPTIONAL)\b")
PARTY = re.compile(r"\b(origin servers?|servers?|recipients?)\b", re.I)
OTHER = re.compile(r"\b(clients?|user agents?|prox(y|ies)|caches?|intermediar(y|ies)|"
                   r"gateways?|tunnels?|senders?)\b", re.I)
SENTENCE_END = re.compile(r"(?<=[.;:])\s+(?=[A-Z\"(\[])")


def section_key(section):
    """Sorts "6.10" after "6.9" and "A.2" after every number."""
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in str(section).split(".")]


def titles(path):
    """{section: title} from the `§N Title` lines of an RFC text."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^§([0-9A-Z][0-9.]*) (.*)$", line.rstrip("\n"))
            if m:
                out[m.group(1).rstrip(".")] = m.group(2).strip()
    return out


def server_requirements(text):
    """The sentences of a section's text that look like requirements on a server (see above)."""
    found = []
    for sentence in SENTENCE_END.split(text):
        k = KEYWORD.search(sentence)
        if not k:
            continue
        before = sentence[:k.start()]
        party = PARTY.search(before)
        other = OTHER.search(before)
        if party and (not other or other.start() > party.start()):
            found.append(sentence.strip())
    return found


def md(text):
    """Text for a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def cases_by_section(spec_dir):
    """{rfc: {section: [case]}} and the files' (path, title, count), in the specs' order."""
    by, files = {}, OrderedDict()
    for path, case, rfc in sr.load_cases(spec_dir):
        rfc = sr.rfc_number(rfc)
        by.setdefault(rfc, {}).setdefault(str(case.get("section")), []).append(case)
        if path not in files:
            with open(path, encoding="utf-8") as f:
                files[path] = [sr.yaml.load(f, Loader=sr.LOADER).get("title", ""), 0]
        files[path][1] += 1
    return by, files


def render(spec_dir, rfc_dir, root):
    by, files = cases_by_section(spec_dir)
    total = sum(n for _, n in files.values())
    out = []
    w = out.append
    w(MARKER + "\n\n")
    w("## Files\n\n")
    w(f"{total} cases in {len(files)} files.\n\n")
    w("| file | cases | title |\n|---|---|---|\n")
    for path, (title, n) in files.items():
        w(f"| `{os.path.relpath(path, root)}` | {n} | {md(title)} |\n")

    rfc_titles = {}
    for rfc in sorted(by, key=int):
        p = os.path.join(rfc_dir, f"rfc{rfc}.txt")
        rfc_titles[rfc] = titles(p) if os.path.exists(p) else {}

    w("\n## Cases by section\n\n")
    w("| RFC | section | title | cases | MUST | SHOULD | MAY |\n|---|---|---|---|---|---|---|\n")
    for rfc in sorted(by, key=int):
        for sec in sorted(by[rfc], key=section_key):
            cs = by[rfc][sec]
            lv = [sum(1 for c in cs if c.get("level") == x) for x in ("MUST", "SHOULD", "MAY")]
            title = rfc_titles[rfc].get(sec, "")
            w(f"| RFC {rfc} | [§{sec}](#rfc-{rfc}-{sec.replace('.', '')}) | {md(title)} | "
              f"{len(cs)} | {lv[0]} | {lv[1]} | {lv[2]} |\n")
    for rfc in sorted(by, key=int):
        for sec in sorted(by[rfc], key=section_key):
            cs = by[rfc][sec]
            title = rfc_titles[rfc].get(sec, "")
            w(f"\n### RFC {rfc} §{sec} {md(title)}\n\n")
            w(f"<a id=\"rfc-{rfc}-{sec.replace('.', '')}\"></a>{len(cs)} "
              f"case{'s' if len(cs) != 1 else ''}.\n\n")
            w("| id | title | level |\n|---|---|---|\n")
            for c in cs:
                w(f"| `{c.get('id')}` | {md(c.get('title', ''))} | {c.get('level')} |\n")

    w("\n## Sections with server requirements and no case\n\n")
    w("Sections of RFC 9110 and RFC 9112 whose own text has a sentence with a BCP 14 keyword "
      "about a server or a recipient (a heuristic: the party named before the keyword; see "
      "`tests/suite_doc.py`) and that no case cites. The first such sentence is quoted, cut at "
      "200 characters. Not every one is testable over the wire from a client.\n\n")
    w("| RFC | section | title | sentences | first |\n|---|---|---|---|---|\n")
    gaps = 0
    for rfc in GAP_RFCS:
        path = os.path.join(rfc_dir, f"rfc{rfc}.txt")
        texts, names = sr.load_rfc(path, prose_only=True), titles(path)
        covered = set(by.get(rfc, {}))
        for sec in sorted(texts, key=section_key):
            reqs = server_requirements(texts[sec])
            if not reqs or sec in covered:
                continue
            gaps += 1
            first = reqs[0] if len(reqs[0]) <= 200 else reqs[0][:197] + "..."
            w(f"| RFC {rfc} | §{sec} | {md(names.get(sec, ''))} | {len(reqs)} | {md(first)} |\n")
    w(f"\n{gaps} sections.\n")
    return "".join(out)


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--specs", default=os.path.join(root, "specs"))
    ap.add_argument("--rfc-dir", default=os.path.join(root, "..", "shared", "rfc"))
    ap.add_argument("--doc", default=os.path.join(root, "docs", "suite.md"))
    ap.add_argument("--check", action="store_true", help="only compare, write nothing")
    args = ap.parse_args()
    if not all(os.path.exists(os.path.join(args.rfc_dir, f"rfc{r}.txt")) for r in GAP_RFCS):
        print(f"suite_doc.py: no RFC texts in {args.rfc_dir}: skipped", file=sys.stderr)
        return 77
    try:
        with open(args.doc, encoding="utf-8") as f:
            doc = f.read()
        generated = render(args.specs, args.rfc_dir, root)
    except (OSError, ValueError, AttributeError) as e:
        print(f"suite_doc.py: {e}", file=sys.stderr)
        return 2
    if MARKER not in doc:
        print(f"suite_doc.py: {args.doc} has no marker line ({MARKER})", file=sys.stderr)
        return 2
    new = doc[:doc.index(MARKER)] + generated
    if args.check:
        if new != doc:
            print(f"{args.doc} is out of date with specs/: run `{REGENERATE}` and commit it",
                  file=sys.stderr)
            return 1
        print(f"{args.doc} is up to date")
        return 0
    if new != doc:
        with open(args.doc, "w", encoding="utf-8") as f:
            f.write(new)
        print(f"wrote {args.doc}")
    else:
        print(f"{args.doc} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
