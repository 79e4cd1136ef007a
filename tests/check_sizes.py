#!/usr/bin/env python3
"""Size limits that keep ganvas's code readable: no source file over 600 lines, no function over 60, and
no class or struct in gan/viz/ holding more than 15 data members.

A function is a brace-enclosed body whose header (the text since the previous ';', '{' or '}' at the
same level) holds a parameter list; namespaces, classes, structs, enums and initializer lists open
scopes, not functions. A constructor's member initializers in braces (`S(int a) : a_{a} {`) belong to its
header, so the body after them is the function. Comments, literals and preprocessor lines are blanked
first, so braces in them do not count.

A class's data members are its non-static data members: methods (declared or defined), static members,
using and typedef, nested types, friends and enum values are not; a declaration of several names
(`int a, b;`) counts each; a nested type declared with a member (`enum class E {…} e_;`) counts the member.

Usage: check_sizes.py [ROOT]        exits 1 and names each file, function or class over its limit
       check_sizes.py --self-test   plants one oversized piece of each kind and checks it alone is caught
"""
import pathlib
import re
import sys
import tempfile

from source_check import plant, run_check

SOURCES = (".h", ".hh", ".hpp", ".hxx", ".inl", ".ipp", ".cuh", ".c", ".cc", ".cpp", ".cxx", ".cu")
FOLDERS = ("common", "engine", "gan", "include", "tests", "bench", "examples")
MAX_FILE_LINES = 600
MAX_FUNCTION_LINES = 60
MAX_DATA_MEMBERS = 15
DATA_MEMBER_FOLDERS = ("gan/viz",)  # where the data-member limit holds
SCOPE = re.compile(r"^\s*(template\s*<.*>\s*)?(namespace|class|struct|union|enum)\b|^\s*extern\s*$", re.S)
LITERALS = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|^[ \t]*#[^\n]*', re.S | re.M)
# After a constructor's parameter list, a ':' (not '::') starts its member initializers; a header that
# then ends in a name (or a template's '>') is opening one of them in braces.
MEMBER_INIT = re.compile(r"\)\s*(?:noexcept\s*(?:\([^()]*\))?\s*)?(?<!:):(?!:).*[\w>]\s*$", re.S)


def blank(match):
    """A comment or literal, its newlines kept so line numbers stay right."""
    text = match.group(0)
    return "".join(c if c == "\n" else " " for c in text)


def blanked(text):
    return LITERALS.sub(blank, text)


def functions(text):
    """(first line, line count, header) of every function body in C++ source `text`."""
    code = blanked(text)
    found = []
    stack = []  # for each open brace: (kind, first line, header) with kind "scope", "function", "block" or "init"
    header_start = 0
    for i, c in enumerate(code):
        if c not in ";{}":
            continue
        in_init = bool(stack) and stack[-1][0] == "init"
        if c == "{":
            header = code[header_start:i]
            first = 0
            if any(kind == "function" for kind, _, _ in stack):
                kind = "block"
            elif in_init:
                kind = "init"
            elif SCOPE.search(header) or "(" not in header or header.rstrip().endswith("="):
                kind = "scope"
            elif MEMBER_INIT.search(header):
                kind = "init"  # a member initializer in braces: the header goes on after it
            else:
                kind = "function"
                first = code.count("\n", 0, header_start + len(header) - len(header.lstrip())) + 1
            stack.append((kind, first, " ".join(header.split())[:80]))
            if kind == "init":
                continue
        elif c == "}" and stack:
            kind, first, name = stack.pop()
            if kind == "function":
                last = code.count("\n", 0, i) + 1
                found.append((first, last - first + 1, name))
            elif kind == "init":
                continue
        elif c == ";" and in_init:
            continue
        header_start = i + 1
    return found


CLASS_HEAD = re.compile(r"(?:^|[\s:;{}>])(class|struct)\s+(?:alignas\s*\([^()]*\)\s*)?([A-Za-z_]\w*)"
                        r"(?:\s+final)?\s*(?::(?!:)[^;{}]*)?$")
