#!/usr/bin/env python3
"""Size limits that keep ganvas's code readable: no source file over 600 lines, no function over 60.

A function is a brace-enclosed body whose header (the text since the previous ';', '{' or '}' at the
same level) holds a parameter list; namespaces, classes, structs, enums and initializer lists open
scopes, not functions. Comments, literals and preprocessor lines are blanked first, so braces in them do not count.

Usage: check_sizes.py [ROOT]        exits 1 and names each file or function over its limit
       check_sizes.py --self-test   checks that a long function, a long file and a long method are caught
"""
import pathlib
import re
import sys
import tempfile

from source_check import plant, run_check

SOURCES = (".h", ".cuh", ".c", ".cpp", ".cu")
FOLDERS = ("common", "engine", "gan", "tests", "bench", "examples")
MAX_FILE_LINES = 600
MAX_FUNCTION_LINES = 60
SCOPE = re.compile(r"^\s*(template\s*<.*>\s*)?(namespace|class|struct|union|enum)\b|^\s*extern\s+\"C\"", re.S)
LITERALS = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|^[ \t]*#[^\n]*', re.S | re.M)


def blank(match):
    """A comment or literal, its newlines kept so line numbers stay right."""
    text = match.group(0)
    return "".join(c if c == "\n" else " " for c in text)


def functions(text):
    """(first line, line count, header) of every function body in C++ source `text`."""
    code = LITERALS.sub(blank, text)
    found = []
    stack = []  # for each open brace: "scope", "function" or "block"
    header_start = 0
    for i, c in enumerate(code):
        if c in ";{}":
            if c == "{":
                header = code[header_start:i]
                inside_function = "function" in stack
                if inside_function:
                    kind = "block"
                elif SCOPE.search(header) or "(" not in header or header.rstrip().endswith("="):
                    kind = "scope"
                else:
                    kind = "function"
                    start_line = code.count("\n", 0, i) + 1
                    first = code.count("\n", 0, header_start + len(header) - len(header.lstrip())) + 1
                stack.append((kind, code.count("\n", 0, i) + 1, first if kind == "function" else 0,
                              " ".join(header.split())[:80]))
            elif c == "}" and stack:
                kind, _, first, name = stack.pop()
                if kind == "function":
                    last = code.count("\n", 0, i) + 1
                    found.append((first, last - first + 1, name))
            header_start = i + 1
    return found


def problems_in(root):
    root = pathlib.Path(root)
    problems = []
    for top in FOLDERS:
        for path in sorted((root / top).rglob("*")):
            if path.suffix not in SOURCES:
                continue
            relative = path.relative_to(root)
            text = path.read_text(errors="replace")
            lines = text.count("\n") + (0 if text.endswith("\n") else 1)
            if lines > MAX_FILE_LINES:
                problems.append(f"{relative}: {lines} lines (at most {MAX_FILE_LINES})")
            for first, count, name in functions(text):
                if count > MAX_FUNCTION_LINES:
                    problems.append(f"{relative}:{first}: a function of {count} lines (at most {MAX_FUNCTION_LINES}): {name}")
    return problems


def self_test():
    body = "\n".join(f"  x += {i};" for i in range(70))
    cases = {
        "gan/long_function.cpp": f"namespace a {{\nint f(int x,\n      int y) {{\n{body}\n  return x;\n}}\n}}\n",
        "engine/long_method.h": f"struct S {{\n  void g() const {{\n{body}\n  }}\n}};\n",
        "common/long_file.cpp": "int x = 1;\n" * 601,
    }
    short = '#include <x.h>\n#define M(a) (a)\nnamespace b {\nint h() {\n  const char* s = "{{{";  // }}}\n  if (s) { return 1; }\n  return 0;\n}\n}\n'
    for name, text in cases.items():
        with tempfile.TemporaryDirectory() as tmp:
            plant(tmp, {name: text, "gan/short.cpp": short})
            problems = problems_in(tmp)
            if len(problems) != 1 or not problems[0].startswith(name):
                print(f"self-test: {name} should give one problem, got {problems}")
                return 1
    print(f"self-test: each of {len(cases)} oversized pieces was caught; a short function with braces in text passed")
    return 0


if __name__ == "__main__":
    sys.exit(run_check(problems_in, self_test, "{count} files or functions are over their size limits",
                       f"every source file is at most {MAX_FILE_LINES} lines and every function at most {MAX_FUNCTION_LINES}"))
