"""The raw archive: content-addressed bytes and a manifest that grows only with news."""
from extract.archive import Archive, ManifestEntry
from kernel.ids import document_id


def entry(doc_id: str, url: str, source: str = "wmpcc-spcb") -> ManifestEntry:
    return ManifestEntry(document_id=doc_id, source_id=source, url=url, fetched_at="2026-11-23T02:00:00+00:00",
                         http_status=200, content_type="application/pdf", bytes=3, purpose="document")


def test_bytes_are_stored_under_their_sha256(tmp_path):
    archive = Archive(tmp_path)
    doc_id = archive.put(b"%PDF-1.4 minutes")
    assert doc_id == document_id(b"%PDF-1.4 minutes")
    assert archive.read(doc_id) == b"%PDF-1.4 minutes"
    assert archive.path_for(doc_id).parent.name == doc_id[:2]


def test_recording_the_same_url_and_bytes_twice_leaves_the_manifest_unchanged(tmp_path):
    archive = Archive(tmp_path)
    doc_id = archive.put(b"abc")
    assert archive.record(entry(doc_id, "https://x/a.pdf")) is True
    before = archive.manifest_path.read_bytes()
    assert archive.record(entry(doc_id, "https://x/a.pdf")) is False
    assert archive.manifest_path.read_bytes() == before


def test_changed_bytes_at_a_known_url_become_the_current_version(tmp_path):
    archive = Archive(tmp_path)
    old, new = archive.put(b"v1"), archive.put(b"v2")
    archive.record(entry(old, "https://x/a.pdf"))
    archive.record(entry(new, "https://x/a.pdf"))
    assert archive.latest("wmpcc-spcb", "https://x/a.pdf").document_id == new
    assert set(archive.current_documents()) == {new}
    assert archive.has(old), "the superseded version stays archived"


def test_same_bytes_at_two_urls_are_one_current_document(tmp_path):
    archive = Archive(tmp_path)
    doc = archive.put(b"minutes")
    archive.record(entry(doc, "https://x/g1/Printed minutes.pdf"))
    archive.record(entry(doc, "https://x/s1/Minutes of the previous meeting.pdf"))
    assert list(archive.current_documents()) == [doc]
    assert archive.first_entry_for(doc).url == "https://x/g1/Printed minutes.pdf"


def test_the_owner_of_bytes_two_sources_link_for_the_same_day_does_not_depend_on_who_came_first(tmp_path):
    """Sources run at once (flows/tasks.py) archive in no fixed order: the owner must not follow it."""
    owners = []
    for order in (("wmpcc-spcb", "wmpcc-agb"), ("wmpcc-agb", "wmpcc-spcb")):
        archive = Archive(tmp_path / "-".join(order))
        doc = archive.put(b"joint paper")
        for source in order:
            e = entry(doc, f"https://x/{source}/joint.pdf", source)
            e.context = {"meeting_date": "2024-03-05"}
            archive.record(e)
        owners.append(archive.first_entry_for(doc).source_id)
    assert owners == ["wmpcc-agb", "wmpcc-agb"]


def test_threads_reading_while_others_append_see_every_entry_once(tmp_path):
    """The run's sources share one Archive from their threads."""
    import sys
    import threading

    archive = Archive(tmp_path)
    docs = [archive.put(f"paper {i}".encode()) for i in range(200)]
    reader_saw: list[int] = []
    errors: list[BaseException] = []

    def reader():
        try:
            while len(reader_saw) < 2000:
                reader_saw.append(len(archive.current_documents()))
                archive.first_entry_for(docs[len(reader_saw) % 200])
        except Exception as exc:  # a dict changed while iterated
            errors.append(exc)

    def writer(part):
        try:
            for i in part:
                archive.record(entry(docs[i], f"https://x/{i}.pdf"))
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(2)] + [threading.Thread(target=writer, args=(range(k, 200, 4),))
                                                   for k in range(4)]
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch often, as they would in a long run
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(switch)
    assert not errors, errors
    assert len(archive.entries()) == 200 and set(archive.current_documents()) == set(docs)
    assert [e.url for e in Archive(tmp_path).entries()] == [e.url for e in archive.entries()]


def test_a_page_read_as_a_listing_is_not_mistaken_for_its_document_version(tmp_path):
    """Adapters may open a minutes page to learn its date; the document fetch is separate."""
    archive = Archive(tmp_path)
    doc = archive.put(b"<html>minutes</html>")
    listing = entry(doc, "https://x/wmgb-june-2023-minutes/")
    listing.purpose = "listing"
    archive.record(listing)
    assert archive.latest("wmpcc-spcb", "https://x/wmgb-june-2023-minutes/") is None
    assert archive.record(entry(doc, "https://x/wmgb-june-2023-minutes/")) is True
    assert archive.first_entry_for(doc).purpose == "document"


def test_two_processes_appending_to_one_manifest_see_each_others_entries(tmp_path):
    """Overlapping runs share the manifest: each catches up with the other's appends."""
    a, b = Archive(tmp_path), Archive(tmp_path)
    doc1, doc2 = a.put(b"one"), b.put(b"two")
    assert a.record(entry(doc1, "https://x/1.pdf"))
    assert b.record(entry(doc2, "https://x/2.pdf"))
    assert not b.record(entry(doc1, "https://x/1.pdf")), "b saw a's append: no duplicate line"
    assert a.latest("wmpcc-spcb", "https://x/2.pdf").document_id == doc2
    assert len(a.manifest_path.read_text().splitlines()) == 2
