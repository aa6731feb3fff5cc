"""`scrutiny ingest`: files a user already has, archived and parsed; bad files recorded, nothing lost."""
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from scrutiny.cli import main
from tests.conftest import CORPUS, FIXTURES, scalar, sha256_file, table_rows, tree_digest

SPCB = ["000_7db24023d40e4ca6.pdf", "002_e7f0e2d2245b18d2.pdf"]
PCP = ["003_eec2d70e111a21ed.pdf"]


def ingest(data, files, source, *extra):
    return CliRunner().invoke(main, ["--data-dir", str(data), "ingest", *map(str, files), "--source", source, *extra])


@pytest.fixture(scope="module")
def corpus_warehouse(tmp_path_factory):
    data = tmp_path_factory.mktemp("data")
    assert ingest(data, [CORPUS / "pdf" / f for f in SPCB], "wmpcc-spcb").exit_code == 0
    assert ingest(data, [CORPUS / "pdf" / f for f in PCP], "westmercia-pcp").exit_code == 0
    return data


def test_ingested_documents_are_identified_by_the_sha256_of_their_bytes(corpus_warehouse):
    ids = {row[0] for row in table_rows(corpus_warehouse / "warehouse.duckdb", "documents")}
    assert ids == {sha256_file(CORPUS / "pdf" / f) for f in SPCB + PCP}


def test_ingested_documents_parse_and_get_their_meeting(corpus_warehouse):
    wh = corpus_warehouse / "warehouse.duckdb"
    got = dict(table_rows(wh, "(SELECT d.document_id, CAST(m.meeting_date AS VARCHAR) FROM documents d "
                              "JOIN meetings m USING (meeting_id))"))
    for name in SPCB + PCP:
        gold = json.loads((CORPUS / "gold" / name.replace(".pdf", ".json")).read_text())
        assert got[sha256_file(CORPUS / "pdf" / name)] == gold["meeting_date"], name
    assert scalar(wh, "SELECT count(*) FROM documents WHERE parse_status <> 'ok'") == 0


def test_the_scorer_finds_all_three_documents(corpus_warehouse):
    out = subprocess.run([sys.executable, str(FIXTURES / "eval" / "score.py"), "--warehouse",
                          str(corpus_warehouse / "warehouse.duckdb"), "--gold", str(CORPUS / "gold"),
                          "--docs", str(CORPUS / "pdf")], capture_output=True, text=True, check=True).stdout
    assert "documents found 3/3" in out


def test_ingesting_the_same_files_again_changes_nothing_but_the_run_log(corpus_warehouse):
    wh = corpus_warehouse / "warehouse.duckdb"
    before = {t: table_rows(wh, t) for t in ("meetings", "documents", "items", "figures", "attendance", "actions")}
    raw = tree_digest(corpus_warehouse / "raw")
    assert ingest(corpus_warehouse, [CORPUS / "pdf" / f for f in SPCB], "wmpcc-spcb").exit_code == 0
    assert tree_digest(corpus_warehouse / "raw") == raw
    assert {t: table_rows(wh, t) for t in before} == before


EXPECTED_BAD = {
    "empty_zero_bytes.pdf": "empty",
    "encrypted_user_password.pdf": "encrypted",
    "truncated_60pct.pdf": "corrupt",
    "scanned_no_text.pdf": "no_text",
}


def test_bad_files_each_get_their_own_status_and_a_readable_error(tmp_path):
    bad = sorted((CORPUS / "bad").glob("*.pdf"))
    result = ingest(tmp_path, [CORPUS / "pdf" / PCP[0], *bad], "westmercia-pcp")
    assert result.exit_code == 0, result.output
    wh = tmp_path / "warehouse.duckdb"
    rows = table_rows(wh, "(SELECT document_id, parse_status, parse_error FROM documents)")
    by_id = {doc: (status, err) for doc, status, err in rows}
    for path in bad:
        status, err = by_id[sha256_file(path)]
        if path.name == "scanned_no_text.pdf" and status == "ok":
            assert scalar(wh, "SELECT ocr FROM documents WHERE document_id = ?", [sha256_file(path)])
            continue
        assert status == EXPECTED_BAD[path.name], (path.name, status, err)
        assert err and len(err) > 10, path.name
    assert by_id[sha256_file(CORPUS / "pdf" / PCP[0])][0] == "ok", "a bad file must not stop the others"
    assert scalar(wh, "SELECT count(*) FROM items") > 0


def test_strict_makes_a_bad_file_fail_the_command(tmp_path):
    result = ingest(tmp_path, [CORPUS / "bad" / "empty_zero_bytes.pdf"], "westmercia-pcp", "--strict")
    assert result.exit_code == 1
    assert scalar(tmp_path / "warehouse.duckdb", "SELECT parse_status FROM documents") == "empty"


def test_unknown_source_is_a_clear_error(tmp_path):
    result = ingest(tmp_path, [CORPUS / "bad" / "empty_zero_bytes.pdf"], "no-such-source")
    assert result.exit_code != 0
    assert "unknown source" in str(result.exception) or "unknown source" in result.output
