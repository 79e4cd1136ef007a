#!/usr/bin/env python3
"""The commands the docs give still run as written.

Usage: readme_commands_test.py GANVAS MNIST_DIR SOURCE_ROOT
       readme_commands_test.py --self-test GANVAS MNIST_DIR SOURCE_ROOT

Every shell line of a fenced ```sh, ```bash, ```shell or ```console block (console: the lines after a
'$ ' prompt) in README.md and docs/*.md is run, in a temporary working folder per page (holding
`assets/` and `data/mnist/` as links), in the page's order, with the build's binary for `ganvas` and
`build/gan/ganvas`. A line this machine cannot run within a small time budget is run shortened, or
skipped, each by a named rule printed beside it. A line that fails, a line that matches no rule, a
command left in an indented code block or in a fence not marked sh (in the README and the pages it
sends users to), and a relative link that leads nowhere fail the test, with the line and its output.
Besides: README.md is at most 200 lines, its set-up commands are exactly `bash scripts/run.sh` and
`bash scripts/test.sh`, and .ci/run runs the latter.

The default run first plants pages with a broken command, an unknown command, hidden commands and
dead links, and checks that each is caught (--self-test does only that).
"""
import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

README_MAX_LINES = 200
SETUP_COMMANDS = ["bash scripts/run.sh", "bash scripts/test.sh"]
# Pages the README links to, and the pages whose commands must all sit in fenced blocks.
LINKED_PAGES = ["docs/usage.md", "docs/embedding.md", "docs/backends.md", "docs/performance.md"]
FENCED_ONLY = ["README.md", "docs/usage.md", "docs/embedding.md", "docs/backends.md"]
SHELL_FENCES = {"sh", "bash", "shell", "console"}
GANVAS_NAMES = {"ganvas", "build/gan/ganvas"}
COMMAND_TIMEOUT_S = 60

# The budget: what a line may cost here before a rule shortens it.
MAX_TRAIN_STEPS = 300          # longer runs train SHORT_TRAIN_STEPS steps
SHORT_TRAIN_STEPS = 50
MAX_RECORD_FRAMES = 15         # longer videos are cut to SHORT_RECORD_FRAMES frames
SHORT_RECORD_FRAMES = 10
MAX_TIMELAPSE_FRAMES = 5       # a time-lapse trains between frames: at most
MAX_STEPS_PER_FRAME = 10       # MAX_TIMELAPSE_FRAMES * MAX_STEPS_PER_FRAME steps
MAX_HEADLESS_FRAMES = 10
MAX_BENCH_FRAMES = 10           # the least --bench-frames takes
MAX_CLASSIFIER_EPOCHS = 1
WINDOW_FRAMES = 3


class Line:
    def __init__(self, page, number, text):
        self.page, self.number, self.text = page, number, text

    def where(self):
        return f"{self.page}:{self.number}"


# ---------------------------------------------------------------- reading the pages

def strip_comment(text):
    """The line without a trailing '# comment' (a '#' outside quotes, at the start of a word)."""
    quote, i = None, 0
    while i < len(text):
        c = text[i]
        if c == "\\" and quote != "'":
            i += 2  # an escaped character, outside quotes or in double quotes
            continue
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or text[i - 1].isspace()):
            return text[:i].rstrip()
        i += 1
    return text.rstrip()


def shell_lines(page, text):
    """The shell command lines of the page's fenced blocks, continuations joined, comments cut."""
    lines, fence, pending = [], None, None
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if fence is None:
            m = re.match(r"^(`{3,}|~{3,})\s*([\w+-]*)", stripped)
            if m:
                fence = (m.group(1), m.group(2).lower())
            continue
        if stripped.startswith(fence[0]) and stripped.strip(fence[0][0]) == "":
            fence = None
            continue
        if fence[1] not in SHELL_FENCES:
            continue
        if pending is not None:
            body = stripped
        elif fence[1] == "console":
            if not stripped.startswith("$ "):
                continue  # output shown under a command
            body = stripped[2:]
        else:
            body = stripped
        if pending is None and (not body or body.startswith("#")):
            continue
        if body.endswith("\\"):
            pending = (pending or (number, ""))
            pending = (pending[0], pending[1] + body[:-1].rstrip() + " ")
            continue
        start, head = pending if pending is not None else (number, "")
        pending = None
        command = strip_comment(head + body)
        if command:
            lines.append(Line(page, start, command))
    return lines


COMMAND_START = r"(\$ )?(ganvas|build/gan/ganvas|bash |cmake |sudo |apt-get |apt )(?=\s|$)"


