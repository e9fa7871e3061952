#!/usr/bin/env python3
"""The module graph of libconform, read from the #include lines (CTest: layout_check).

Checks, over lib/<module>/ and src/:
  1. every quoted #include names a header that exists in the including file's own module, in
     parsers/include/ (the parser library's public headers), or in the include/ folder (public
     headers) of another module;
  2. a module includes only headers of the modules it links in lib/CMakeLists.txt (its cf_module
     DEPS, transitively), so the include graph and the link graph agree;
  3. the module graph has no cycle.
Prints each violation as file:line and exits 1 when there is one; prints the graph otherwise.
"""
import os
import re
import sys

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..'))
LIB = os.path.join(ROOT, 'lib')
INCLUDE = re.compile(r'\s*#\s*include\s+"([^"]+)"')
MODULE = re.compile(r'^cf_module\((\w+)(?:\s+DEPS\s+([^)]*))?\)', re.M)


def declared_deps():
    text = open(os.path.join(LIB, 'CMakeLists.txt')).read()
    deps = {}
    for name, rest in MODULE.findall(text):
        deps[name] = {d[3:] for d in (rest or '').split() if d.startswith('cf_') and d != 'h1_parser'}
    return deps


def closure(deps, m, seen=None):
    seen = set() if seen is None else seen
    for d in deps.get(m, ()):
        if d not in seen:
            seen.add(d)
            closure(deps, d, seen)
    return seen


def sources(folder):
    for dirpath, _, names in os.walk(folder):
        for n in sorted(names):
            if n.endswith(('.c', '.h', '.def')):
                yield os.path.join(dirpath, n)


def main():
    errors = []
    deps = declared_deps()
    modules = sorted(d for d in os.listdir(LIB) if os.path.isdir(os.path.join(LIB, d)))
    for m in modules:
        if m not in deps:
            errors.append(f'lib/{m}/: no cf_module({m} ...) in lib/CMakeLists.txt')
    public = {}   # header name -> module
    private = {}  # (module, header name)
    for m in modules:
        for path in sources(os.path.join(LIB, m)):
            name = os.path.basename(path)
            if os.path.basename(os.path.dirname(path)) == 'include':
                if name in public:
                    errors.append(f'{os.path.relpath(path, ROOT)}: public header name also in lib/{public[name]}/include/')
                public[name] = m
            elif path.endswith(('.h', '.def')):
                private[(m, name)] = path
    parser_headers = set(os.listdir(os.path.join(ROOT, 'parsers', 'include')))  # public only
    src_headers = {n for n in os.listdir(os.path.join(ROOT, 'src')) if n.endswith(('.h', '.def'))}
    used = {m: set() for m in modules + ['src']}
    units = [(m, p) for m in modules for p in sources(os.path.join(LIB, m))]
    units += [('src', p) for p in sources(os.path.join(ROOT, 'src'))]
    for m, path in units:
        rel = os.path.relpath(path, ROOT)
        for lineno, line in enumerate(open(path, errors='replace'), 1):
            hit = INCLUDE.match(line)
            if not hit:
                continue
            h = hit.group(1)
            if h in parser_headers:
                continue
            if m == 'src' and h in src_headers:
                continue
            if (m, h) in private:
                continue
            if h in public:
                if public[h] != m:
                    used[m].add(public[h])
                    if m != 'src' and public[h] not in closure(deps, m):
                        errors.append(f'{rel}:{lineno}: module {m} includes {h} of module '
                                      f'{public[h]}, which it does not link (lib/CMakeLists.txt)')
                continue
            owner = [k[0] for k in private if k[1] == h]
            if owner:
                errors.append(f'{rel}:{lineno}: {h} is internal to lib/{owner[0]}/')
            else:
                errors.append(f'{rel}:{lineno}: {h} not found in this module, parsers/include/ or any include/')
    # cycles in the graph of actual includes
    state = {}

    def visit(m, stack):
        state[m] = 1
        for d in sorted(used.get(m, ())):
            if state.get(d) == 1:
                errors.append('include cycle: ' + ' -> '.join(stack[stack.index(d):] + [d]))
            elif d not in state:
                visit(d, stack + [d])
        state[m] = 2

    for m in sorted(used):
        if m not in state:
            visit(m, [m])
    for e in errors:
        print(e)
    if errors:
        print(f'{len(errors)} layout problem(s)')
        return 1
    for m in modules + ['src']:
        print(f'{m:9} -> {", ".join(sorted(used[m])) or "(parser only)"}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
