#!/usr/bin/env python3
"""Checks that every case of specs/ quotes the RFC it cites (docs/spec-format.md, `requirement`).

For each case: `requirement` is non-empty and `section` is a section of the cited RFC; when the
RFC texts are available (--rfc-dir, one `§N.N Title` line per section), the requirement, split at
`...`, is found piece by piece, in order, in the cited section's own text (whitespace collapsed),
and the case's level keyword (MUST, SHOULD, MAY; MUST NOT and SHOULD NOT count as MUST and SHOULD,
as the level field writes them) occurs in the quoted text. Every file must say `strict: true`, so
that conform's loader too refuses a case of the bundled suite without rfc, section, level or
requirement (a file that lacks it is named, and fails the check).

A quote with no keyword at all may be filed as MAY (a permission the RFC words without BCP 14:
"can", "wishes to"), or as MUST when the case is tagged `definition` (a defining sentence that
binds through RFC 9110 §2.4). Prints every case that fails and the share of verbatim requirements. Exit status: 0 all verbatim,
1 a case fails, 2 usage, unreadable specs or no PyYAML, 77 the RFC texts are absent (CTest:
skipped).
"""

import argparse
import os
import re
import sys

try:
    import yaml
except ImportError:  # the Debian package python3-yaml (.ci/deps-test): a failure, not a skip
    print("spec_requirements.py: PyYAML is not installed (apt-get install python3-yaml)",
          file=sys.stderr)
    sys.exit(2)

# libyaml, the parser conform itself uses: PyYAML's pure-Python one rejects `[GET /?1 ...]`.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SECTION_LINE = re.compile(r"^§([0-9A-Z][0-9.]*) ")
# RFC 2119/8174 keywords as the quoted text may carry them, longest first.
KEYWORDS = {"MUST": ("MUST", "REQUIRED", "SHALL"), "SHOULD": ("SHOULD", "RECOMMENDED"),
            "MAY": ("MAY", "OPTIONAL")}


def norm(text):
    """Collapses every run of whitespace to one space (quotes may be re-flowed)."""
    return " ".join(text.split())


def load_rfc(path, prose_only=False):
    """Returns {section: its own text, without subsections}, or None when the file is absent.
    With prose_only, lines indented by four spaces or more (ABNF, examples) are left out."""
    if not os.path.exists(path):
        return None
    sections, current, lines = {}, None, []
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = SECTION_LINE.match(line)
            if m:
                if current is not None:
                    sections[current] = norm(unwrap("".join(lines)))
                current, lines = m.group(1).rstrip("."), []
            elif current is not None and not (prose_only and line.startswith("    ")):
                lines.append(line)
    if current is not None:
        sections[current] = norm(unwrap("".join(lines)))
    return sections


def unwrap(text):
    """Joins words the text layout broke at a hyphen ("Transfer-\n  Encoding")."""
    return re.sub(r"(?<=[A-Za-z0-9])-\n[ \t]*(?=[A-Za-z0-9])", "-", text)


def rfc_number(value):
    m = re.search(r"(\d+)", str(value))
    return m.group(1) if m else None


def spec_paths(spec_dir):
    """The spec files under spec_dir, in sorted path order."""
    paths = []
    for root, dirs, files in os.walk(spec_dir):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        paths += [os.path.join(root, f) for f in files
                  if f.endswith((".yaml", ".yml")) and not f.startswith(".")]
    return sorted(paths)


def load_docs(spec_dir):
    """Yields (file, its YAML document) for every spec file."""
    for path in spec_paths(spec_dir):
        with open(path, encoding="utf-8") as f:
            yield path, yaml.load(f, Loader=LOADER)


def load_cases(spec_dir):
    """Yields (file, case, file-level rfc) for every case, files in sorted path order."""
    return cases_of(load_docs(spec_dir))


def cases_of(docs):
    """Yields (file, case, file-level rfc) for every case of docs."""
    for path, doc in docs:
        for case in doc.get("cases", []):
            yield path, case, case.get("rfc", doc.get("rfc"))


def not_strict(docs):
    """The files that lack `strict: true`: the loader then lets a case leave out rfc, section,
    level and requirement (a user's own spec), which no case of the bundled suite may."""
    return [path for path, doc in docs if doc.get("strict") is not True]


def find_pieces(requirement, section_text):
    """Returns the first piece of the requirement (split at ...) not found in order, or None."""
    at = 0
    for piece in norm(requirement).split("..."):
        piece = piece.strip()
        if not piece:
            continue
        i = section_text.find(piece, at)
        if i < 0:
            return piece
        at = i + len(piece)
    return None