def hidden_commands(page, text):
    """Commands this test would not see: in indented code blocks, or in fences not marked sh."""
    found, fence, previous_blank = [], None, True
    for number, raw in enumerate(text.splitlines(), 1):
        m = re.match(r"^\s*(`{3,}|~{3,})\s*([\w+-]*)", raw)
        if m:
            fence = None if fence is not None else m.group(2).lower()
        elif fence is not None:
            if fence not in SHELL_FENCES and re.match(r"^\s*" + COMMAND_START, raw):
                found.append(f"{page}:{number}: a command in a ```{fence} block, not a fenced ```sh block: "
                             f"{raw.strip()}")
        elif previous_blank and re.match(r"^( {4,}|\t)" + COMMAND_START, raw):
            found.append(f"{page}:{number}: a command in an indented block, not a fenced ```sh block: {raw.strip()}")
            continue
        previous_blank = raw.strip() == "" or (previous_blank and raw.startswith("    "))
    return found


def slug(heading):
    """GitHub's anchor for a heading."""
    text = re.sub(r"[`*]|\[([^\]]*)\]\([^)]*\)", lambda m: m.group(1) or "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(text):
    result, in_fence = set(), False
    for raw in text.splitlines():
        if re.match(r"^\s*(`{3,}|~{3,})", raw):
            in_fence = not in_fence
        elif not in_fence:
            m = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", raw)
            if m:
                result.add(slug(m.group(1)))
    return result


def dead_links(root, page, text):
    problems = []
    prose = re.sub(r"```.*?```", "", text, flags=re.S)
    for target in re.findall(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)", prose):
        if re.match(r"^[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        file = (root / page).parent / path if path else root / page
        if not file.exists():
            problems.append(f"{page}: the link ({target}) leads to no file")
        elif anchor and file.suffix == ".md" and anchor not in anchors(file.read_text()):
            problems.append(f"{page}: the link ({target}) names no heading of {file.relative_to(root)}")
    return problems


def pages(root):
    found = [root / "README.md"] + sorted((root / "docs").glob("*.md"))
    return [p for p in found if p.exists()]


# ---------------------------------------------------------------- the rules

class Plan:
    """What to do with one line: run `command` (maybe changed, by `rule`), or skip it by `rule`."""

    def __init__(self, kind, rule, why, command=None, outputs=()):
        self.kind, self.rule, self.why, self.command, self.outputs = kind, rule, why, command, list(outputs)


def option(words, name):
    """The value after the last `name` in words, or None."""
    value = None
    for i, word in enumerate(words[:-1]):
        if word == name:
            value = words[i + 1]
    return value


def set_option(command, name, value):
    """The command with `name VALUE` replaced (or appended)."""
    pattern = re.compile(rf"(?<!\S){re.escape(name)}\s+\S+")
    if pattern.search(command):
        return pattern.sub(f"{name} {value}", command)
    return f"{command} {name} {value}"


def number(text, default):
    try:
        return float(text) if text is not None else default
    except ValueError:
        return default


class Rules:
    def __init__(self, ganvas):
        self.ganvas = ganvas
        info = subprocess.run([ganvas, "info"], capture_output=True, text=True, timeout=30).stdout
        cuda = re.search(r"^backend cuda:\s*(.*)$", info, re.M)
        self.cuda_reason = None if cuda and cuda.group(1).startswith("available") else (
            cuda.group(1) if cuda else "no cuda backend in this build")
        self.xvfb = shutil.which("xvfb-run")

    def plan(self, line):
        try:
            words = shlex.split(line.text)
        except ValueError as error:
            return Plan("fail", "unparsable", f"not a shell line: {error}")
        env = []
        while words and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0]):
            env.append(words.pop(0))
        if not words:
            return Plan("fail", "no-rule", "an assignment alone")
        program, args = words[0], words[1:]
        first = args[0] if args else ""
        if program in ("bash", "sh") and first == "scripts/run.sh":
            return Plan("skip", "setup-script", "installs Debian packages, fetches MNIST and builds before it runs ganvas")
        if program in ("bash", "sh") and first == "scripts/test.sh":
            return Plan("skip", "test-suite", "the whole test suite, of which this test is one")
        if program in ("bash", "sh") and first == "scripts/gpu_check.sh":
            return Plan("skip", "gpu-check", "builds a CUDA bundle or runs on a GPU machine")
        if program in ("bash", "sh") and first.startswith("bench/"):
            return Plan("skip", "benchmark", "minutes of measurement (docs/performance.md)")
        if program in ("apt-get", "apt", "sudo", "dpkg"):
            return Plan("skip", "apt", "installs system packages")
        if (program == "cmake" and ("--install" in args or any(a.startswith("examples/") for a in args))) or \
                re.match(r"^(host|ogre)/", program):
            return Plan("skip", "package", "installs the package and builds a host against it: the CTest test "
                        "package.hosts_against_the_installed_package (tests/package_test.sh) does it")
        if program in GANVAS_NAMES:
            return self.plan_ganvas(line.text, env, args)
        return Plan("fail", "no-rule", "matches no rule: neither run nor skipped")

    def plan_ganvas(self, text, env, args):
        command = re.sub(r"^((?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*)(?:build/gan/ganvas|ganvas)(?=\s|$)",
                         lambda m: m.group(1) + shlex.quote(self.ganvas), text, count=1)
        sub = args[0] if args and not args[0].startswith("-") else "view"
        if "--help" in args or sub == "info":
            return Plan("run", None, None, command)
        if "--tf32" in args or option(args, "--device") == "cuda" or any(e.startswith("GANVAS_CUDA_") for e in env):
            if self.cuda_reason:
                return Plan("skip", "gpu", f"needs a CUDA device ({self.cuda_reason})")
        changes, outputs = [], []
        if sub == "train":
            steps = number(option(args, "--steps"), 1000)
            if steps > MAX_TRAIN_STEPS:
                command = set_option(command, "--steps", SHORT_TRAIN_STEPS)
                changes.append(f"--steps {SHORT_TRAIN_STEPS}")
                for every in ("--log-every", "--save-every", "--eval-every"):
                    if number(option(args, every), 0) > SHORT_TRAIN_STEPS:
                        command = set_option(command, every, SHORT_TRAIN_STEPS // 2)
                        changes.append(f"{every} {SHORT_TRAIN_STEPS // 2}")
            outputs += [option(args, "--out"), option(args, "--metrics-csv")]
        elif sub == "record":
            seconds, fps = number(option(args, "--seconds"), 10), number(option(args, "--fps"), 30)
            timelapse = option(args, "--content") == "timelapse"
            frames = MAX_TIMELAPSE_FRAMES if timelapse else SHORT_RECORD_FRAMES
            if seconds * fps > (MAX_TIMELAPSE_FRAMES if timelapse else MAX_RECORD_FRAMES):
                short = f"{frames / fps:.4g}"
                command = set_option(command, "--seconds", short)
                changes.append(f"--seconds {short}")
            if timelapse and number(option(args, "--steps-per-frame"), 20) > MAX_STEPS_PER_FRAME:
                command = set_option(command, "--steps-per-frame", MAX_STEPS_PER_FRAME)
                changes.append(f"--steps-per-frame {MAX_STEPS_PER_FRAME}")
            outputs.append(option(args, "--out"))
        elif sub == "train-classifier":
            if number(option(args, "--epochs"), 16) > MAX_CLASSIFIER_EPOCHS:
                command = set_option(command, "--epochs", MAX_CLASSIFIER_EPOCHS)
                changes.append(f"--epochs {MAX_CLASSIFIER_EPOCHS}")
            outputs.append(option(args, "--out"))
        elif sub in ("sample",):
            outputs.append(option(args, "--out"))
        elif sub == "view":
            if "--bench-frames" in args and number(option(args, "--bench-frames"), 0) > MAX_BENCH_FRAMES:
                command = set_option(command, "--bench-frames", MAX_BENCH_FRAMES)
                changes.append(f"--bench-frames {MAX_BENCH_FRAMES}")
            if "--frames" in args and number(option(args, "--frames"), 0) > MAX_HEADLESS_FRAMES:
                command = set_option(command, "--frames", MAX_HEADLESS_FRAMES)
                changes.append(f"--frames {MAX_HEADLESS_FRAMES}")
            outputs.append(option(args, "--screenshot"))
            if "--headless" not in args:
                if not self.xvfb:
                    return Plan("skip", "window", "opens a window, and xvfb-run is not installed")
                if "--frames" not in args:
                    command += f" --frames {WINDOW_FRAMES}"
                    changes.append(f"--frames {WINDOW_FRAMES}")
                command = re.sub(r"^((?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*)",
                                 lambda m: m.group(1) + "xvfb-run -a -s '-screen 0 1280x720x24' ", command, count=1)
                changes.insert(0, "a window under Xvfb")
                return Plan("run", "window", ", ".join(changes), command, [o for o in outputs if o])
        if changes:
            return Plan("run", "shortened", ", ".join(changes), command, [o for o in outputs if o])
        return Plan("run", None, None, command, [o for o in outputs if o])


# ---------------------------------------------------------------- running

def prepare_folder(folder, root, mnist):
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "mnist").symlink_to(pathlib.Path(mnist).resolve())
    (folder / "assets").symlink_to((root / "assets").resolve())
    for name in ("home", "xdg-data", "xdg-config"):
        (folder / name).mkdir()