ACCESS = re.compile(r"^\s*(?:public|private|protected)\s*:(?!:)")
ATTRIBUTES = re.compile(r"\[\[.*?\]\]|\balignas\s*\([^()]*\)")
FUNCTION_BODY_BEFORE = re.compile(r"\)\s*(?:(?:const|volatile|noexcept(?:\s*\([^()]*\))?|override|final|&&?)\s*)*"
                                  r"(?:->[^;{}=]*)?$")
INITIALIZER_EQUALS = re.compile(r"(?<![=!<>+\-*/%&|^])=(?!=)")
FORWARD_DECLARATION = re.compile(r"^(?:enum\s+(?:class|struct)\s+|enum\s+|class\s+|struct\s+|union\s+)[\w:]+"
                                 r"(?:\s*:\s*[\w:\s]+)?$")


def _matching_braces(code):
    pairs, stack = {}, []
    for i, c in enumerate(code):
        if c == "{":
            stack.append(i)
        elif c == "}" and stack:
            pairs[stack.pop()] = i
    return pairs


def _collapsed(code, start, end, pairs):
    """code[start:end] with each brace group at its top level replaced by "{}"."""
    out, i = [], start
    while i < end:
        if code[i] == "{":
            out.append("{}")
            i = pairs.get(i, end - 1) + 1
        else:
            out.append(code[i])
            i += 1
    return "".join(out)


def _initializer_equals(text):
    """Where the first '=' that starts an initializer (not one of `operator=`) is in `text`, or None."""
    for m in INITIALIZER_EQUALS.finditer(text):
        if not text[:m.start()].rstrip().endswith("operator"):
            return m.start()
    return None


def _has_initializer_equals(text):
    return _initializer_equals(text) is not None


def _statements(body):
    """A class body (nested groups collapsed to "{}") cut into member declarations; functions defined in
    the body are dropped."""
    statements, current, i = [], "", 0
    while i < len(body):
        c = body[i]
        if c == ";":
            statements.append(current)
            current = ""
        elif body.startswith("{}", i):
            before = ACCESS.sub("", current).strip()
            is_function = "(" in before and not _has_initializer_equals(before) and (
                FUNCTION_BODY_BEFORE.search(before)
                or (re.search(r"\)\s*(?<!:):(?!:)", before) and before.endswith(("}", ")"))))
            if is_function:
                current = ""
            else:
                current += "{}"
            i += 2
            continue
        else:
            current += c
        i += 1
    statements.append(current)
    return statements


def _split_top_level(text):
    """`text` cut at the commas outside (), [], {} and template arguments."""
    parts, depth, angle, start = [], 0, 0, 0
    for i, c in enumerate(text):
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "<" and depth == 0 and re.search(r"[\w>]\s*$", text[:i]) and text[i - 1:i + 1] != "<<" \
                and text[i:i + 2] != "<<":
            angle += 1
        elif c == ">" and depth == 0 and angle > 0 and text[i - 1] != "-":
            angle -= 1
        elif c == "," and depth == 0 and angle == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _without_template_arguments(text):
    out, angle = [], 0
    for i, c in enumerate(text):
        if c == "<" and re.search(r"[\w>]\s*$", text[:i]):
            angle += 1
        elif c == ">" and angle > 0 and text[i - 1] != "-":
            angle -= 1
        elif angle == 0:
            out.append(c)
    return "".join(out)


def _declarator_name(part):
    pointer = re.search(r"\(\s*[*&]\s*([A-Za-z_]\w*)", part)
    if pointer:
        return pointer.group(1)  # a pointer to a function or an array: `void (*f_)(int)`
    head = re.split(r"=|\{\}|\[|(?<!:):(?!:)", part)[0]
    names = re.findall(r"[A-Za-z_]\w*", head)
    return names[-1] if names else "?"


