import struct
import zlib

import numpy as np

from exporters.began.png import SIGNATURE, encode_grey, to_pixels


def chunks(png):
    assert png.startswith(SIGNATURE)
    offset, found = len(SIGNATURE), []
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset:offset + 4])
        kind, body = png[offset + 4:offset + 8], png[offset + 8:offset + 8 + length]
        (crc,) = struct.unpack(">I", png[offset + 8 + length:offset + 12 + length])
        assert crc == zlib.crc32(kind + body)
        found.append((kind, body))
        offset += 12 + length
    return found


def test_the_png_decodes_back_to_the_pixels():
    pixels = np.arange(32 * 40, dtype=np.uint32).reshape(32, 40).astype(np.uint8)
    found = chunks(encode_grey(pixels))
    assert [kind for kind, _ in found] == [b"IHDR", b"IDAT", b"IEND"]
    assert struct.unpack(">IIBBBBB", found[0][1]) == (40, 32, 8, 0, 0, 0, 0)
    rows = zlib.decompress(found[1][1])
    assert np.array_equal(np.frombuffer(rows, np.uint8).reshape(32, 41)[:, 1:], pixels)


def test_images_bigger_than_one_stored_block_split_into_several():
    pixels = np.full((300, 300), 7, dtype=np.uint8)
    idat = chunks(encode_grey(pixels))[1][1]
    assert len(zlib.decompress(idat)) == 300 * 301
    assert idat[2] == 0  # first block is not the final one


def test_pixels_round_half_up_and_clamp():
    levels = to_pixels(np.array([[-2.0, -1.0, 0.0, 1.0, 3.0]], np.float32))
    assert levels.tolist() == [[0, 0, 128, 255, 255]]