def environment(folder):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "GANVAS_DATA_DIR")}
    env.update(HOME=str(folder / "home"), XDG_DATA_HOME=str(folder / "xdg-data"),
               XDG_CONFIG_HOME=str(folder / "xdg-config"))
    return env


def run_page(rules, root, mnist, page_lines, counts, problems):
    with tempfile.TemporaryDirectory(prefix="ganvas-docs-") as tmp:
        folder = pathlib.Path(tmp)
        prepare_folder(folder, root, mnist)
        env = environment(folder)
        for line in page_lines:
            plan = rules.plan(line)
            if plan.kind == "fail":
                print(f"FAIL {line.where()}: {line.text}\n     ({plan.rule}: {plan.why})")
                problems.append(f"{line.where()}: {line.text}: {plan.why}")
                counts["failed"] += 1
                continue
            if plan.kind == "skip":
                print(f"skip {line.where()} [{plan.rule}: {plan.why}]: {line.text}")
                counts["skipped"] += 1
                counts.setdefault("rules", {}).setdefault(plan.rule, 0)
                counts["rules"][plan.rule] += 1
                continue
            start = time.monotonic()
            try:
                result = subprocess.run(["bash", "-c", plan.command], cwd=folder, env=env, capture_output=True,
                                        text=True, timeout=COMMAND_TIMEOUT_S, stdin=subprocess.DEVNULL)
                status, output = result.returncode, result.stdout + result.stderr
            except subprocess.TimeoutExpired as error:
                status, output = "timeout", f"ran past {COMMAND_TIMEOUT_S} s\n{error.stdout or ''}"
            took = time.monotonic() - start
            missing = [o for o in plan.outputs if status == 0 and not (folder / o).exists()]
            note = f" [{plan.rule}: {plan.why}]" if plan.rule else ""
            if status != 0 or missing:
                why = f"exit status {status}" if status != 0 else f"wrote no {', '.join(missing)}"
                print(f"FAIL {line.where()}{note}: {line.text}\n     ({why}; ran: {plan.command})")
                print("     | " + "\n     | ".join(output.strip().splitlines()[-25:]))
                problems.append(f"{line.where()}: {line.text}: {why}")
                counts["failed"] += 1
            else:
                print(f"ok   {line.where()} ({took:.1f} s){note}: {line.text}")
                counts["run"] += 1
                if plan.rule:
                    counts["changed"] += 1
                    counts.setdefault("run rules", {}).setdefault(plan.rule, 0)
                    counts["run rules"][plan.rule] += 1