def data_members(statement):
    """The names of the non-static data members one member declaration of a class declares."""
    s = ATTRIBUTES.sub(" ", statement)
    while ACCESS.search(s):
        s = ACCESS.sub("", s)
    s = " ".join(s.split())
    if not s:
        return []
    first = s.split()[0].split("<")[0]
    if first in ("using", "typedef", "friend", "static_assert", "template", "static", "namespace"):
        return []
    if first in ("class", "struct", "union", "enum"):
        if "{}" in s:
            s = s[s.index("{}") + 2:].strip()  # a nested type: its declarators, if any, are members
            if not s:
                return []
        elif FORWARD_DECLARATION.match(s):
            return []
    declaration = s
    head = re.split(r"\{\}", declaration)[0]
    equals = _initializer_equals(head)
    head = head if equals is None else head[:equals]
    if re.search(r"\bstatic\b", head):
        return []
    bare = _without_template_arguments(head)
    if "(" in bare and (re.search(r"\boperator\b", bare) or not re.search(r"\(\s*[*&]", bare)):
        return []  # a method's declaration (a pointer to a function is data: `void (*f_)(int)`)
    return [_declarator_name(part) for part in _split_top_level(declaration) if part.strip()]


def classes(text):
    """(line, name, [data members]) of every named class or struct defined in C++ source `text`."""
    code = blanked(text)
    pairs = _matching_braces(code)
    found = []
    for open_brace, close_brace in sorted(pairs.items()):
        start = max(code.rfind(c, 0, open_brace) for c in ";{}") + 1
        header = code[start:open_brace].rstrip()
        match = CLASS_HEAD.search(header)
        if not match or re.search(r"\benum\s*$", header[:match.start(1)]):
            continue
        body = _collapsed(code, open_brace + 1, close_brace, pairs)
        members = [name for statement in _statements(body) for name in data_members(statement)]
        line = code.count("\n", 0, start + match.start(1)) + 1
        found.append((line, match.group(2), members))
    return found


def source_files(root, folders=FOLDERS):
    """(relative path, text) of every C, C++ and CUDA file under `folders`."""
    root = pathlib.Path(root)
    for top in folders:
        for path in sorted((root / top).rglob("*")):
            if path.suffix in SOURCES and path.is_file():
                yield path.relative_to(root).as_posix(), path.read_text(errors="replace")


def line_count(text):
    return text.count("\n") + (0 if text.endswith("\n") or not text else 1)


def problems_in(root):
    problems = []
    for relative, text in source_files(root):
        lines = line_count(text)
        if lines > MAX_FILE_LINES:
            problems.append(f"{relative}: {lines} lines (at most {MAX_FILE_LINES})")
        for first, count, name in functions(text):
            if count > MAX_FUNCTION_LINES:
                problems.append(f"{relative}:{first}: a function of {count} lines (at most {MAX_FUNCTION_LINES}): {name}")
        if relative.startswith(tuple(folder + "/" for folder in DATA_MEMBER_FOLDERS)):
            for line, name, members in classes(text):
                if len(members) > MAX_DATA_MEMBERS:
                    problems.append(f"{relative}:{line}: {name} holds {len(members)} data members "
                                    f"(at most {MAX_DATA_MEMBERS})")
    return problems


