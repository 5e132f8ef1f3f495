"""Generator output -> 8-bit grey PNG bytes, by rules simple enough to repeat byte for byte in Java.

Pixels: ``clamp(floor((x + 1) * 127.5 + 0.5), 0, 255)`` with every step in float32. PNG: signature,
IHDR (8-bit greyscale, no interlace), one IDAT whose zlib stream is a header (78 01), stored
(uncompressed) deflate blocks of at most 65,535 bytes over the rows, each row prefixed with
filter 0, and the Adler-32; then IEND. A 32x32 image is about 1.1 KB: compression would save
little and would tie the bytes to one zlib version.
"""

import struct
import zlib

import numpy as np

SIGNATURE = b"\x89PNG\r\n\x1a\n"
_STORED_BLOCK_MAX = 65535


def to_pixels(image):
    """[h, w] float32 model output in about [-1, 1] -> uint8 grey levels."""
    image = np.asarray(image, dtype=np.float32)
    scaled = (image + np.float32(1.0)) * np.float32(127.5) + np.float32(0.5)
    return np.clip(np.floor(scaled), 0, 255).astype(np.uint8)


def encode_grey(pixels):
    """uint8 [h, w] -> PNG file bytes."""
    height, width = pixels.shape
    raw = b"".join(b"\x00" + bytes(row) for row in np.asarray(pixels, dtype=np.uint8))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", _stored_zlib(raw))
            + _chunk(b"IEND", b""))


def _stored_zlib(data):
    blocks = []
    for start in range(0, max(len(data), 1), _STORED_BLOCK_MAX):
        block = data[start:start + _STORED_BLOCK_MAX]
        final = 1 if start + _STORED_BLOCK_MAX >= len(data) else 0
        blocks.append(struct.pack("<BHH", final, len(block), len(block) ^ 0xFFFF) + block)
    return b"\x78\x01" + b"".join(blocks) + struct.pack(">I", zlib.adler32(data))


def _chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
