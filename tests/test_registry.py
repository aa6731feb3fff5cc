"""The source registry: one file lists every source; the mirror rewrites only base URLs."""
import pytest

from extract.registry import load_registry, parse_registry

EXPECTED = {"wmpcc-spcb", "wmpcc-agb", "westmercia-pcp", "westmercia-wmgb", "wmpcp"}
# The catalogue's Police and Crime Panels: host and ModernGov committee id, from real published URLs.
CATALOGUE = {"kent-pcp": ("democracy.kent.gov.uk", 756), "lancashire-pcp": ("council.lancashire.gov.uk", 726),
             "northumbria-pcp": ("democracy.gateshead.gov.uk", 159), "leics-pcp": ("democracy.leics.gov.uk", 1029),
             "cambs-pcp": ("democracy.peterborough.gov.uk", 543),
             "warwickshire-pcp": ("democracy.warwickshire.gov.uk", 136),
             "gloucs-pcp": ("glostext.gloucestershire.gov.uk", 650),
             "merseyside-pcp": ("councillors.knowsley.gov.uk", 796),
             "london-assembly-pcc": ("www.london.gov.uk", 240)}


def test_project_registry_lists_the_five_sources_with_known_adapters():
    from extract.adapters import ADAPTERS

    reg = load_registry()
    assert {s.id for s in reg.select(None)} == EXPECTED
    assert {s.id for s in reg.sources} == EXPECTED | set(CATALOGUE)
    assert all(s.adapter in ADAPTERS for s in reg.sources)
    assert reg.get("westmercia-pcp").params["committee_id"] == 147
    assert reg.get("wmpcp").params["committee_id"] == 436


def test_every_enabled_source_has_a_fixture_folder_and_a_test():
    """A source is enabled once it has its tests; the catalogue's disabled entries wait for theirs."""
    from pathlib import Path

    here = Path(__file__).parent
    for s in load_registry().select(None):
        assert (here / "fixtures" / s.id).is_dir(), f"no tests/fixtures/{s.id}/"
        assert (here / f"test_source_{s.id.replace('-', '_')}.py").exists(), f"no test for {s.id}"


def test_base_url_always_ends_with_a_slash():
    reg = parse_registry('[[source]]\nid="a"\nadapter="moderngov"\npublisher="p"\nbody="b"\nbase_url="https://h/x"\n')
    assert reg.sources[0].base_url == "https://h/x/"


def test_missing_fields_and_duplicate_ids_are_refused():
    with pytest.raises(ValueError, match="lacks"):
        parse_registry('[[source]]\nid="a"\nadapter="moderngov"\n')
    one = 'id="a"\nadapter="m"\npublisher="p"\nbody="b"\nbase_url="https://h/"\n'
    with pytest.raises(ValueError, match="duplicate"):
        parse_registry(f"[[source]]\n{one}[[source]]\n{one}")


def test_sources_env_var_points_the_pipeline_elsewhere(tmp_path, monkeypatch):
    f = tmp_path / "s.toml"
    f.write_text('[[source]]\nid="x"\nadapter="moderngov"\npublisher="p"\nbody="b"\nbase_url="http://127.0.0.1:9/"\n')
    monkeypatch.setenv("SCRUTINY_SOURCES", str(f))
    assert [s.id for s in load_registry().sources] == ["x"]


SOURCE = 'id = "{id}"\nadapter = "moderngov"\npublisher = "p"\nbody = "b"\nbase_url = "{url}"\n'


def config_error(text: str) -> str:
    from extract.registry import ConfigError

    with pytest.raises(ConfigError) as info:
        parse_registry(text, "my-sources.toml")
    message = str(info.value)
    assert "\n" not in message and message.startswith("my-sources.toml: "), message
    return message


@pytest.mark.parametrize("bad_id", ["../x", "a/b", "A-Capital", "-lead", "has space", "", "x" * 70])
def test_a_source_id_must_be_a_slug_so_it_cannot_leave_the_data_folder(bad_id):
    message = config_error("[[source]]\n" + SOURCE.format(id=bad_id, url="https://h/"))
    assert f"source {bad_id!r}" in message and "key 'id'" in message