def self_test():
    """One oversized piece of every kind, planted beside clean files that come near each limit with what
    the counting must see through, is reported as exactly one problem of the planted file."""
    body = "\n".join(f"  x += {i};" for i in range(70))
    members = "\n".join(f"  int m{i}_ = {i};" for i in range(13))
    cases = {
        "gan/model/long_function.cpp": f"namespace a {{\nint f(int x,\n      int y) {{\n{body}\n  return x;\n}}\n}}\n",
        "engine/long_method.h": f"struct S {{\n  void g() const {{\n{body}\n  }}\n}};\n",
        "common/long_file.cpp": "int x = 1;\n" * 601,
        # a constructor whose last member initializer is in braces: its body is the function
        "gan/io/brace_init.cpp": f"struct S {{\n  S(int a, int b) : a_(a), b_{{b}} {{\n{body}\n  }}\n  int a_, b_;\n}};\n",
        "gan/render/brace_init_only.h": f"struct T {{\n  T() noexcept : a_{{1}}, v_{{{{1, 2}}}} {{\n{body}\n  }}\n}};\n",
        "gan/math/long.hpp": f"inline int f(int x) {{\n{body}\n  return x;\n}}\n",
        "gan/model/long.inl": f"template <typename T>\nT f(T x) {{\n{body}\n  return x;\n}}\n",
        # 16 data members, two of them declared on one line
        "gan/viz/many_members.h": f"class Big {{\n{members}\n  int a_, b_;\n  int c_;\n}};\n",
        "gan/viz/many_members.hpp": f"struct Wide {{\n{members}\n  float x_, y_, z_;\n}};\n",
    }
    short = ('#include <x.h>\n#define M(a) (a)\nnamespace b {\nint h() {\n  const char* s = "{{{";  // }}}\n'
             '  if (s) { return 1; }\n  return 0;\n}\nstruct I {\n  I(int a) : a_{a} {}\n  int a_;\n};\n}\n')
    # 15 data members among everything that is not one
    fifteen = ("#pragma once\nclass Full final : public Base {\n public:\n  Full() : a_{1} { init(); }\n"
               "  ~Full() override;\n  int size() const { return a_; }\n  Full& operator=(const Full&) = delete;\n"
               "  static Full make(int n);\n  static constexpr int kLimit = 3;\n  using Cells = std::vector<int>;\n"
               "  typedef int Index;\n  friend class Helper;\n  struct Nested { int p, q, r; };\n"
               "  enum class Mode { kA, kB, kC };\n  template <typename T> T get() const;\n  class Forward;\n"
               "  auto tail() const -> int;\n  virtual void paint(const std::map<int, int>& m) = 0;\n\n private:\n"
               "  int a_, b_;\n  std::map<int, std::pair<int, int>> m_;\n  std::function<void(int)> callback_;\n"
               "  void (*hook_)(int, float) = nullptr;\n  char path_[512] = \"\";\n"
               "  enum class Ask { kNone, kImage } ask_ = Ask::kNone;\n  std::vector<int> v_{1, 2, 3};\n"
               "  std::unique_ptr<Nested> nested_;\n  float f_ = 1.0f, g_ = 2.0f;\n  bool flag_ : 1;\n"
               "  Mode mode_ = Mode::kA;\n  std::string name_ = \"{;}\";\n  [[no_unique_address]] Empty e_;\n};\n")
    twenty = "struct Elsewhere {\n" + "\n".join(f"  int m{i};" for i in range(20)) + "\n};\n"
    clean = {"gan/model/short.cpp": short, "gan/viz/fifteen.h": fifteen, "gan/embed/twenty.h": twenty}
    with tempfile.TemporaryDirectory() as tmp:
        plant(tmp, clean)
        counted = {name: members for _, name, members in classes(fifteen)}
        if problems_in(tmp) or len(counted.get("Full", [])) != 15 or len(counted.get("Nested", [])) != 3:
            print(f"self-test: the clean files should pass, got {problems_in(tmp)}; Full's members: {counted}")
            return 1
    for name, text in cases.items():
        with tempfile.TemporaryDirectory() as tmp:
            plant(tmp, {**clean, name: text})
            problems = problems_in(tmp)
            if len(problems) != 1 or not problems[0].startswith(name):
                print(f"self-test: {name} should give one problem, got {problems}")
                return 1
            print(f"  caught {problems[0]}")
    print(f"self-test: each of {len(cases)} oversized pieces was caught alone; short functions with braces in "
          f"text and initializers, a class of {MAX_DATA_MEMBERS} data members among methods, statics, types and "
          "friends, and a large class outside gan/viz passed")
    return 0


if __name__ == "__main__":
    sys.exit(run_check(problems_in, self_test, "{count} files, functions or classes are over their size limits",
                       f"every source file is at most {MAX_FILE_LINES} lines, every function at most "
                       f"{MAX_FUNCTION_LINES}, every class in gan/viz holds at most {MAX_DATA_MEMBERS} data members"))
