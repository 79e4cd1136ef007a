#!/usr/bin/env python3
"""Small checkpoints that lie, given to the ganvas command as a user would: each is refused with one
clear line, exit 1, no terminal escape from the file on the terminal, and a peak RSS under 600 MB.

Usage: hostile_files_test.py GANVAS CHECKPOINT   (CHECKPOINT: a valid one to make lies from)"""
import json
import os
import struct
import subprocess
import sys
import tempfile
import time

PEAK_RSS_LIMIT_MB = 600


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    return json.loads(data[8:8 + length]), data[8 + length:]


def safetensors_bytes(header, payload):
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + payload


def with_metadata(checkpoint, **changes):
    header, payload = read_safetensors(checkpoint)
    header["__metadata__"].update(changes)
    return safetensors_bytes(header, payload)


def empty_objects(megabytes):
    text = b"[" + b"{}," * (megabytes * 1000000 // 3) + b"{}]"
    return struct.pack("<Q", len(text)) + text


def write_sparse_gigabyte(path):
    """4 KB on disk: a header declaring one 1 GiB tensor, then a hole."""
    gib = 1 << 30
    header = {"huge": {"dtype": "U8", "shape": [gib], "data_offsets": [0, gib]}}
    with open(path, "wb") as f:
        f.write(safetensors_bytes(header, b""))
        f.truncate(f.tell() + gib)


def run_measured(command):
    probe = ("import resource,subprocess,sys,json;"
             "p=subprocess.run(sys.argv[1:],capture_output=True,text=True,errors='replace');"
             "print(json.dumps([p.returncode,p.stderr,resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))")
    start = time.monotonic()
    out = subprocess.run([sys.executable, "-c", probe] + command, capture_output=True, text=True, timeout=300)
    seconds = time.monotonic() - start
    code, stderr, rss_kib = json.loads(out.stdout)
    return code, stderr, seconds, rss_kib / 1024


def main():
    ganvas, checkpoint = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_DATA_HOME"] = os.path.join(tmp, "user-data")  # a window's runs go here
        png = os.path.join(tmp, "x.png")
        lies = {
            "30 MB of empty objects as a header": (empty_objects(30), "is implausible"),
            "a checkpoint with 100 MB of metadata": (
                with_metadata(checkpoint, **{"k%d" % i: "v" * 1000 for i in range(100000)}), "is implausible"),
            "a 10 MB metadata value": (with_metadata(checkpoint, note="n" * 10000000), "is implausible"),
            "300 metadata keys": (with_metadata(checkpoint, **{"k%d" % i: "v" for i in range(300)}), "entries, more than the 256 a ganvas file can have"),
            "terminal escapes in the model's name": (
                with_metadata(checkpoint, model="\x1b]0;PWNED-TITLE\x07\x1b[2J\nsecond line"), "unknown model '\\x1b]0;PWNED"),
            "Adam's t of 2^63-1": (with_metadata(checkpoint, **{"optimizer.generator.t": str(2**63 - 1)}), "past 2^62"),
            "a beta power of NaN": (with_metadata(checkpoint, **{"optimizer.generator.beta1_power": "nan"}), "not a power of a beta"),
        }
        cases = []
        for number, (name, (data, expected)) in enumerate(lies.items()):
            path = os.path.join(tmp, "lie%d.safetensors" % number)
            with open(path, "wb") as f:
                f.write(data)
            cases.append((name, [ganvas, "sample", "--checkpoint", path, "--out", png], expected))
        sparse = os.path.join(tmp, "sparse.safetensors")
        write_sparse_gigabyte(sparse)
        cases.append(("a 4 KB sparse file declaring a 1 GiB tensor",
                      [ganvas, "sample", "--checkpoint", sparse, "--out", png], "no tensor 'generator.0.weight'"))
        last_step = os.path.join(tmp, "last-step.safetensors")
        with open(last_step, "wb") as f:
            f.write(with_metadata(checkpoint, step=str(2**64 - 1)))
        # Mesa leaks a few bytes LeakSanitizer reports at exit in a sanitizer build, as the GL tests say.
        cases.append(("the window given a checkpoint at step 2^64-1",
                      ["env", "ASAN_OPTIONS=detect_leaks=0", ganvas, "--headless", "--frames", "30", "--checkpoint", last_step],
                      "past 2^62"))
        failures = [failure for failure in (check(*case) for case in cases) if failure]
    for failure in failures:
        print("FAIL:", failure)
    print("%d passed, %d failed" % (len(cases) - len(failures), len(failures)))
    return 1 if failures else 0


def check(name, command, expected):
    code, stderr, seconds, rss_mb = run_measured(command)
    print("%-48s exit %d  %5.2f s  peak RSS %4.0f MB  %s" % (name, code, seconds, rss_mb, stderr.strip()[:120]))
    if code != 1:
        return "%s: exit %d, expected 1" % (name, code)
    if expected not in stderr:
        return "%s: the message lacks %r: %r" % (name, expected, stderr[:300])
    if "\x1b" in stderr or stderr.count("\n") != 1:
        return "%s: the message is not one printable line: %r" % (name, stderr[:300])
    if rss_mb > PEAK_RSS_LIMIT_MB:
        return "%s: peak RSS %.0f MB, over %d MB" % (name, rss_mb, PEAK_RSS_LIMIT_MB)
    return None


if __name__ == "__main__":
    sys.exit(main())