def structure_problems(root):
    problems = []
    readme = root / "README.md"
    if not readme.exists():
        return ["README.md is missing"]
    text = readme.read_text()
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if lines > README_MAX_LINES:
        problems.append(f"README.md has {lines} lines, more than {README_MAX_LINES}")
    setup = [l.text for l in shell_lines("README.md", text) if re.match(r"^(sudo\s+)?bash scripts/", l.text)]
    if setup != SETUP_COMMANDS:
        problems.append(f"README.md's set-up commands are {setup}, not {SETUP_COMMANDS}")
    ci = root / ".ci" / "run"
    if not ci.exists() or SETUP_COMMANDS[1] not in [l.strip() for l in ci.read_text().splitlines()]:
        problems.append(f".ci/run does not run the README's test command '{SETUP_COMMANDS[1]}'")
    for page in LINKED_PAGES:
        if f"]({page}" not in text:
            problems.append(f"README.md does not link to {page}")
    for page in pages(root):
        name = str(page.relative_to(root))
        page_text = page.read_text()
        problems += dead_links(root, name, page_text)
        if name in FENCED_ONLY:
            problems += hidden_commands(name, page_text)
    return problems


def check(ganvas, mnist, root):
    """Runs every page's lines; returns (problems, counts)."""
    root = pathlib.Path(root)
    rules = Rules(ganvas)
    counts = {"run": 0, "changed": 0, "skipped": 0, "failed": 0}
    problems = structure_problems(root)
    for problem in problems:
        print(f"FAIL {problem}")
    for page in pages(root):
        page_lines = shell_lines(str(page.relative_to(root)), page.read_text())
        if page_lines:
            print(f"-- {page.relative_to(root)}: {len(page_lines)} command lines")
            run_page(rules, root, mnist, page_lines, counts, problems)
    return problems, counts


# ---------------------------------------------------------------- the planted pages

