#!/usr/bin/env python3
"""The include rules that keep ganvas's layers one-way, checked over the source tree.

    common/          errors, atomic files, PNG, stop signals: the standard library (and stb for PNG)
    engine/          window, GL, Dear ImGui, frame loop, recording: common/ and itself; nothing of GANs
    gan/ the core, in layers; each may include common/, the layers before it and itself:
      gan/math       the formulas of a step (gan_math.h), Philox
      gan/model      the model, presets, latents, the CPU's layer operations on OpenBLAS (cpu_ops,
                     shared_pass), the CPU sampler, the GL-free latent explorer
      gan/io         safetensors, checkpoints, datasets, the bundled checkpoint
      gan/backends   the backend interface (backend.h, backend_factory.h, device_info.h);
                     backends/cpu/ and backends/cuda/ are its internals, included only inside
                     gan/backends and never by each other
      gan/train      the training loop, the live trainer
      gan/eval       classifier, quality, insight, metrics log
      gan/session    one run's state
    gan/render/      the GL image pass, image samplers, CUDA-GL interop: the core, engine/ and itself;
                     the interop alone reaches into gan/backends/cuda/ (it runs that backend's
                     generator straight into GL's buffer)
    gan/viz/         the window's visualizer: the core, engine/, gan/render/ and itself
    gan/embed/       the C API library: include/ganvas/, the core, engine/, gan/render/; never gan/viz/
    gan/cli/         the ganvas command: everything but gan/embed/
    include/ganvas/  the public C API: only itself
    examples/        hosts: the public C API (<ganvas/ganvas.h>) only, as any program outside ganvas

Every project header is included in quotes by its folder from the top of the tree
("gan/model/model.h"), so none can be mistaken for a host's "error.h" or "gl.h"; angle brackets are for
the standard library and third-party headers, and each third-party library is included only by the layers
it belongs to (THIRD_PARTY). A header that is neither standard nor in THIRD_PARTY is reported, so a new
dependency is placed in the table on purpose. Outside gan/backends/ only its interface headers are included.

Usage: check_layers.py [ROOT]      exits 1 and names each broken rule
       check_layers.py --self-test  plants one broken rule of each kind and checks it alone is caught
"""
import pathlib
import re
import sys
import tempfile

from source_check import plant, run_check

