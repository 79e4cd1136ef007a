#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora into seeds/: small valid files of each kind ganvas reads.

Run from anywhere; the seeds are committed, so this only needs running when they should change."""
import gzip
import json
import pathlib
import struct

HERE = pathlib.Path(__file__).resolve().parent


def write(kind, name, data):
    folder = HERE / "seeds" / kind
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def idx(magic, dims, payload):
    return struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in dims) + payload


def safetensors(tensors, metadata):
    """tensors: name -> (dtype, shape, raw bytes)."""
    header, data = {}, b""
    for name, (dtype, shape, raw) in sorted(tensors.items()):
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data


def f32(shape, start=0.0):
    count = 1
    for d in shape:
        count *= d
    return ("F32", shape, struct.pack(f"<{count}f", *[start + 0.001 * i for i in range(count)]))


def checkpoint(with_optimizer, conditional_two_layers=False):
    shapes = {
        "generator.0.weight": [1, 1], "generator.0.bias": [1], "generator.2.weight": [784, 1], "generator.2.bias": [784],
        "discriminator.0.weight": [1, 784], "discriminator.0.bias": [1], "discriminator.2.weight": [1, 1],
        "discriminator.2.bias": [1],
    }
    metadata = {"format": "ganvas-gan-checkpoint", "format_version": "1", "step": "7", "seed": "42"}
    if conditional_two_layers:  # 11-2-2-784 and 794-2-2-1: a digit joined to each input, a second hidden layer
        shapes = {
            "generator.0.weight": [2, 11], "generator.0.bias": [2], "generator.2.weight": [2, 2], "generator.2.bias": [2],
            "generator.4.weight": [784, 2], "generator.4.bias": [784],
            "discriminator.0.weight": [2, 794], "discriminator.0.bias": [2], "discriminator.2.weight": [2, 2],
            "discriminator.2.bias": [2], "discriminator.4.weight": [1, 2], "discriminator.4.bias": [1],
        }
        metadata.update({"model": "conditional", "classes": "10", "activation": "leaky-relu", "loss": "hinge"})
    tensors = {name: f32(shape) for name, shape in shapes.items()}
    if with_optimizer:
        for name, shape in shapes.items():
            tensors[f"optimizer.{name}.exp_avg"] = f32(shape, 0.5)
            tensors[f"optimizer.{name}.exp_avg_sq"] = f32(shape, 0.25)
        for net in ("generator", "discriminator"):
            metadata.update({f"optimizer.{net}.t": "7", f"optimizer.{net}.beta1_power": "0.478296911",
                             f"optimizer.{net}.beta2_power": "0.993020939"})
    return safetensors(tensors, metadata)


def main():
    images = idx(0x803, [2, 28, 28], bytes(range(256)) * 6 + bytes(1568 - 1536))
    labels = idx(0x801, [2], bytes([3, 7]))
    write("idx", "images", images)
    write("idx", "labels", labels)
    write("idx", "images.gz", gzip.compress(images, mtime=0))
    write("idx", "labels.gz", gzip.compress(labels, mtime=0))
    write("idx", "header_only", idx(0x803, [0, 28, 28], b""))

    write("safetensors", "every_dtype", safetensors({
        "bytes": ("U8", [2, 3], bytes(range(6))),
        "longs": ("I64", [2], struct.pack("<2q", -1, 1 << 40)),
        "doubles": ("F64", [1, 2], struct.pack("<2d", 0.5, -2.0)),
        "floats": f32([3]),
        "empty": ("F32", [0, 4], b""),
    }, {"note": "seed"}))
    write("safetensors", "no_tensors", safetensors({}, {}))

    write("checkpoint", "model_only", checkpoint(False))
    write("checkpoint", "with_optimizer", checkpoint(True))
    write("checkpoint", "conditional_two_layers", checkpoint(True, conditional_two_layers=True))

    # fuzz_adam_state reads its input as choices (FuzzedDataProvider): any bytes are a seed.
    write("adam_state", "zeros", bytes(64))
    write("adam_state", "ones", bytes([0xff]) * 64)
    write("adam_state", "counting", bytes(range(128)))


if __name__ == "__main__":
    main()
