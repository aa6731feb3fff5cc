"""Broken inputs get their own status and a readable message; nothing raises."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kernel.records import DocHints, DocKind, ParseStatus
from transform import parse_document
from transform.ocr import tesseract_available

BAD = Path(__file__).parent / "fixtures" / "corpus" / "bad"


def parse(data: bytes, ctype: str | None = "application/pdf", **hints):
    return parse_document(data, content_type=ctype, hints=DocHints(**hints))


def test_zero_bytes_is_empty():
    d = parse((BAD / "empty_zero_bytes.pdf").read_bytes())
    assert (d.parse_status, d.parse_error) == (ParseStatus.EMPTY, "empty file: 0 bytes")


def test_truncated_is_corrupt_with_reason():
    d = parse((BAD / "truncated_60pct.pdf").read_bytes())
    assert d.parse_status == ParseStatus.CORRUPT
    assert d.parse_error.startswith("corrupt PDF: truncated")


def test_encrypted_needs_password():
    d = parse((BAD / "encrypted_user_password.pdf").read_bytes())
    assert (d.parse_status, d.parse_error) == (ParseStatus.ENCRYPTED, "encrypted PDF: password required")


@pytest.mark.skipif(tesseract_available(), reason="tesseract installed: the page gets OCRed")
def test_image_only_without_tesseract_is_no_text():
    d = parse((BAD / "scanned_no_text.pdf").read_bytes())
    assert d.parse_status == ParseStatus.NO_TEXT
    assert d.parse_error == "no extractable text (image-only pages; OCR needed)"
    assert d.pages == 1 and d.ocr is False


def test_image_only_is_ocred_when_tesseract_is_on_path(tmp_path, monkeypatch):
    # A stand-in tesseract: proves the page is rendered, handed over and its output used.
    fake = tmp_path / "tesseract"
    fake.write_text('#!/bin/sh\ntest -s "$1" || exit 1\necho "Minutes"\necho "305 Welcome and Introductions"\n'
                    'echo "The Chairman welcomed everyone."\necho "306 Named Substitutes"\necho "None."\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    d = parse((BAD / "scanned_no_text.pdf").read_bytes())
    assert d.parse_status == ParseStatus.OK and d.ocr is True
    assert [it.ref for it in d.items] == ["305", "306"]


@pytest.mark.skipif(not tesseract_available(), reason="real tesseract not installed")
def test_real_ocr_reads_the_scanned_page():
    d = parse((BAD / "scanned_no_text.pdf").read_bytes())
    assert d.ocr is True and d.parse_status == ParseStatus.OK


def test_office_document_unsupported():
    d = parse(b"PK\x03\x04" + b"\x00" * 64, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert d.parse_status == ParseStatus.UNSUPPORTED


def test_binary_unknown_type_unsupported():
    assert parse(b"\x00\x01\x02\x03", "application/octet-stream").parse_status == ParseStatus.UNSUPPORTED


def test_declared_pdf_without_pdf_header_is_corrupt():
    d = parse(b"<html>not a pdf after all</html>"[:0] + b"garbage bytes", "application/pdf")
    assert d.parse_status == ParseStatus.CORRUPT


def test_pdf_header_then_garbage_is_corrupt():
    assert parse(b"%PDF-1.4\nrubbish", None).parse_status == ParseStatus.CORRUPT


def test_failed_documents_keep_the_hinted_kind():
    assert parse(b"", doc_kind=DocKind.MINUTES).doc_kind == DocKind.MINUTES


def test_empty_html_is_no_text():
    assert parse(b"<html><body>  </body></html>", "text/html").parse_status == ParseStatus.NO_TEXT