SOURCES = (".h", ".hh", ".hpp", ".hxx", ".inl", ".ipp", ".cuh", ".c", ".cc", ".cpp", ".cxx", ".cu")
TOP_FOLDERS = ("common", "engine", "gan", "include", "examples")
INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*([<"])([^>"\n]+)[>"]', re.M)
GENERATED = {"embedded_shaders.h"}  # written into the build folder by engine/embed_shaders.cmake

# The core's layers, in order: each may include common/, those before it and itself.
CORE = ("gan/math", "gan/model", "gan/io", "gan/backends", "gan/train", "gan/eval", "gan/session")
BACKEND_INTERNALS = ("gan/backends/cpu", "gan/backends/cuda")
GAN_LAYERS = CORE + BACKEND_INTERNALS + ("gan/render", "gan/viz", "gan/embed", "gan/cli")
API = "include/ganvas"  # the public C API; included as "ganvas/ganvas.h" (<ganvas/ganvas.h> by hosts)
# The headers of gan/backends/ that the rest of the tree may include.
BACKEND_INTERFACE = {"gan/backends/backend.h", "gan/backends/backend_factory.h", "gan/backends/device_info.h"}


def _allowed():
    allowed = {"common": {"common"}, "engine": {"common", "engine"}, API: {API}, "examples": {API}}
    for i, layer in enumerate(CORE):
        allowed[layer] = {"common", *CORE[:i + 1]}
    allowed["gan/backends"] |= set(BACKEND_INTERNALS)  # the factory makes each backend
    for internal in BACKEND_INTERNALS:
        allowed[internal] = allowed["gan/backends"] - set(BACKEND_INTERNALS) | {internal}
    allowed["gan/render"] = {"common", "engine", *CORE, "gan/render", "gan/backends/cuda"}  # the interop
    render = allowed["gan/render"] - {"gan/backends/cuda"}
    allowed["gan/viz"] = render | {"gan/render", "gan/viz"}
    allowed["gan/embed"] = render | {API, "gan/embed"}
    allowed["gan/cli"] = allowed["gan/viz"] | {"gan/cli"}
    return allowed


ALLOWED = _allowed()

# Third-party headers (matched on the path written in <…>) and the layers that may include them.
# examples/ are hosts, programs outside ganvas: they may use any library.
THIRD_PARTY = (
    ("a GL loader (glad, epoxy, GL/)", re.compile(r"^(glad|epoxy|GL)/"), {"engine"}),
    ("GLFW", re.compile(r"^GLFW/"), {"engine"}),
    ("EGL", re.compile(r"^EGL/"), {"engine"}),
    ("Dear ImGui's platform backends", re.compile(r"^backends/imgui_impl_"), {"engine"}),
    ("Dear ImGui", re.compile(r"^imgui(_internal)?\.h$"), {"engine", "gan/viz", "gan/embed", "gan/cli"}),
    ("FFmpeg (libav*, libswscale)", re.compile(r"^lib(av\w*|sw\w*)/"), {"engine"}),
    ("CUDA-GL interop", re.compile(r"^cuda_gl_interop\.h$"), {"gan/render"}),
    ("cuBLAS", re.compile(r"^cublas"), {"gan/backends/cuda"}),
    ("the CUDA runtime", re.compile(r"^(cuda\w*|curand\w*|driver_types|vector_types)\.h$"),
     {"gan/backends/cuda", "gan/render"}),
    ("BLAS (cblas.h)", re.compile(r"^(cblas|openblas\w*)\.h$"), {"gan/model"}),
    ("zlib", re.compile(r"^zlib\.h$"), {"gan/io"}),
    ("nlohmann/json", re.compile(r"^nlohmann/"), {"gan/io", "gan/cli"}),
    ("Eigen", re.compile(r"^(Eigen|unsupported/Eigen)/"), {"gan/eval"}),
    ("GLM", re.compile(r"^glm/"), {"gan/viz"}),
    ("stb", re.compile(r"^(stb/|stb_\w+\.h$)"), {"common"}),
)

STANDARD = set("""
algorithm any array atomic barrier bit bitset cassert ccomplex cctype cerrno cfenv cfloat charconv chrono
cinttypes ciso646 climits clocale cmath codecvt compare complex concepts condition_variable coroutine
csetjmp csignal cstdalign cstdarg cstdbool cstddef cstdint cstdio cstdlib cstring ctgmath ctime cuchar
cwchar cwctype deque exception execution expected filesystem flat_map flat_set format forward_list fstream
functional future generator initializer_list iomanip ios iosfwd iostream istream iterator latch limits list
locale map mdspan memory memory_resource mutex new numbers numeric optional ostream print queue random
ranges ratio regex scoped_allocator semaphore set shared_mutex source_location span spanstream sstream
stack stacktrace stdexcept stdfloat stop_token streambuf string string_view strstream syncstream
system_error thread tuple type_traits typeindex typeinfo unordered_map unordered_set utility valarray
variant vector version
assert.h complex.h ctype.h errno.h fenv.h float.h inttypes.h iso646.h limits.h locale.h math.h setjmp.h
signal.h stdalign.h stdarg.h stdatomic.h stdbool.h stddef.h stdint.h stdio.h stdlib.h stdnoreturn.h
string.h tgmath.h threads.h time.h uchar.h wchar.h wctype.h
unistd.h fcntl.h dlfcn.h pthread.h poll.h pwd.h grp.h dirent.h sched.h spawn.h termios.h libgen.h glob.h
fnmatch.h ftw.h netdb.h strings.h syslog.h semaphore.h malloc.h execinfo.h cxxabi.h cpuid.h endian.h
err.h getopt.h elf.h link.h features.h alloca.h byteswap.h wordexp.h sysexits.h arm_neon.h
""".split())
SYSTEM_FOLDERS = ("sys/", "linux/", "netinet/", "arpa/", "bits/")


def layer_of(path):
    """The layer of a path relative to the root ("gan/model/model.h" -> "gan/model"), or None when the
    path is in no layer (a file straight in gan/, or in a folder of gan/ the table does not know)."""
    parts = pathlib.PurePosixPath(path).parts
    if len(parts) < 2:
        return None
    if parts[0] == "gan":
        if len(parts) > 3 and parts[1] == "backends" and parts[2] in ("cpu", "cuda"):
            return f"gan/backends/{parts[2]}"
        layer = "gan/" + parts[1]
        return layer if len(parts) > 2 and layer in GAN_LAYERS else None
    if parts[0] == "include":
        return API if len(parts) > 2 and parts[1] == "ganvas" else None
    return parts[0] if parts[0] in TOP_FOLDERS else None


def project_target(target):
    """The repository path an include of `target` names when it names a project header, else None."""
    if target.startswith("ganvas/"):
        return "include/" + target
    first = target.split("/")[0]
    return target if "/" in target and first in ("common", "engine", "gan", "include") else None


def third_party(target):
    """(name, allowed layers) of the library `target` belongs to, or None."""
    for name, pattern, layers in THIRD_PARTY:
        if pattern.search(target):
            return name, layers
    return None


def is_standard(target):
    return target in STANDARD or target.startswith(SYSTEM_FOLDERS) or target.endswith("intrin.h")


def include_problem(layer, kind, target):
    """What is wrong with `#include <target>` (kind "<") or `"target"` (kind '"') in `layer`, or None."""
    project = project_target(target)
    if project is not None:
        reached = layer_of(project)
        if kind == "<" and not (layer == "examples" and reached == API):
            return f'a project header in angle brackets: write "{target}" (<…> is for other libraries)'
        if reached is None:
            return f"{target} is in no layer folder ({', '.join(GAN_LAYERS)})"
        interop = layer == "gan/render" and project.startswith("gan/backends/cuda/")
        if (project.startswith("gan/backends/") and project not in BACKEND_INTERFACE and not layer.startswith("gan/backends")
                and not interop):
            return (f"{target} is inside gan/backends/: outside it only "
                    f"{', '.join(sorted(BACKEND_INTERFACE))} may be included")
        if layer in BACKEND_INTERNALS and reached in BACKEND_INTERNALS and reached != layer:
            return f"{layer}/ may not include {target}: the CPU and CUDA backends never include each other"
        if reached not in ALLOWED[layer]:
            return f"{layer}/ may not include {target} ({reached}/)"
        return None
    if kind == '"':
        if target in GENERATED or (layer == "examples" and "/" not in target):  # an example's own header
            return None
        if third_party(target) or is_standard(target):
            return f'"{target}" is not a project header: write <{target}>'
        return f'"{target}" is not included by its folder ("gan/…", "engine/…", "common/…")'
    if layer == "examples" or is_standard(target):
        return None
    library = third_party(target)
    if library is None:
        return f"<{target}> is neither a standard header nor a library in THIRD_PARTY (tests/check_layers.py)"
    name, layers = library
    if layer not in layers:
        return f"{layer}/ may not include <{target}>: {name} is for {', '.join(l + '/' for l in sorted(layers))} only"
    return None


def source_files(root):
    """(relative path, text) of every C, C++ and CUDA file under the layers' folders."""
    root = pathlib.Path(root)
    for top in TOP_FOLDERS:
        for path in sorted((root / top).rglob("*")):
            if path.suffix in SOURCES and path.is_file():
                yield path.relative_to(root).as_posix(), path.read_text(errors="replace")


def includes(text):
    """(line, kind, target) of every #include in `text`."""
    for match in INCLUDE.finditer(text):
        kind, target = match.groups()
        yield text.count("\n", 0, match.start()) + 1, kind, target.strip()


def problems_in(root):
    found = []
    for relative, text in source_files(root):
        layer = layer_of(relative)
        if layer is None:
            found.append(f"{relative}:1: in no layer folder: gan/ keeps its sources in {', '.join(GAN_LAYERS)}")
            continue
        for line, kind, target in includes(text):
            problem = include_problem(layer, kind, target)
            if problem:
                found.append(f"{relative}:{line}: {problem}")
    return found


def self_test():
    """One broken rule of every kind, planted in a clean tree that uses everything the rules allow, is
    reported as exactly one problem at the planted file's first line."""
    plants = {
        # project includes that reach a layer the table forbids
        "common/b.h": '#include "engine/app.h"\n',
        "engine/a.cpp": '#include "gan/model/model.h"\n',
        "gan/math/a.h": '#include "gan/model/model.h"\n',  # a core layer reaching a later one
        "gan/io/a.cpp": '#include "gan/train/trainer.h"\n',
        "gan/train/a.cpp": '#include "gan/eval/quality.h"\n',
        "gan/session/a.cpp": '#include "gan/render/gl_image_sampler.h"\n',
        "gan/model/a.cpp": '#include "engine/gl.h"\n',
        "gan/render/a.cpp": '#include "gan/viz/chart.h"\n',
        "gan/viz/d.cpp": '#include "gan/cli/args.h"\n',
        "gan/embed/a.cpp": '#include "gan/viz/gan_visualizer.h"\n',
        "gan/cli/a.cpp": '#include "gan/embed/embedded_gan.h"\n',
        "include/ganvas/a.h": '#include "common/error.h"\n',
        "examples/a/main.c": '#include "common/error.h"\n',
        # a backend's internals outside gan/backends, and the two backends including each other
        "gan/train/b.cpp": '#include "gan/backends/cpu/cpu_backend.h"\n',
        "gan/viz/n.cu": '#include "gan/backends/cuda/device_buffer.h"\n',
        "gan/backends/cpu/a.cpp": '#include "gan/backends/cuda/layers.h"\n',
        # files and includes in no layer
        "gan/c.cpp": "#include <vector>\n",
        "gan/newlayer/a.cpp": "#include <vector>\n",
        "gan/model/b.cpp": '#include "gan/model.h"\n',
        # a project header not written by its folder, or in angle brackets
        "gan/io/b.cpp": '#include "model.h"\n',
        "gan/viz/e.cpp": "#include <gan/model/model.h>\n",
        "engine/b.cpp": "#include <engine/gl.h>\n",
        "gan/eval/b.cpp": "#include <common/error.h>\n",
        "gan/embed/b.cpp": "#include <ganvas/ganvas.h>\n",
        "gan/viz/f.cpp": '#include "imgui.h"\n',
        # third-party headers outside their layers, and one in no layer's list
        "gan/model/c.cpp": "#include <GLFW/glfw3.h>\n",
        "gan/render/c.cpp": "#include <glad/gl.h>\n",
        "gan/viz/g.cpp": "#include <epoxy/gl.h>\n",
        "gan/io/c.cpp": "#include <EGL/egl.h>\n",
        "gan/session/b.cpp": "#include <imgui.h>\n",
        "gan/viz/h.cpp": "#include <backends/imgui_impl_glfw.h>\n",
        "gan/cli/b.cpp": "#include <libavcodec/avcodec.h>\n",
        "gan/backends/cuda/a.cu": "#include <cuda_gl_interop.h>\n",
        "gan/render/d.cu": "#include <cublas_v2.h>\n",
        "gan/train/c.cpp": "#include <cuda_runtime.h>\n",
        "gan/backends/cpu/b.cpp": "#include <cblas.h>\n",
        "gan/eval/c.cpp": "#include <zlib.h>\n",
        "gan/viz/i.cpp": "#include <nlohmann/json.hpp>\n",
        "gan/model/d.cpp": "#include <Eigen/Dense>\n",
        "common/c.cpp": "#include <glm/vec2.hpp>\n",
        "engine/c.cpp": "#include <glm/vec2.hpp>\n",
        "gan/io/d.cpp": "#include <stb_image_write.h>\n",
        "gan/math/b.cpp": "#include <tbb/parallel_for.h>\n",
        "gan/render/e.cpp": '#include "gan/backends/cpu/cpu_backend.h"\n',
        # the same rules in .hpp and .inl files
        "gan/model/e.hpp": '#include "gan/train/trainer.h"\n',
        "gan/model/f.inl": "#include <Eigen/Dense>\n",
        "engine/d.hpp": "#include <gan/model/model.h>\n",
    }
    clean = {
        "common/a.cpp": '#include "common/error.h"\n#include <stb_image_write.h>\n#include <sys/stat.h>\n',
        "engine/g.cpp": ('#include "common/error.h"\n#include <glad/gl.h>\n#include <GLFW/glfw3.h>\n#include <EGL/egl.h>\n'
                         '#include <imgui.h>\n#include <backends/imgui_impl_opengl3.h>\n#include <libavcodec/avcodec.h>\n'
                         '#include "embedded_shaders.h"\n#include <vector>\n'),
        "gan/math/m.cpp": '#include "gan/math/hd.h"\n#include <cmath>\n',
        "gan/model/m.hpp": '#include "gan/math/gan_math.h"\n#include <cblas.h>\n',
        "gan/model/m.inl": '#include "gan/model/model.h"\n',
        "gan/io/m.cpp": '#include "gan/model/model.h"\n#include <zlib.h>\n#include <nlohmann/json.hpp>\n',
        "gan/backends/m.cpp": '#include "gan/io/checkpoint.h"\n#include "gan/backends/cuda/cuda_backend.h"\n',
        "gan/backends/cpu/m.cpp": '#include "gan/backends/backend.h"\n#include "gan/model/cpu_ops.h"\n',
        "gan/backends/cuda/m.cu": ('#include "gan/backends/cuda/layers.h"\n#include "gan/backends/backend.h"\n'
                                   '#include <cuda_runtime.h>\n#include <cublas_v2.h>\n'),
        "gan/train/m.cpp": '#include "gan/backends/backend_factory.h"\n#include "gan/io/dataset.h"\n',
        "gan/eval/m.cpp": '#include "gan/train/trainer.h"\n#include <Eigen/Dense>\n',
        "gan/session/m.cpp": '#include "gan/eval/quality.h"\n#include "gan/backends/device_info.h"\n',
        "gan/render/m.cu": ('#include "gan/session/trainer_setup.h"\n#include "engine/gl.h"\n#include <cuda_gl_interop.h>\n'
                            '#include <cuda_runtime.h>\n#include "gan/backends/cuda/cuda_generator.h"\n'),
        "gan/viz/m.cpp": '#include "gan/render/gl_image_sampler.h"\n#include "engine/app.h"\n#include <glm/vec2.hpp>\n#include <imgui.h>\n',
        "gan/embed/m.cpp": '#include "ganvas/ganvas.h"\n#include "gan/render/image_grid_pass.h"\n#include <imgui.h>\n',
        "gan/cli/f.cpp": '#include "gan/viz/x.h"\n#include "engine/app.h"\n#include <imgui.h>\n#include <nlohmann/json.hpp>\n',
        "include/ganvas/m.h": '#include "ganvas/ganvas.h"\n#include <stdint.h>\n',
        "examples/m/main.c": '#include <ganvas/ganvas.h>\n#include "own.h"\n#include <Ogre.h>\n#include <epoxy/gl.h>\n',
    }
    for planted, text in plants.items():
        with tempfile.TemporaryDirectory() as tmp:
            plant(tmp, {**clean, planted: text})
            problems = problems_in(tmp)
            if len(problems) != 1 or not problems[0].startswith(planted + ":1:"):
                print(f"self-test: {planted} should give one problem, got {problems}")
                return 1
            print(f"  caught {problems[0]}")
    print(f"self-test: each of {len(plants)} broken rules was caught alone; the clean files passed")
    return 0


if __name__ == "__main__":
    sys.exit(run_check(problems_in, self_test, "{count} includes break the layer rules (see tests/check_layers.py)",
                       "the layers' include rules hold"))
