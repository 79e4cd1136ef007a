#!/usr/bin/env python3
"""The include rules that keep ganvas's layers one-way, checked over the source tree.

    common/   errors, atomic files, PNG, stop signals: the standard library only
    engine/   window, GL, Dear ImGui, frame loop, recording: common/ and itself; nothing of GANs
    gan/      data, model, backends, training, checkpoints: common/ and itself; no GL, ImGui or engine
    gan/viz/  the visualizer: joins gan/ to engine/; never the command line
    gan/embed/ the C API for hosts (include/ganvas/ganvas.h): uses the visualizer's parts, not the CLI
    gan/cli/  the ganvas command line: uses everything
    examples/ hosts: the public C API (include/ganvas/) only, as any program outside ganvas

Every project header is included by its folder from the top of the tree ("gan/model.h"), so none can
be mistaken for a host's "error.h" or "gl.h".

Usage: check_layers.py [ROOT]    exits 1 and names each broken rule
       check_layers.py --self-test    checks that a broken rule of each kind is caught
"""
import pathlib
import re
import sys
import tempfile

from source_check import plant, run_check

SOURCES = (".h", ".cuh", ".c", ".cpp", ".cu")
LAYERS = ("common", "engine", "gan", "examples")
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)
# Headers that belong to the window and GPU-graphics side, by prefix.
GRAPHICS = ("glad/", "GL/", "GLFW/", "EGL/", "imgui", "libav", "libswscale", "cuda_gl_interop")
GENERATED = {"embedded_shaders.h"}


def layer_of(path):
    """The layer of a file, by its path relative to the root: common, engine, gan, gan/viz or gan/cli."""
    parts = path.parts
    if parts[0] == "gan" and len(parts) > 2 and parts[1] in ("viz", "cli", "embed"):
        return "gan/" + parts[1]
    return parts[0]


def project_layer(target):
    """The layer an include of "target" reaches into, or None when it names no project folder."""
    if target.startswith("ganvas/"):
        return "api"  # the public C header, include/ganvas/
    first = target.split("/")[0]
    if first not in LAYERS:
        return None
    return layer_of(pathlib.PurePosixPath(target)) if "/" in target else None


ALLOWED = {
    "common": {"common"},
    "engine": {"common", "engine"},
    "gan": {"common", "gan"},
    "gan/viz": {"common", "engine", "gan", "gan/viz"},
    "gan/embed": {"api", "common", "engine", "gan", "gan/viz", "gan/embed"},
    "gan/cli": {"common", "engine", "gan", "gan/viz", "gan/cli"},
    "examples": {"api"},
}
MAY_USE_GRAPHICS = {"engine", "gan/viz", "gan/embed", "gan/cli", "examples"}


def problems_in(root):
    root = pathlib.Path(root)
    found = []
    for top in LAYERS:
        for path in sorted((root / top).rglob("*")):
            if path.suffix not in SOURCES:
                continue
            relative = path.relative_to(root)
            layer = layer_of(relative)
            text = path.read_text(errors="replace")
            for match in INCLUDE.finditer(text):
                kind, target = match.groups()
                line = text.count("\n", 0, match.start()) + 1
                where = f"{relative}:{line}"
                own_header = layer == "examples" and "/" not in target  # an example's own header
                if kind == '"' and target not in GENERATED and not own_header:
                    reached = project_layer(target)
                    if reached is None:
                        found.append(f'{where}: "{target}" is not included by its folder ("gan/…", "engine/…", "common/…")')
                    elif reached not in ALLOWED[layer]:
                        found.append(f"{where}: {layer}/ may not include {target} ({reached}/)")
                if layer not in MAY_USE_GRAPHICS and target.startswith(GRAPHICS):
                    found.append(f"{where}: {layer}/ knows nothing of GL, windows or ImGui, yet includes {target}")
    return found


def self_test():
    """Each kind of broken rule, planted in an otherwise clean tree, is reported."""
    plants = {
        "engine/a.cpp": '#include "gan/model.h"\n',
        "common/b.h": '#include "engine/app.h"\n',
        "gan/c.cpp": "#include <GLFW/glfw3.h>\n",
        "gan/viz/d.cpp": '#include "gan/cli/args.h"\n',
        "gan/e.cpp": '#include "model.h"\n',
    }
    clean = {"gan/cli/f.cpp": '#include "gan/viz/x.h"\n#include "engine/app.h"\n#include <imgui.h>\n',
             "engine/g.cpp": '#include "common/error.h"\n#include <glad/gl.h>\n#include "embedded_shaders.h"\n'}
    for planted, text in plants.items():
        with tempfile.TemporaryDirectory() as tmp:
            plant(tmp, {**clean, planted: text})
            problems = problems_in(tmp)
            if len(problems) != 1 or not problems[0].startswith(planted + ":1:"):
                print(f"self-test: {planted} should give one problem, got {problems}")
                return 1
    print(f"self-test: each of {len(plants)} broken rules was caught; clean files passed")
    return 0


if __name__ == "__main__":
    sys.exit(run_check(problems_in, self_test, "{count} includes break the layer rules (see tests/check_layers.py)",
                       "the layers' include rules hold"))
