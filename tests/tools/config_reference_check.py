#!/usr/bin/python3
"""Checks docs/configuration.md against the keys the configuration loader accepts.

Run with Debian's Python:

    /usr/bin/python3 tests/tools/config_reference_check.py [--source DIR] [--doc FILE] [-v]

The loader (conf/*.cpp) accepts, for each YAML mapping, exactly the keys listed in the
initialiser of one `map_reader NAME(diag, AT, {"a", "b", ...})`; any other key is an error. This
script finds every such map_reader and works out which section it reads by following AT back
through the code: a local `located x = m.at("key")`, a loop over `m.items("key")` or
`sequence_items(diag, at)`, a parameter bound at the call site (`read_limits(ctx,
map.at("limits"), ...)`, `read_limit(ctx, map, "login", ...)`), from `read_config`'s root
mapping down. A section is written as a dotted path; `[]` marks the items of a sequence
(`products[].environments[]`).

The reference documents each section under a heading that starts with the section's path in
backticks (several paths may share one table: "### `claims`, `products[].claims`"; the root
mapping is "`(top level)`"), followed by a table whose first column is the key in backticks.

Exit status 0 when every accepted key is documented in its section and every documented key is
accepted there; 1 with one line per difference otherwise; 2 when the code cannot be analysed
(a map_reader whose section cannot be determined is an error, never skipped).
"""

from __future__ import annotations

import argparse
import pathlib
import re
import sys
from dataclasses import dataclass, field

ROOT_HEADING = "(top level)"


# --- C++ text preparation -----------------------------------------------------------------------

def strip_comments(text: str) -> str:
    """Comments become spaces (newlines kept, so offsets and line numbers stay valid)."""
    out = list(text)
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "/" and i + 1 < n and text[i + 1] == "/":
            while i < n and text[i] != "\n":
                out[i] = " "
                i += 1
        elif c == "/" and i + 1 < n and text[i + 1] == "*":
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            for j in range(i, end):
                if text[j] != "\n":
                    out[j] = " "
            i = end
        elif c == "R" and text.startswith('R"', i) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            open_paren = text.find("(", i + 2)
            delim = text[i + 2:open_paren]
            end = text.find(")" + delim + '"', open_paren)
            i = n if end < 0 else end + len(delim) + 2
        elif is_literal_start(text, i):
            i = skip_literal(text, i)
        else:
            i += 1
    return "".join(out)


def is_literal_start(text: str, i: int) -> bool:
    # A quote after a digit is a digit separator (10'000), not a character literal.
    if text[i] == "'":
        return i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")
    return text[i] == '"'


def skip_literal(text: str, i: int) -> int:
    quote = text[i]
    i += 1
    while i < len(text) and text[i] != quote:
        i += 2 if text[i] == "\\" else 1
    return i + 1


def mask_literals(code: str) -> str:
    """String and character literal contents become '_' (quotes kept), so braces, parentheses and
    commas inside them never confuse the structure scan. Same length as `code`."""
    out = list(code)
    i, n = 0, len(code)
    while i < n:
        c = code[i]
        if c == "R" and code.startswith('R"', i) and (i == 0 or not (code[i - 1].isalnum() or code[i - 1] == "_")):
            open_paren = code.find("(", i + 2)
            delim = code[i + 2:open_paren]
            end = code.find(")" + delim + '"', open_paren)
            end = n if end < 0 else end + len(delim) + 2
            for j in range(i + 2, end - 1):
                if out[j] != "\n":
                    out[j] = "_"
            i = end
        elif is_literal_start(code, i):
            end = skip_literal(code, i)
            for j in range(i + 1, min(end - 1, n)):
                out[j] = "_"
            i = end
        else:
            i += 1
    return "".join(out)


CLOSERS = {"(": ")", "{": "}", "[": "]"}


def matching(masked: str, open_at: int) -> int:
    """Index of the bracket closing the one at `open_at` (in masked text)."""
    stack = []
    for i in range(open_at, len(masked)):
        c = masked[i]
        if c in CLOSERS:
            stack.append(CLOSERS[c])
        elif c in ")}]":
            if not stack or stack.pop() != c:
                raise AnalysisError(f"unbalanced {c!r} at offset {i}")
            if not stack:
                return i
    raise AnalysisError(f"unclosed {masked[open_at]!r} at offset {open_at}")


