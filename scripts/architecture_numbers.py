#!/usr/bin/env python3
"""The numbers docs/architecture.md shows about today's tree, computed from the sources: files and lines
per folder and layer, the largest file and function, the functions over the size limit, the classes with
the most data members in gan/viz/ and gan/embed/, and the includes between layers. They are written
between the marker comments NUMBERS_BEGIN and NUMBERS_END of the doc, so no number there is typed.

It counts as tests/check_sizes.py and tests/check_layers.py do (it uses their code).

It also names each repository path the doc writes in `code` that is not in the tree (a stale path),
outside a section whose heading says History.

Usage: architecture_numbers.py [ROOT]          rewrites the marked section of ROOT/docs/architecture.md
       architecture_numbers.py --check [ROOT]  exits 1 when that section is not what the tree gives, or
                                               when a path the doc names is gone
"""
import collections
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import check_layers  # noqa: E402
import check_sizes  # noqa: E402

DOC = "docs/architecture.md"
NUMBERS_BEGIN = "<!-- numbers:begin (written by scripts/architecture_numbers.py; do not edit by hand) -->"
NUMBERS_END = "<!-- numbers:end -->"
PROGRAM = ("common", "engine", "gan")  # the program's own sources
OTHERS = ("include", "examples", "tests", "bench")
LAYER_ORDER = ("common", "engine", *check_layers.CORE[:4], *check_layers.BACKEND_INTERNALS, *check_layers.CORE[4:],
               "gan/render", "gan/viz", "gan/embed", "gan/cli", check_layers.API, "examples")
NOTES = {
    "gan/backends": "the interface, the factory",
    "gan/backends/cpu": "the CPU backend",
    "gan/backends/cuda": "the CUDA backend",
}
TOP = 5  # classes shown per folder


def number(n):
    return f"{n:,}"


def folder_of(relative):
    """The row a file is counted in: its layer, else its top folder."""
    return check_layers.layer_of(relative) or relative.split("/")[0] + " (in no layer)"


def sources(root):
    return list(check_sizes.source_files(root, PROGRAM + OTHERS))


def folder_table(files):
    counts = collections.OrderedDict()
    for relative, text in files:
        if relative.split("/")[0] not in PROGRAM:
            continue
        row = counts.setdefault(folder_of(relative), [0, 0])
        row[0] += 1
        row[1] += check_sizes.line_count(text)
    rows = ["| folder | files | lines |", "| --- | ---: | ---: |"]
    ordered = sorted(counts, key=lambda f: (LAYER_ORDER.index(f) if f in LAYER_ORDER else len(LAYER_ORDER), f))
    for folder in ordered:
        note = f" ({NOTES[folder]})" if folder in NOTES else ""
        rows.append(f"| `{folder}/`{note} | {number(counts[folder][0])} | {number(counts[folder][1])} |")
    total_files = sum(c[0] for c in counts.values())
    total_lines = sum(c[1] for c in counts.values())
    rows.append(f"| **the program** (`common/`, `engine/`, `gan/`) | **{number(total_files)}** | **{number(total_lines)}** |")
    for top in OTHERS:
        inside = [text for relative, text in files if relative.split("/")[0] == top]
        if inside:
            lines = sum(check_sizes.line_count(text) for text in inside)
            rows.append(f"| `{top}/` | {number(len(inside))} | {number(lines)} |")
    return rows


def size_lines(files):
    program = [(relative, text) for relative, text in files if relative.split("/")[0] in PROGRAM]
    largest_file = max(program, key=lambda f: (check_sizes.line_count(f[1]), f[0]))
    functions = [(count, relative, first, name) for relative, text in files
                 for first, count, name in check_sizes.functions(text)]
    in_program = [f for f in functions if f[1].split("/")[0] in PROGRAM]
    count, relative, first, name = max(in_program, key=lambda f: (f[0], f[1], -f[2]))
    over = sorted((f for f in functions if f[0] > check_sizes.MAX_FUNCTION_LINES), key=lambda f: (-f[0], f[1], f[2]))
    files_over = [(relative, check_sizes.line_count(text)) for relative, text in files
                  if check_sizes.line_count(text) > check_sizes.MAX_FILE_LINES]
    lines = [
        f"- Largest file of the program: `{largest_file[0]}`, {number(check_sizes.line_count(largest_file[1]))} lines "
        f"(the limit is {check_sizes.MAX_FILE_LINES}); files over the limit anywhere "
        f"`tests/check_sizes.py` looks: {len(files_over)}"
        + "".join(f"\n  - `{relative}`, {number(n)} lines" for relative, n in files_over),
        f"- Largest function of the program: `{short(name)}` (`{relative}:{first}`), {count} lines "
        f"(the limit is {check_sizes.MAX_FUNCTION_LINES}); functions over the limit anywhere "
        f"`tests/check_sizes.py` looks: {len(over)}"
        + "".join(f"\n  - `{short(n)}` (`{r}:{l}`), {c} lines" for c, r, l, n in over),
    ]
    return lines


