#!/usr/bin/env python3
"""bomb.py KIND OUT [MIB]: write a decompression bomb of MIB MiB of zeros (default 4000)
without ever holding or deflating them: one MiB of zeros is deflated once with a full flush
(byte-aligned, no reference across it) and that piece is repeated, so the file is about
1/1000 of what it unpacks to (4000 MiB: a 4 MB file).

KIND:
  zip         a zip whose headers say the true sizes
  zip-lying   a zip whose local and central headers say 1 KiB unpacked (the stream does not)
  zip-nested  a zip holding the zip above as a stored member
  gz          a gzip of the zeros
  tar.gz      a gzip of a tar of one file of the zeros
For tests/security/bombs.sh (issue 11 finding 12)."""
import struct
import sys
import zlib

MIB = 1 << 20


def deflate_zeros(mib, head=b""):
    """Raw deflate of head + mib MiB of zeros, the CRC-32 and the length."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH) if head else b""
    piece = c.compress(bytes(MIB)) + c.flush(zlib.Z_FULL_FLUSH)
    end = c.flush(zlib.Z_FINISH)  # an empty final block
    crc = zlib.crc32(head)
    zero = bytes(MIB)
    for _ in range(mib):
        crc = zlib.crc32(zero, crc)
    return first + piece * mib + end, crc, len(head) + mib * MIB


def zip_file(name, data, crc, size, method=8, said=None):
    """One member zip; said: the unpacked size the headers claim (default the true one)."""
    said = size if said is None else said
    n = name.encode()
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0, crc, len(data), said,
                        len(n), 0) + n
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0, crc,
                          len(data), said, len(n), 0, 0, 0, 0, 0, 0) + n
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local) + len(data), 0)
    return local + data + central + end


def gzip_file(data, crc, size):
    return b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + data + struct.pack("<II", crc, size & 0xFFFFFFFF)


def tar_header(name, size):
    h = bytearray(512)
    h[0:len(name)] = name.encode()
    h[100:108] = b"0000644\0"
    h[108:116] = b"0000000\0"
    h[116:124] = b"0000000\0"
    h[124:136] = b"%011o\0" % size
    h[136:148] = b"00000000000\0"
    h[148:156] = b" " * 8
    h[156:157] = b"0"
    h[257:263] = b"ustar\0"
    h[263:265] = b"00"
    h[148:156] = b"%06o\0 " % sum(h)
    return bytes(h)


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    kind, out = sys.argv[1], sys.argv[2]
    mib = int(sys.argv[3]) if len(sys.argv) == 4 else 4000
    if kind == "tar.gz":
        # the file's zeros, then its padding and the two end blocks: all zeros as well
        data, crc, size = deflate_zeros(mib, tar_header("zeros.bin", mib * MIB))
        blob = gzip_file(data, crc, size)
    elif kind == "gz":
        blob = gzip_file(*deflate_zeros(mib))
    elif kind in ("zip", "zip-lying", "zip-nested"):
        data, crc, size = deflate_zeros(mib)
        blob = zip_file("zeros.bin", data, crc, size, said=1024 if kind == "zip-lying" else None)
        if kind == "zip-nested":
            blob = zip_file("inner.zip", blob, zlib.crc32(blob), len(blob), method=0)
    else:
        sys.exit(__doc__)
    with open(out, "wb") as f:
        f.write(blob)


main()
