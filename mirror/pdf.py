"""Small text PDFs for the mirror's invented papers, written by hand so the bytes never vary
(no timestamps, no ids): the same content always has the same SHA-256."""
from __future__ import annotations


def _escape(s: str) -> bytes:
    raw = s.encode("cp1252", errors="replace")  # WinAnsiEncoding covers £ – ’
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def text_pdf(lines: list[str], title: str | None = None, lines_per_page: int = 48,
             font_size: int = 10) -> bytes:
    """A valid A4 PDF with ``lines`` set in Helvetica, as many pages as needed."""
    chunks = [lines[i:i + lines_per_page] for i in range(0, len(lines), lines_per_page)] or [[]]
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(len(chunks)))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            f"<< /Type /Pages /Kids [{kids}] /Count {len(chunks)} >>".encode(),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    for i, chunk in enumerate(chunks):
        text = b" ".join(b"(" + _escape(line) + b") Tj T*" for line in chunk)
        stream = b"BT /F1 %d Tf 14 TL 56 790 Td " % font_size + text + b" ET"
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                    f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>".encode())
        objs.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    info = None
    if title is not None:
        objs.append(b"<< /Title (" + _escape(title) + b") /Producer (scrutiny mirror) >>")
        info = len(objs)
    out, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for num, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    trailer = b"<< /Size %d /Root 1 0 R" % (len(objs) + 1) + (b" /Info %d 0 R" % info if info else b"") + b" >>"
    out += b"trailer\n" + trailer + b"\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)
