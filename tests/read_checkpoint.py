"""Reads a ganvas checkpoint with nothing but the standard library, as the safetensors format allows.

Checks the header, dtypes, shapes and offsets, and that the weights look like the tutorial's init.
Exits non-zero with a message on any mismatch.
"""
import json
import math
import struct
import sys

EXPECTED = {
    "generator.0.weight": [256, 100],
    "generator.0.bias": [256],
    "generator.2.weight": [784, 256],
    "generator.2.bias": [784],
    "discriminator.0.weight": [256, 784],
    "discriminator.0.bias": [256],
    "discriminator.2.weight": [1, 256],
    "discriminator.2.bias": [1],
}


def main(path):
    data = open(path, "rb").read()
    (header_len,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + header_len])
    body = data[8 + header_len :]
    meta = header.pop("__metadata__")
    assert meta["format"] == "ganvas-gan-checkpoint", meta
    assert int(meta["step"]) == 3, meta
    spans = sorted((v["data_offsets"][0], v["data_offsets"][1]) for v in header.values())
    cursor = 0
    for begin, end in spans:
        assert begin == cursor, f"gap or overlap at {begin}"
        cursor = end
    assert cursor == len(body), "data not covered exactly"
    for name, shape in EXPECTED.items():
        entry = header[name]
        assert entry["dtype"] == "F32" and entry["shape"] == shape, (name, entry)
        begin, end = entry["data_offsets"]
        count = math.prod(shape)
        values = struct.unpack(f"<{count}f", body[begin:end])
        assert all(math.isfinite(v) for v in values), name
        for moment in ("exp_avg", "exp_avg_sq"):
            assert header[f"optimizer.{name}.{moment}"]["shape"] == shape
    w = header["generator.0.weight"]["data_offsets"]
    values = struct.unpack("<25600f", body[w[0] : w[1]])
    std = math.sqrt(sum(v * v for v in values) / len(values))
    assert abs(std - math.sqrt(2 / 100)) < 0.01, f"generator.0.weight std {std}"
    print(f"{path}: {len(header)} tensors, standard safetensors")


if __name__ == "__main__":
    main(sys.argv[1])