PLANTED_README = """# planted

```sh
bash scripts/run.sh
```

```sh
bash scripts/test.sh
```

[usage](docs/usage.md) [embedding](docs/embedding.md) [backends](docs/backends.md)
[performance](docs/performance.md#no-such-heading)

```sh
ganvas info                                   # runs
ganvas sample --checkpoint assets/no-such.safetensors --out x.png   # fails: no such checkpoint
frobnicate --all                              # no rule
```

```console
$ build/gan/ganvas train --steps 20000 \\
    --stepz 3 --out out/run
step 100 (output, not a command)
```

Indented, or in a fence not marked sh, where the test would not look:

    ganvas train --steps 1 --out hidden

```
ganvas sample --out unmarked.png
```
"""


def planted_line(fragment):
    """The planted README's line number of the first line holding `fragment`."""
    return next(i for i, l in enumerate(PLANTED_README.splitlines(), 1) if fragment in l)


PLANTED_EXPECTED = [
    f"README.md:{planted_line('no-such.safetensors')}: ganvas sample --checkpoint assets/no-such.safetensors "
    "--out x.png: exit status 1",
    f"README.md:{planted_line('frobnicate')}: frobnicate --all: matches no rule",
    f"README.md:{planted_line('--steps 20000')}: build/gan/ganvas train --steps 20000 --stepz 3 --out out/run: "
    "exit status 2",
    f"README.md:{planted_line('hidden')}: a command in an indented block",
    f"README.md:{planted_line('unmarked')}: a command in a ``` block",
    "docs/performance.md#no-such-heading) names no heading",
    "docs/embedding.md) leads to no file",
]


def self_test(ganvas, mnist, root):
    print("== self-test: planted pages with a broken command, an unknown one, hidden ones, dead links")
    with tempfile.TemporaryDirectory(prefix="ganvas-planted-") as tmp:
        planted = pathlib.Path(tmp)
        (planted / "docs").mkdir()
        (planted / ".ci").mkdir()
        (planted / "README.md").write_text(PLANTED_README)
        (planted / ".ci" / "run").write_text("#!/usr/bin/env bash\nbash scripts/test.sh\n")
        (planted / "docs" / "usage.md").write_text("# Usage\n\n```sh\nganvas --help\n```\n")
        (planted / "docs" / "backends.md").write_text("# Backends\n\n```sh\nbash bench/cpu_vs_torch.sh 500 6\n```\n")
        (planted / "docs" / "performance.md").write_text("# Speed\n")
        (planted / "assets").symlink_to((pathlib.Path(root) / "assets").resolve())
        problems, counts = check(ganvas, mnist, planted)
    missed = [e for e in PLANTED_EXPECTED if not any(e in p for p in problems)]
    extra = [p for p in problems if not any(e in p for e in PLANTED_EXPECTED)]
    # run: info, --help; skipped: run.sh, test.sh, the benchmark; failed: the three planted lines.
    wanted = {"run": 2, "skipped": 3, "failed": 3}
    ok = not missed and not extra and all(counts[k] == v for k, v in wanted.items())
    for e in missed:
        print(f"SELF-TEST FAIL: not caught: {e}")
    for p in extra:
        print(f"SELF-TEST FAIL: reported without cause: {p}")
    if not ok and not missed and not extra:
        print(f"SELF-TEST FAIL: counts {counts}, wanted {wanted}")
    print("== self-test " + ("passed: every planted fault was caught" if ok else "failed"))
    return ok


def main(argv):
    self_only = argv[:1] == ["--self-test"]
    if self_only:
        argv = argv[1:]
    if len(argv) != 3:
        print(__doc__.strip().split("\n\n")[1])
        return 2
    ganvas, mnist, root = os.path.abspath(argv[0]), argv[1], pathlib.Path(argv[2]).resolve()
    start = time.monotonic()
    if not self_test(ganvas, mnist, root):
        return 1
    if self_only:
        return 0
    print(f"== the documented commands of {root}")
    problems, counts = check(ganvas, mnist, root)
    rules = ", ".join(f"{rule} {n}" for rule, n in sorted(counts.get("rules", {}).items()))
    changed = ", ".join(f"{rule} {n}" for rule, n in sorted(counts.get("run rules", {}).items()))
    print(f"documented commands: {counts['run']} run ({counts['changed']} of them changed by rule: {changed or 'none'}), "
          f"{counts['skipped']} skipped by rule ({rules or 'none'}), {counts['failed']} failed; "
          f"{time.monotonic() - start:.0f} s")
    if problems:
        print(f"{len(problems)} problems:")
        for problem in problems:
            print(f"  {problem}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