def short(header):
    """A function's header cut to its name and parameter list's start."""
    name = header.split("(")[0].split()
    return (name[-1] if name else header) + "(…)"


def class_lines(files):
    lines = [f"- Classes and structs with the most data members (the limit in `gan/viz/` is "
             f"{check_sizes.MAX_DATA_MEMBERS}):"]
    for folder in ("gan/viz", "gan/embed"):
        found = [(len(members), name, relative, line) for relative, text in files if relative.startswith(folder + "/")
                 for line, name, members in check_sizes.classes(text)]
        found.sort(key=lambda c: (-c[0], c[2], c[3]))
        over = sum(1 for c in found if c[0] > check_sizes.MAX_DATA_MEMBERS)
        shown = ", ".join(f"`{name}` {n} (`{relative}`)" for n, name, relative, _ in found[:TOP])
        lines.append(f"  - `{folder}/`: {shown}; over {check_sizes.MAX_DATA_MEMBERS}: {over}")
    return lines


def include_table(files):
    between = collections.defaultdict(collections.Counter)
    for relative, text in files:
        layer = check_layers.layer_of(relative)
        if layer is None:
            continue
        for _, _, target in check_layers.includes(text):
            project = check_layers.project_target(target)
            reached = check_layers.layer_of(project) if project else None
            if reached and reached != layer:
                between[layer][reached] += 1

    def order(layer):
        return LAYER_ORDER.index(layer) if layer in LAYER_ORDER else len(LAYER_ORDER)

    rows = ["| from | includes of project headers into other layers | in all |", "| --- | --- | ---: |"]
    for layer in sorted(between, key=order):
        into = ", ".join(f"`{target}/` {n}" for target, n in sorted(between[layer].items(), key=lambda t: order(t[0])))
        rows.append(f"| `{layer}/` | {into} | {sum(between[layer].values())} |")
    total = sum(sum(c.values()) for c in between.values())
    rows.append(f"| all layers | | **{number(total)}** |")
    return rows


def numbers(root):
    files = sources(root)
    parts = [
        NUMBERS_BEGIN,
        "C++ and CUDA sources (`.h`, `.hpp`, `.inl`, `.cpp`, `.cu`, …) by folder, each `gan/` layer on its own row:",
        "",
        *folder_table(files),
        "",
        *size_lines(files),
        *class_lines(files),
        "",
        "Includes between layers (`tests/check_layers.py` holds them to the table above):",
        "",
        *include_table(files),
        NUMBERS_END,
    ]
    return "\n".join(parts)


PATH = re.compile(r"`((?:common|engine|gan|include|examples|tests|bench|scripts|shaders|docs|assets)/[^`\s…]*)`")


def missing_paths(root, doc):
    """The repository paths the doc names in `code` that are not in the tree (a section whose heading
    says History keeps the paths of its day)."""
    missing, in_history = [], False
    for line in doc.splitlines():
        if line.startswith("#"):
            in_history = "History" in line
        if in_history:
            continue
        for path in PATH.findall(line):
            path = re.sub(r":\d+$", "", path)  # file:line
            if not any(pathlib.Path(root).glob(path.rstrip("/"))) and path not in missing:
                missing.append(path)
    return missing


def replaced(doc, section):
    begin, end = doc.find(NUMBERS_BEGIN), doc.find(NUMBERS_END)
    if begin < 0 or end < begin:
        raise SystemExit(f"{DOC} has no section between {NUMBERS_BEGIN!r} and {NUMBERS_END!r}")
    return doc[:begin] + section + doc[end + len(NUMBERS_END):]


def main(argv):
    check = "--check" in argv
    rest = [a for a in argv if a != "--check"]
    root = pathlib.Path(rest[0]) if rest else ROOT
    path = root / DOC
    doc = path.read_text()
    new = replaced(doc, numbers(root))
    missing = missing_paths(root, doc)
    for gone in missing:
        print(f"{DOC} names {gone}, which is not in the tree")
    if check:
        if new != doc:
            print(f"{DOC}'s numbers are not today's: run scripts/architecture_numbers.py and commit the doc")
        if new != doc or missing:
            return 1
        print(f"{DOC}'s numbers are today's, and every path it names is there")
        return 0
    if new != doc:
        path.write_text(new)
        print(f"wrote the numbers into {DOC}")
    else:
        print(f"{DOC}'s numbers were already today's")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