def split_top_level(masked: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the comma-separated parts of masked[start:end] (brackets nest)."""
    parts, depth, begin = [], 0, start
    for i in range(start, end):
        c = masked[i]
        if c in "({[":
            depth += 1
        elif c in ")}]":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append((begin, i))
            begin = i + 1
    if masked[begin:end].strip():
        parts.append((begin, end))
    return parts


class AnalysisError(Exception):
    pass


# --- Functions ----------------------------------------------------------------------------------

@dataclass
class function:
    name: str
    params: list[str]
    file: pathlib.Path
    code: str    # the file, comments stripped
    masked: str  # the same, literals masked
    body_start: int
    body_end: int

    def line_of(self, offset: int) -> int:
        return self.code.count("\n", 0, offset) + 1


def param_names(masked: str, start: int, end: int) -> list[str]:
    names = []
    for a, b in split_top_level(masked, start, end):
        text = masked[a:b].split("=")[0].strip()
        found = re.findall(r"\w+", text)
        if found and text not in ("void",):
            names.append(found[-1])
    return names


def blank_preprocessor(code: str) -> str:
    """#include, #define … lines (with their continuations) become spaces."""
    lines = code.split("\n")
    continued = False
    for i, line in enumerate(lines):
        if continued or line.lstrip().startswith("#"):
            continued = line.rstrip().endswith("\\")
            lines[i] = " " * len(line)
    return "\n".join(lines)


def find_functions(path: pathlib.Path) -> list[function]:
    code = blank_preprocessor(strip_comments(path.read_text(encoding="utf-8")))
    masked = mask_literals(code)
    functions = []
    i, segment_start = 0, 0
    while i < len(masked):
        c = masked[i]
        if c in ";}":
            segment_start = i + 1
            i += 1
            continue
        if c != "{":
            i += 1
            continue
        segment = masked[segment_start:i]
        if re.match(r"\s*(inline\s+)?namespace\b", segment):
            segment_start = i + 1  # namespace bodies are scanned like the top level
            i += 1
            continue
        close = matching(masked, i)
        definition = re.search(r"(?:^|[^\w:])(\w+)\s*\(", segment) if "=" not in segment.split("(")[0] else None
        if definition and not re.match(r"\s*(template\s*<[^>]*>\s*)?(struct|class|enum|union)\b", segment):
            open_paren = segment_start + definition.end() - 1
            close_paren = matching(masked, open_paren)
            functions.append(function(definition.group(1), param_names(masked, open_paren + 1, close_paren),
                                      path, code, masked, i + 1, close))
        segment_start = close + 1
        i = close + 1
    return functions


# --- Values and their resolution ----------------------------------------------------------------

# A value is one of: ("paths", frozenset[str]) for a YAML node (or the items of a sequence);
# ("map", frozenset[str]) for a map_reader over those paths; ("str", text) for a string literal.

def join(parent: str, key: str) -> str:
    return key if parent == "" else f"{parent}.{key}"


@dataclass
class reader:
    file: pathlib.Path
    line: int
    keys: list[str]
    paths: set[str] = field(default_factory=set)


@dataclass
class definition:
    name: str
    offset: int
    kind: str  # "expr" (the value of an expression), "map" (a map_reader), "path" (a literal path)
    span: tuple[int, int] = (0, 0)
    literal: str = ""            # kind "path"
    keys: tuple[str, ...] = ()   # kind "map"
    reader_key: tuple = ()       # kind "map": (file, line), one per map_reader in the source


class analysis:
    def __init__(self, functions: list[function]):
        self.by_name: dict[str, list[function]] = {}
        for f in functions:
            self.by_name.setdefault(f.name, []).append(f)
        self.readers: dict[tuple, reader] = {}
        self.done: set = set()
        self.stack: list = []
        for f in functions:
            for d in self.definitions(f):
                if d.kind == "map":
                    self.readers.setdefault(d.reader_key, reader(f.file, f.line_of(d.offset), list(d.keys)))

    # Local definitions of a function body, in order.
    def definitions(self, f: function) -> list[definition]:
        body = f.masked[f.body_start:f.body_end]
        base = f.body_start
        found = []
        for m in re.finditer(r"\bmap_reader\s+(\w+)\s*\(", body):
            open_paren = base + m.end() - 1
            args = split_top_level(f.masked, open_paren + 1, matching(f.masked, open_paren))
            if len(args) != 3:
                raise AnalysisError(f"{f.file}:{f.line_of(open_paren)}: map_reader {m.group(1)}: "
                                    "expected (diagnostics, node, {keys})")
            keys = re.findall(r'"((?:[^"\\]|\\.)*)"', f.code[args[2][0]:args[2][1]])
            found.append(definition(m.group(1), base + m.start(), "map", args[1], keys=tuple(keys),
                                    reader_key=(str(f.file), f.line_of(base + m.start()))))
        for m in re.finditer(r"\b(?:located|auto)\s+(\w+)\s*=\s*", body):
            start = base + m.end()
            end = start
            depth = 0
            while end < f.body_end:
                c = f.masked[end]
                if c in "({[":
                    depth += 1
                elif c in ")}]":
                    if depth == 0:
                        break
                    depth -= 1
                elif c in ";," and depth == 0:
                    break
                end += 1
            found.append(definition(m.group(1), base + m.start(), "expr", (start, end)))
        for m in re.finditer(r"\blocated\s+(\w+)\s*\{", body):
            open_brace = base + m.end() - 1
            args = split_top_level(f.masked, open_brace + 1, matching(f.masked, open_brace))
            literal = re.fullmatch(r'\s*"((?:[^"\\]|\\.)*)"\s*', f.code[args[1][0]:args[1][1]]) if len(args) > 1 else None
            if literal:
                found.append(definition(m.group(1), base + m.start(), "path", literal=literal.group(1)))
        for m in re.finditer(r"\bfor\s*\(\s*(?:const\s+)?auto\s*&{0,2}\s*(\w+)\s*:", body):
            open_paren = base + body.index("(", m.start())
            found.append(definition(m.group(1), base + m.start(), "expr",
                                    (base + m.end(), matching(f.masked, open_paren))))
        found.sort(key=lambda d: d.offset)
        return found

    def resolve(self, f: function, env: dict, defs: list[definition], start: int, end: int):
        # Leading whitespace and a dereference or address-of do not change what is named.
        lead = re.match(r"[\s*&]*", f.masked[start:end]).end()
        start += lead
        text = f.masked[start:end].rstrip()
        end = start + len(text)
        if re.fullmatch(r'"_*"', text):
            return ("str", f.code[start + 1:end - 1])
        call = re.fullmatch(r"(\w+)\s*\.\s*(at|items)\s*\((.*)\)", text, re.S)
        if call:
            owner = self.lookup(f, env, defs, call.group(1), start)
            arg_start = start + call.start(3)
            key = self.resolve(f, env, defs, arg_start, arg_start + len(call.group(3)))
            if not owner or owner[0] != "map" or not key or key[0] != "str":
                return None
            suffix = "[]" if call.group(2) == "items" else ""
            return ("paths", frozenset(join(p, key[1]) + suffix for p in owner[1]))
        items = re.fullmatch(r"sequence_items\s*\((.*)\)", text, re.S)
        if items:
            inner = start + items.start(1)
            args = split_top_level(f.masked, inner, inner + len(items.group(1)))
            if len(args) == 2:
                node = self.resolve(f, env, defs, *args[1])
                if node and node[0] == "paths":
                    return ("paths", frozenset(p + "[]" for p in node[1]))
            return None
        if re.fullmatch(r"\w+", text):
            return self.lookup(f, env, defs, text, start)
        return None

    def lookup(self, f: function, env: dict, defs: list[definition], name: str, at: int):
        for d in reversed(defs):
            if d.name != name or d.offset >= at:
                continue
            if d.kind == "path":
                return ("paths", frozenset([d.literal]))
            if d.kind == "map":
                node = self.resolve(f, env, defs, *d.span)
                return ("map", node[1]) if node and node[0] == "paths" else None
            return self.resolve(f, env, defs, *d.span)
        return env.get(name)

    def run(self, f: function, env: dict) -> None:
        memo = (f.name, str(f.file), f.body_start, tuple(sorted(env.items())))
        if memo in self.done or memo in self.stack:
            return
        self.stack.append(memo)
        defs = self.definitions(f)
        for d in defs:
            if d.kind == "map":
                node = self.resolve(f, env, defs, *d.span)
                if node and node[0] == "paths":
                    self.readers[d.reader_key].paths.update(node[1])
        body = f.masked[f.body_start:f.body_end]
        for m in re.finditer(r"(?<![\w.:>])(\w+)\s*\(", body):
            for callee in self.by_name.get(m.group(1), []):
                open_paren = f.body_start + m.end() - 1
                args = split_top_level(f.masked, open_paren + 1, matching(f.masked, open_paren))
                if len(args) > len(callee.params):
                    continue
                bound = {}
                for name, span in zip(callee.params, args):
                    value = self.resolve(f, env, defs, *span)
                    if value is not None:
                        bound[name] = value
                self.run(callee, bound)
        self.stack.pop()
        self.done.add(memo)


def accepted_keys(source: pathlib.Path) -> dict[str, dict[str, list[tuple[pathlib.Path, int]]]]:
    """section path → key → where the loader accepts it."""
    functions = []
    for path in sorted((source / "conf").glob("*.cpp")):
        functions += find_functions(path)
    a = analysis(functions)
    roots = a.by_name.get("read_config", [])
    if not roots:
        raise AnalysisError("conf/*.cpp: no read_config() to start from")
    for root in roots:
        a.run(root, {})
    sections: dict[str, dict[str, list]] = {}
    unplaced = []
    for r in a.readers.values():
        if not r.paths:
            unplaced.append(f"{r.file}:{r.line}: cannot tell which section this map_reader reads "
                            "(teach tests/tools/config_reference_check.py the pattern)")
            continue
        for p in r.paths:
            section = sections.setdefault(p, {})
            for k in r.keys:
                section.setdefault(k, []).append((r.file, r.line))
    if unplaced:
        raise AnalysisError("\n".join(unplaced))
    return sections


# --- The reference ------------------------------------------------------------------------------

HEADING = re.compile(r"^#{2,6}\s+(`[^`]+`(?:\s*,\s*`[^`]+`)*)")


def documented_keys(doc: pathlib.Path) -> tuple[dict[str, dict[str, int]], list[str]]:
    """section path → key → line in the reference; and format problems."""
    sections: dict[str, dict[str, int]] = {}
    problems = []
    current: list[str] = []
    for number, line in enumerate(doc.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("#"):
            m = HEADING.match(line)
            current = []
            if m:
                for raw in re.findall(r"`([^`]+)`", m.group(1)):
                    path = "" if raw == ROOT_HEADING else raw
                    if path in sections:
                        problems.append(f"{doc}:{number}: section `{raw}` is documented twice")
                    sections[path] = {}
                    current.append(path)
            continue
        if not current or not line.lstrip().startswith("|"):
            continue
        first = line.strip().strip("|").split("|")[0].strip()
        key = re.fullmatch(r"`([^`]+)`", first)
        if not key:
            continue  # the header row, the separator
        for path in current:
            if key.group(1) in sections[path]:
                problems.append(f"{doc}:{number}: key `{key.group(1)}` is listed twice in `{path or ROOT_HEADING}`")
            sections[path][key.group(1)] = number
    return sections, problems


def compare(code: dict, doc: dict, doc_path: pathlib.Path, source: pathlib.Path) -> list[str]:
    differences = []

    def where(places):
        file, line = places[0]
        return f"{pathlib.Path(file).relative_to(source)}:{line}"

    def name(path):
        return path or ROOT_HEADING

    for path in sorted(code):
        keys = code[path]
        if not keys:
            continue  # a map_reader that accepts nothing (it only reports a non-mapping value)
        if path not in doc:
            differences.append(f"{doc_path}: section `{name(path)}` ({len(keys)} keys, read at "
                               f"{where(next(iter(keys.values())))}) is not documented")
            continue
        for key in sorted(set(keys) - set(doc[path])):
            differences.append(f"{doc_path}: `{name(path)}` lacks key `{key}`, which the loader "
                               f"accepts ({where(keys[key])})")
    for path in sorted(doc):
        accepted = code.get(path, {})
        for key in sorted(set(doc[path]) - set(accepted)):
            differences.append(f"{doc_path}:{doc[path][key]}: `{name(path)}` documents key `{key}`, "
                               "which the loader does not accept there")
        if not doc[path] and not accepted:
            differences.append(f"{doc_path}: section `{name(path)}` is not one the loader reads")
    return differences


def main() -> int:
    here = pathlib.Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=pathlib.Path, default=here.parent.parent,
                        help="the repository (default: this script's)")
    parser.add_argument("--doc", type=pathlib.Path, help="default: SOURCE/docs/configuration.md")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every section and key")
    args = parser.parse_args()
    source = args.source.resolve()
    doc_path = args.doc or source / "docs" / "configuration.md"
    try:
        code = accepted_keys(source)
    except AnalysisError as e:
        print(f"config_reference_check: cannot analyse the loader:\n{e}", file=sys.stderr)
        return 2
    if args.verbose:
        for path in sorted(code):
            print(f"{path or ROOT_HEADING}: {', '.join(sorted(code[path]))}")
    if not doc_path.is_file():
        print(f"{doc_path}: missing", file=sys.stderr)
        return 1
    doc, problems = documented_keys(doc_path)
    differences = problems + compare(code, doc, doc_path, source)
    for line in differences:
        print(line, file=sys.stderr)
    if differences:
        print(f"config_reference_check: {len(differences)} difference(s) between the loader and "
              f"{doc_path.name}", file=sys.stderr)
        return 1
    total = sum(len(k) for k in code.values())
    print(f"config_reference_check: {total} keys in {len([p for p in code if code[p]])} sections, "
          "all documented")
    return 0


if __name__ == "__main__":
    sys.exit(main())
