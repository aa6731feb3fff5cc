"""The source registry: one file lists every source; the mirror rewrites only base URLs."""
import pytest

from extract.registry import load_registry, parse_registry

EXPECTED = {"wmpcc-spcb", "wmpcc-agb", "westmercia-pcp", "westmercia-wmgb", "wmpcp"}


def test_project_registry_lists_the_five_sources_with_known_adapters():
    from extract.adapters import ADAPTERS

    reg = load_registry()
    assert {s.id for s in reg.sources} == EXPECTED
    assert all(s.adapter in ADAPTERS for s in reg.sources)
    assert reg.get("westmercia-pcp").params["committee_id"] == 147
    assert reg.get("wmpcp").params["committee_id"] == 436


def test_every_registered_source_has_a_fixture_folder_and_a_test():
    from pathlib import Path

    here = Path(__file__).parent
    for s in load_registry().sources:
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
