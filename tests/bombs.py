"""Decompression bombs for the parse-limit tests and benchmark, made in memory in well under a
second a GiB: one deflate segment of a MiB of spaces, flushed so that it stands alone, repeated.
The PDF's one content stream inflates to the size asked for, ~1,000 times its own."""
from __future__ import annotations

import zlib

UNIT = 1 << 20
_MOD = 65521  # Adler-32's modulus


def _segment(n: int, finish: bool) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(b" " * n) + c.flush(zlib.Z_FINISH if finish else zlib.Z_FULL_FLUSH)


def _adler32_of_spaces(n: int) -> int:
    # a = 1 + 32n, b = sum over i of (1 + 32i) = n + 32 n (n + 1) / 2, both mod 65521
    a = (1 + 32 * n) % _MOD
    b = (n + 16 * n * (n + 1)) % _MOD
    return (b << 16) | a


def inflating_to(size: int) -> bytes:
    """A zlib stream (FlateDecode's format) of ``size`` spaces."""
    whole, rest = divmod(size, UNIT)
    body = _segment(UNIT, finish=False) * whole + _segment(rest, finish=True)
    return b"\x78\xda" + body + _adler32_of_spaces(size).to_bytes(4, "big")


def bomb_pdf(inflated: int) -> bytes:
    """A valid one-page PDF whose content stream inflates to ``inflated`` bytes."""
    stream = inflating_to(inflated)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