def keywords_in(requirement):
    """The levels whose BCP 14 keywords occur in the quoted text."""
    words = set(re.findall(r"[A-Z]+", requirement))
    return {level for level, keys in KEYWORDS.items() if words & set(keys)}


def level_problem(case, requirement):
    """Why the case's level does not fit its quote, or None.

    The level is a keyword of the quote, with two exceptions for quotes that carry no keyword at
    all: MAY (a permission the RFC words otherwise, "can", "wishes to": reported, never failed)
    and MUST for a case tagged `definition` (a defining sentence, "is terminated by", "defines
    the ... length", that binds through RFC 9110 §2.4: "A recipient MUST interpret a received
    protocol element according to the semantics defined for it").
    """
    level = str(case.get("level", ""))
    found = keywords_in(requirement)
    if level in found:
        return None
    if not found and (level == "MAY" or (level == "MUST" and "definition" in
                                             (case.get("tags") or []))):
        return None
    if not found:
        return f"level {level}: the quote has no BCP 14 keyword (tag it 'definition' or file it as MAY)"
    return f"level {level} is not a keyword of the quoted text ({', '.join(sorted(found))})"


def check_case(case, rfc, texts):
    """Returns (text problems, level problems) of one case; texts None: no RFC texts to read."""
    req = case.get("requirement") or ""
    level = level_problem(case, str(req))
    if not str(req).strip():
        return ["empty requirement"], [level] if level else []
    if texts is None:
        return [], [level] if level else []
    num = rfc_number(rfc)
    sections = texts.get(num)
    if sections is None:
        return [f"no text for RFC {rfc}"], [level] if level else []
    section = str(case.get("section", ""))
    if section not in sections:
        return [f"RFC {num} has no section {section}"], [level] if level else []
    text = []
    missing = find_pieces(req, sections[section])
    if missing is not None:
        hint = [s for s, t in sections.items() if find_pieces(req, t) is None]
        where = f" (found in §{', §'.join(hint)})" if hint else ""
        text.append(f"not in RFC {num} §{section}{where}: \"{missing[:90]}\"")
    return text, [level] if level else []


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--specs", default=os.path.join(root, "specs"), help="spec directory")
    ap.add_argument("--rfc-dir", default=os.path.join(root, "..", "shared", "rfc"),
                    help="folder of rfcNNNN.txt (default ../shared/rfc from the repo root)")
    ap.add_argument("--report-only", action="store_true",
                    help="print the share, exit 0 even when cases are not verbatim")
    args = ap.parse_args()
    texts = None
    if os.path.isdir(args.rfc_dir):
        texts = {}
        for name in os.listdir(args.rfc_dir):
            m = re.fullmatch(r"rfc(\d+)\.txt", name)
            if m:
                texts[m.group(1)] = load_rfc(os.path.join(args.rfc_dir, name))
    total = verbatim = levels_ok = 0
    try:
        docs = list(load_docs(args.specs))
    except (OSError, yaml.YAMLError) as e:
        print(f"spec_requirements.py: {e}", file=sys.stderr)
        return 2
    cases = list(cases_of(docs))
    lax = not_strict(docs)
    for path in lax:
        print(f"{os.path.relpath(path, root)}: the file lacks 'strict: true' (add it after "
              "'spec: 1': every file of the bundled suite names rfc, section, level and "
              "requirement in each case, docs/spec-format.md)")
    for path, case, rfc in cases:
        total += 1
        text, level = check_case(case, rfc, texts)
        for p in text + level:
            print(f"{os.path.relpath(path, root)}: {case.get('id')}: {p}")
        verbatim += not text
        levels_ok += not level
    if total == 0:
        return 2
    if texts is None:  # what needs no RFC text was checked; the quotes were not
        print(f"spec_requirements.py: no RFC texts in {args.rfc_dir}: quotes not checked")
        return 1 if (levels_ok < total or lax) and not args.report_only else 77
    print(f"{verbatim} of {total} requirements verbatim ({100.0 * verbatim / total:.0f}%), "
          f"{levels_ok} with a level that fits the quote ({100.0 * levels_ok / total:.0f}%)")
    ok = verbatim == total and levels_ok == total and not lax
    return 0 if ok or args.report_only else 1


if __name__ == "__main__":
    sys.exit(main())