def test_each_config_error_names_the_file_the_source_and_the_key():
    cases = {
        "[[source]]\n" + SOURCE.format(id="ok", url="ftp://h/"): ("source 'ok'", "key 'base_url'"),
        "[[source]]\n" + SOURCE.format(id="ok", url="https://h/") + "browser = 1\n": ("source 'ok'", "key 'browser'"),
        "[[source]]\n" + SOURCE.format(id="ok", url="https://h/") + 'rate_per_second = "fast"\n':
            ("source 'ok'", "key 'rate_per_second'"),
        "[[source]]\n" + SOURCE.format(id="ok", url="https://h/") + "params = 3\n": ("source 'ok'", "key 'params'"),
        "[settings]\nlookback_days = -3\n": ("key 'lookback_days'",),
        "[settings]\nmax_download_bytes = 0\n": ("key 'max_download_bytes'",),
        "[settings]\nlookahead_days = 1.5\n": ("key 'lookahead_days'",),
        '[[source]]\nid = "ok"\n': ("source 'ok'", "key 'adapter'", "lacks"),
        "[[source]\nid = 1": ("not valid TOML",),
    }
    for text, words in cases.items():
        message = config_error(text)
        for word in words:
            assert word in message, (text, message)


def test_a_missing_sources_file_is_a_config_error(tmp_path):
    from extract.registry import ConfigError

    with pytest.raises(ConfigError, match="no such sources file"):
        load_registry(tmp_path / "nope.toml")


def test_the_mirror_registries_of_the_tests_are_valid():
    from mirror import build_mirror, mirror_sources_toml

    with build_mirror(0) as mirror:
        for settings in ({"rate_per_second": 0.0, "backoff_factor": 0.0}, {"rate_per_second": 50.0}):
            assert len(parse_registry(mirror_sources_toml(mirror, **settings)).sources) == 5


# -- the catalogue: disabled entries ----------------------------------------------------------------

def test_the_catalogue_panels_are_disabled_moderngov_entries_each_with_its_evidence_url():
    from urllib.parse import urlsplit

    from extract.registry import DEFAULT_SOURCES
    from mirror import _block_id

    reg = load_registry()
    blocks = {_block_id(b): b for b in DEFAULT_SOURCES.read_text().split("[[source]]")[1:]}
    for sid, (host, cid) in CATALOGUE.items():
        s = reg.get(sid)
        assert (s.enabled, s.adapter, urlsplit(s.base_url).hostname, s.params["committee_id"]) == \
            (False, "moderngov", host, cid), sid
        evidence = [line for line in blocks[sid].splitlines() if line.startswith("# Evidence: http")]
        assert evidence and f"{host}" in evidence[0] and f"CId={cid}&" in evidence[0], sid


def test_a_run_over_all_sources_leaves_the_disabled_out_and_naming_one_runs_it():
    text = ('[[source]]\nid="on"\nadapter="m"\npublisher="p"\nbody="b"\nbase_url="https://h/"\n'
            '[[source]]\nid="off"\nadapter="m"\npublisher="p"\nbody="b"\nbase_url="https://h/"\nenabled=false\n')
    reg = parse_registry(text)
    assert [s.id for s in reg.sources] == ["on", "off"]
    assert [s.id for s in reg.select(None)] == ["on"]
    assert [s.id for s in reg.select(["off"])] == ["off"]


def test_enabled_must_be_true_or_false_in_one_line_naming_file_source_and_key():
    from extract.registry import ConfigError

    text = '[[source]]\nid="x"\nadapter="m"\npublisher="p"\nbody="b"\nbase_url="https://h/"\nenabled="no"\n'
    with pytest.raises(ConfigError) as err:
        parse_registry(text, "reg.toml")
    assert str(err.value) == "reg.toml: source 'x': key 'enabled': must be true or false, not 'no'"


def test_the_mirror_registry_never_names_a_real_host():
    """Disabled catalogue entries point at real councils: the mirror's registry leaves them out,
    so neither a test nor the demo can reach one, even by naming it."""
    from mirror import build_mirror, mirror_sources_toml

    with build_mirror(0) as mirror:
        reg = parse_registry(mirror_sources_toml(mirror, rate_per_second=50.0))
        assert {s.id for s in reg.sources} == EXPECTED
        assert all(s.base_url.startswith(mirror.base_url + "/") for s in reg.sources)
        assert not set(CATALOGUE) & {s.id for s in reg.sources}
