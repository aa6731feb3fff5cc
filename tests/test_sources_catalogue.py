"""The catalogue by configuration: `scrutiny sources` lists the registry with each source's state,
`scrutiny sources add moderngov URL --committee TITLE` finds the committee through the site's
GetCommittees and appends a working entry, and disabled sources are not run.

Everything runs against the local mirror: its ModernGov site answers GetCommittees with the
panel (147) and an invented second committee, the panel's Budget Task Group (412)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from extract.adapters.moderngov import (AmbiguousCommittee, NoSuchCommittee, WsCommittee, match_committee,
                                        parse_get_committees)
from extract.registry import load_registry
from mirror import build_mirror, mirror_sources_toml
from mirror.sites.moderngov import TASK_GROUP, TASK_GROUP_ID, ModernGovSite
from scrutiny.cli import moderngov_base_url, slug_of
from tests.conftest import scalar, table_rows
from tests.demo_data import demo  # noqa: F401  (the session fixture)
from tests.prefect_stack import free_port

REPO = Path(__file__).resolve().parents[1]
REAL_COMMITTEES = Path("/work/shared/real/moderngov_ws/manchester_GetCommittees_trimmed.xml")
MG = ModernGovSite.prefix
ADDED = "west-mercia-pcp-budget-task-group"  # the slug made from the task group's title
DISABLED = ("wmpcc-spcb", "wmpcc-agb", "westmercia-wmgb", "wmpcp")  # every site but ModernGov's


def scrutiny(*args, home: Path | None = None, timeout: int = 120):
    env = os.environ | {"PREFECT_HOME": str(home or "/nonexistent-prefect-home")}
    env.pop("SCRUTINY_DATA_DIR", None)
    env.pop("SCRUTINY_SOURCES", None)
    return subprocess.run([sys.executable, "-m", "scrutiny.cli", *args], capture_output=True, text=True,
                          cwd=REPO, env=env, timeout=timeout)


def table(stdout: str) -> dict[str, dict[str, str]]:
    """`_print_table` output -> {source_id: {column: cell}}: a cell starts where its column's
    heading does (out of a terminal, every row is one line)."""
    header, _rule, *lines, _count = stdout.splitlines()
    cols, starts = header.split(), []
    for c in cols:
        starts.append(header.index(c, starts[-1] + 1 if starts else 0))
    starts.append(None)
    rows = {}
    for line in lines:
        cells = [line[a:b].strip() for a, b in zip(starts, starts[1:])]
        rows[cells[0]] = dict(zip(cols, cells))
    return rows


def one_line_refusal(proc, *words) -> str:
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode != 0 and len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


# -- matching a committee title (pure) -------------------------------------------------------------

def real_committees() -> list[WsCommittee]:
    if not REAL_COMMITTEES.exists():
        pytest.skip("the shared real ModernGov samples are not here")
    return parse_get_committees(REAL_COMMITTEES.read_bytes())


def test_the_real_get_committees_answer_is_read_with_ids_titles_and_expiry():
    assert real_committees() == [
        WsCommittee(312, "Appointment Sub Committee for Director of Adult Social Services", True),
        WsCommittee(163, "Art Galleries Committee", False), WsCommittee(144, "Audit Committee", False)]


def test_an_exact_title_wins_else_the_single_title_that_contains_it():
    committees = real_committees()
    assert match_committee(committees, "audit  committee").committee_id == 144  # case and spacing aside
    assert match_committee(committees, "galleries").committee_id == 163


def test_several_titles_containing_it_are_listed_and_refused():
    with pytest.raises(AmbiguousCommittee) as err:
        match_committee(real_committees(), "Committee")
    assert [c.committee_id for c in err.value.candidates] == [312, 163, 144]


def test_no_title_containing_it_is_refused_with_the_closest():
    with pytest.raises(NoSuchCommittee) as err:
        match_committee(real_committees(), "Audit Comittee")
    assert [c.committee_id for c in err.value.candidates][:1] == [144]


def test_the_mirror_answer_titles_are_unescaped_and_match():
    site = ModernGovSite()
    from mirror.server import Request

    answer = site.handle(Request("GET", "mgWebService.asmx/GetCommittees", {}, "", {})).body
    committees = parse_get_committees(answer)
    assert match_committee(committees, "budget task group") == WsCommittee(TASK_GROUP_ID, TASK_GROUP, False)


def test_the_site_folder_is_taken_from_any_of_its_addresses():
    for url in ("https://democracy.kent.gov.uk", "https://democracy.kent.gov.uk/ieListMeetings.aspx?CId=756&Year=0",
                "https://democracy.kent.gov.uk/mgWebService.asmx/GetCommittees?lDays=0"):
        assert moderngov_base_url(url) == "https://democracy.kent.gov.uk/"
    assert moderngov_base_url("https://www.london.gov.uk/moderngov/ieListDocuments.aspx?CId=240&MId=6642") == \
        "https://www.london.gov.uk/moderngov/"
    assert slug_of("Leicester, Leicestershire and Rutland Police and Crime Panel") == "leicester-leicestershire-and-rutland-pcp"


# -- input checked before anything runs -----------------------------------------------------------

@pytest.mark.parametrize("args, words", [
    (["ftp://example.invalid/", "--committee", "x"], ["not an http(s) address"]),
    (["http://127.0.0.1:9/", "--committee", "  "], ["empty committee title"]),
    (["http://127.0.0.1:9/", "--committee", "x", "--id", "Bad Slug"], ["--id", "not a slug"]),
    (["http://127.0.0.1:9/", "--committee", "x", "--id", "westmercia-pcp"], ["already in"]),
    (["http://127.0.0.1:9/", "--committee", "x", "--body", ""], ["--body", "must not be empty"]),
])
def test_bad_input_is_one_line_and_changes_nothing(args, words, tmp_path):
    """Port 9 (discard) on the loopback: had any of these reached the network, the error would be
    a connection refusal, not the words asked for."""
    registry = tmp_path / "sources.toml"
    shutil.copy(REPO / "sources.toml", registry)
    before = registry.read_bytes()
    one_line_refusal(scrutiny("--sources", str(registry), "sources", "add", "moderngov", *args), *words)
    assert registry.read_bytes() == before


def test_a_broken_registry_is_one_line_naming_file_source_and_key(tmp_path):
    registry = tmp_path / "sources.toml"
    registry.write_text((REPO / "sources.toml").read_text().replace("enabled = false", 'enabled = "no"', 1))
    for args in (["sources"], ["sources", "add", "moderngov", "http://127.0.0.1:9/", "--committee", "x"]):
        one_line_refusal(scrutiny("--sources", str(registry), *args), str(registry), "'kent-pcp'", "'enabled'")


# -- against the mirror: refusals, then an entry that works ----------------------------------------

@pytest.fixture()
def mirror_registry(tmp_path):
    with build_mirror(0) as mirror:
        path = tmp_path / "sources.toml"
        path.write_text(mirror_sources_toml(mirror, rate_per_second=0.0, backoff_factor=0.0))
        yield mirror, path


def test_an_ambiguous_title_lists_the_committees_and_writes_nothing(mirror_registry):
    mirror, path = mirror_registry
    before = path.read_bytes()
    line = one_line_refusal(scrutiny("--sources", str(path), "sources", "add", "moderngov",
                                     mirror.site_url(MG), "--committee", "Police and Crime Panel"), "2 committees")
    assert "'West Mercia Police and Crime Panel' (147)" in line and f"{TASK_GROUP!r} ({TASK_GROUP_ID})" in line
    assert path.read_bytes() == before


def test_a_committee_already_registered_is_refused(mirror_registry):
    mirror, path = mirror_registry
    before = path.read_bytes()
    one_line_refusal(scrutiny("--sources", str(path), "sources", "add", "moderngov", mirror.site_url(MG),
                              "--committee", "West Mercia Police and Crime Panel"), "147", "'westmercia-pcp'")
    assert path.read_bytes() == before


def test_a_site_that_is_not_moderngov_is_one_line(mirror_registry):
    mirror, path = mirror_registry
    one_line_refusal(scrutiny("--sources", str(path), "sources", "add", "moderngov",
                              mirror.site_url("westmidlands-pcc"), "--committee", "x"), "cannot read the committees")


def test_add_writes_a_working_entry_and_the_next_run_archives_that_committee_not_the_disabled(tmp_path):
    """The whole path a user takes: `sources add` against the mirror, then `scrutiny run` (the
    real nightly flow, Prefect and all). The sources of the other sites are disabled in the same
    file: not run, their sites never asked."""
    data, home = tmp_path / "data", tmp_path / "prefect"
    with build_mirror(free_port()) as mirror:
        path = tmp_path / "sources.toml"
        original = mirror_sources_toml(mirror, rate_per_second=0.0, backoff_factor=0.0)
        for sid in DISABLED:
            original = original.replace(f'id = "{sid}"\n', f'id = "{sid}"\nenabled = false\n')
        path.write_text(original)

        added = scrutiny("--sources", str(path), "sources", "add", "moderngov",
                         mirror.site_url(MG) + "ieListMeetings.aspx?CId=147&Year=0", "--committee", "budget task group")
        assert added.returncode == 0, added.stderr
        assert path.read_text().startswith(original)  # comments and entries kept as they were
        entry = load_registry(path).get(ADDED)
        assert (entry.enabled, entry.adapter, entry.base_url, entry.params) == \
            (True, "moderngov", mirror.site_url(MG), {"committee_id": TASK_GROUP_ID})
        asked = [r for r in mirror.log if r.path.endswith("GetCommittees")]
        assert len(asked) == 1 and "Scrutiny/" in asked[0].user_agent  # the registry's own user agent

        mirror.log.clear()
        # From 2026-01-01: the task group's two meetings and the panel's of October 2026.
        run = scrutiny("--sources", str(path), "--data-dir", str(data), "run", "--today", "2026-11-23",
                       "--lookback-days", "326", "--lookahead-days", "0", home=home, timeout=600)
        assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
        expected = mirror.sites[MG].manifest(TASK_GROUP_ID)["meetings"]
        assert {r.site for r in mirror.log} == {"", MG}  # robots.txt and ModernGov: the others never asked

    wh = data / "warehouse.duckdb"
    got = table_rows(wh, f"(SELECT meeting_date::VARCHAR, status FROM meetings WHERE source_id = '{ADDED}')")
    assert got == [(m["meeting_date"], m["status"]) for m in expected]
    archived = {r[0] for r in table_rows(wh, f"(SELECT document_id FROM documents WHERE source_id = '{ADDED}')")}
    assert {d["sha256"] for m in expected for d in m["documents"]} <= archived
    sources_run = scalar(wh, "SELECT sources FROM runs ORDER BY started_at DESC LIMIT 1")
    assert sources_run == sorted(["westmercia-pcp", ADDED])  # a list, sorted

    listed = scrutiny("--sources", str(path), "--data-dir", str(data), "sources")
    assert listed.returncode == 0, listed.stderr
    rows = table(listed.stdout)
    assert rows[ADDED]["state"] == "enabled" and rows[ADDED]["meetings"] == str(len(expected))
    assert rows[ADDED]["last_status"] == "completed" and rows[ADDED]["last_run"]
    for sid in DISABLED:
        assert (rows[sid]["state"], rows[sid]["last_run"]) == ("disabled", ""), sid


# -- listing the project's registry with what a warehouse holds ------------------------------------

def test_sources_lists_enabled_and_disabled_sources_with_their_state(demo, tmp_path):  # noqa: F811
    data = tmp_path / "data"
    shutil.copytree(demo.data.root, data, ignore=shutil.ignore_patterns("locks"))
    proc = scrutiny("--data-dir", str(data), "sources")  # the project's own sources.toml
    assert proc.returncode == 0, proc.stderr
    rows = table(proc.stdout)
    registry = load_registry()
    assert list(rows) == [s.id for s in registry.sources]
    assert re.search(r": 5 enabled, 9 disabled$", proc.stderr.strip())
    for s in registry.sources:
        row = rows[s.id]
        assert (row["state"], row["adapter"]) == ("enabled" if s.enabled else "disabled", s.adapter)
        meetings = scalar(demo.warehouse, "SELECT count(*) FROM meetings WHERE source_id = ?", [s.id])
        flagged = scalar(demo.warehouse, "SELECT count(*) FROM documents WHERE source_id = ? "
                                         "AND len(parse_flags) > 0", [s.id])
        if s.enabled:
            assert row["meetings"] == str(meetings) and meetings > 0, s.id
            assert row["flagged"] == str(flagged) and row["last_run"], s.id
        else:  # never run: blank, not "0 meetings"
            assert (row["meetings"], row["flagged"], row["last_run"]) == ("", "", ""), s.id


def test_sources_without_a_data_directory_lists_the_registry_and_creates_nothing(tmp_path):
    proc = scrutiny("--data-dir", str(tmp_path / "none"), "sources")
    assert proc.returncode == 0, proc.stderr
    assert len(table(proc.stdout)) == 14 and "no warehouse" in proc.stderr
    assert not (tmp_path / "none").exists()


def test_an_expired_committee_is_added_disabled_and_the_entry_reads_back_as_written():
    """An expired committee meets no more: enabled, it would fail every nightly run with "zero
    meetings"; disabled, `backfill --source` archives its past."""
    import datetime as dt

    from extract.registry import parse_registry
    from scrutiny.cli import moderngov_entry

    for expired in (False, True):
        title = 'Shadow "Kent" & Medway Police and Crime Panel'
        block = moderngov_entry("kent-shadow-pcp", f"{title} (democracy.kent.gov.uk)", title,
                                "https://democracy.kent.gov.uk/", WsCommittee(756, title, expired), dt.date(2026, 12, 6))
        [src] = parse_registry(block).sources
        assert (src.enabled, src.body, src.params) == (not expired, title, {"committee_id": 756})
        assert block.splitlines()[1].startswith("# Added by `scrutiny sources add` on 2026-12-06: committee 756")


def test_a_well_formed_answer_of_something_else_is_not_read_as_no_committees(mirror_registry):
    """A real IIS redirect page is well-formed XML (root <script>): refused by its root element,
    in one line, never taken for a site without committees."""
    from mirror.server import Response

    page = Path("/work/shared/real/moderngov_other/denbighshire_GetCouncillorsByWard_over_http_IIS_HttpRedirect_page.html")
    if not page.exists():
        pytest.skip("the shared real ModernGov samples are not here")
    mirror, path = mirror_registry
    mirror.switches[MG].overrides["mgWebService.asmx/GetCommittees"] = Response(200, page.read_bytes(), "text/xml")
    one_line_refusal(scrutiny("--sources", str(path), "sources", "add", "moderngov", mirror.site_url(MG),
                              "--committee", "budget task group"), "wrong_content", "<script>", "<committees>")
