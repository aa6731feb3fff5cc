"""OCR of image-only PDF pages with tesseract, when it is installed (no Python dependency: the
page is rendered by pdfium, written as a PGM and read by the tesseract command)."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

from transform.pdf_pages import Line, clean_chars, open_pdfium


def tesseract_available() -> bool:
    return shutil.which("tesseract") is not None


def ocr_pages(data: bytes, indexes: list[int]) -> dict[int, list[Line]]:
    """OCR the given pages with tesseract if it is on PATH; {} otherwise."""
    if not tesseract_available():
        return {}
    out: dict[int, list[Line]] = {}
    doc = open_pdfium(data)
    env = dict(os.environ, OMP_THREAD_LIMIT="1")  # 5x faster on 2 cores (platform-notes)
    with tempfile.TemporaryDirectory() as tmp:
        for i in indexes:
            img = os.path.join(tmp, f"p{i}.pgm")
            _write_pgm(doc[i].render(scale=300 / 72, grayscale=True), img)
            proc = subprocess.run(["tesseract", img, "-", "-l", "eng"], capture_output=True,
                                  env=env, timeout=300, check=False)
            out[i] = _ocr_lines(proc.stdout.decode("utf-8", "replace"))
    doc.close()
    return out if any(out.values()) else {}


def _ocr_lines(txt: str) -> list[Line]:
    lines: list[Line] = []
    blank = True
    for t in txt.splitlines():
        if not t.strip():
            blank = True
            continue
        lines.append(Line(text=clean_chars(t), gap_before=blank))
        blank = False
    return lines


def _write_pgm(bitmap, path: str) -> None:
    """Grey bitmap -> binary PGM, which tesseract reads; avoids needing Pillow."""
    w, h, stride = bitmap.width, bitmap.height, bitmap.stride
    buf = bytes(bitmap.buffer)
    rows = b"".join(buf[r * stride: r * stride + w] for r in range(h))
    with open(path, "wb") as f:
        f.write(b"P5\n%d %d\n255\n" % (w, h) + rows)

