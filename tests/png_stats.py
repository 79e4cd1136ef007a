"""Checks that a PNG has the given size and is not blank: many distinct grey levels (stdlib only)."""
import struct
import sys
import zlib


def main(path, width, height):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    w, h = header[0], header[1]
    assert (w, h) == (width, height), f"size {w}x{h}, expected {width}x{height}"
    raw = zlib.decompress(idat)
    levels = len(set(raw))
    assert levels > 50, f"only {levels} distinct byte values: the frame looks blank"
    print(f"{path}: {w}x{h}, {levels} distinct byte values")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
