"""SYNTHETIC sites for the benchmark: the three mirrored sites at archive scale.

``tests/benchmarks/generate.py`` writes a synthetic archive (``spec.json`` + ``files/*.pdf``: the
real corpus papers varied in dates, numbers and names, clearly marked synthetic). The classes here
serve it through the real replicas' page formats, by subclassing them and replacing only their
content, so the real adapters discover it exactly as they discover the default mirror:

* :class:`SyntheticWmpccSite` – the SPCB archive (paginated by pairs of years) and the AGB page,
  ``wp-content/uploads/YYYY/MM/DDMMYYYY-<ABBR>-Item-N-<Title>.pdf`` links;
* :class:`SyntheticModernGovSite` – committee 147's web service and meeting pages; each report is
  an item attachment, agenda / pack / minutes are meeting-level ``documents/g…`` papers;
* :class:`SyntheticWmgbSite` – the WMGB listing and one HTML minutes page per month.

:func:`publish_new` reveals the meetings the generator kept back (the "1% new papers" nightly).
The default mirror (``mirror.build_mirror``) is untouched by any of this.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from mirror.server import Mirror
from mirror.sites import moderngov as mg
from mirror.sites import wmgb
from mirror.sites import wmpcc


def load_spec(archive: Path) -> dict:
    return json.loads((Path(archive) / "spec.json").read_text())


def _slug(title: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-")


class _Files:
    """Document bytes read from the archive directory when asked for (the OS caches them)."""

    def __init__(self, archive: Path):
        self.root = Path(archive) / "files"

    def read(self, name: str) -> bytes:
        return (self.root / name).read_bytes()


# --------------------------------------------------------------------------------------
# West Midlands OPCC (WordPress board pages)
# --------------------------------------------------------------------------------------


class SyntheticWmpccSite(wmpcc.WmpccSite):
    def __init__(self, archive: Path, spec: dict | None = None):
        super().__init__()
        spec = spec or load_spec(archive)
        self.files = _Files(archive)
        self.by_path: dict[str, str] = {}
        self.spcb, self.agb, self.held_back = [], [], []
        for m in spec["meetings"]:
            if m["source"] not in ("wmpcc-spcb", "wmpcc-agb"):
                continue
            meeting = self._meeting(m)
            if m["new"]:
                self.held_back.append(meeting)
            else:
                (self.agb if m["source"] == "wmpcc-agb" else self.spcb).append(meeting)
        self.spcb.sort(key=lambda x: x.date, reverse=True)
        self.agb.sort(key=lambda x: x.date, reverse=True)
        years = sorted({x.date.year for x in self.spcb}, reverse=True)
        for x in self.spcb:  # WordPress pagination: two years of meetings a page
            x.page = 1 + years.index(x.date.year) // 2
        self._documents = None

    def _meeting(self, m: dict) -> wmpcc.Meeting:
        day = dt.date.fromisoformat(m["date"])
        board = "AGB" if m["source"] == "wmpcc-agb" else "SPCB"
        docs = []
        for i, d in enumerate(m["docs"]):
            # Some papers are uploaded the month before the meeting (sources.md §1.3).
            up = day.replace(day=1) - dt.timedelta(days=1) if i % 4 == 3 else day
            title = d["title"].split("–", 1)[-1].strip()
            fname = f"{day:%d%m%Y}-{board}-Item-{d['item']}-{_slug(title)}.pdf"
            doc = wmpcc.Doc(f"{up:%Y/%m}", fname, d["title"], d["kind"],
                            records=dt.date.fromisoformat(d["records"]) if d["records"] else None,
                            href="rel" if i % 5 == 4 else "abs")
            self.by_path[doc.path] = d["file"]
            docs.append(doc)
        return wmpcc.Meeting(board, day, f"{day:%A} {day.day} {day:%B %Y}", "held", docs)

    def documents(self) -> dict:
        if self._documents is None:
            self._documents = super().documents()
        return self._documents

    def doc_bytes(self, doc) -> bytes:
        name = self.by_path.get(doc.path)
        return self.files.read(name) if name else super().doc_bytes(doc)

    def publish_new(self) -> int:
        n = 0
        for meeting in self.held_back:
            (self.agb if meeting.board == "AGB" else self.spcb).insert(0, meeting)
            n += len(meeting.docs)
        self.held_back = []
        self.page_revision += 1
        self._documents = None
        return n


# --------------------------------------------------------------------------------------
# West Mercia Police and Crime Panel (ModernGov, committee 147)
# --------------------------------------------------------------------------------------


class SyntheticModernGovSite(mg.ModernGovSite):
    def __init__(self, archive: Path, spec: dict | None = None):
        super().__init__()
        spec = spec or load_spec(archive)
        files = _Files(archive)
        self.meetings, self.held_back = {}, {}
        attachment = 70000
        for m in spec["meetings"]:
            if m["source"] != "westmercia-pcp":
                continue
            day = dt.date.fromisoformat(m["date"])
            meeting = mg.Meeting(m["mid"], day, "10.00 am", "County Hall, Worcester",
                                 "Samantha Morris  Scrutiny Co-ordinator",
                                 "numbered" if day.year >= 2021 else "plain", attendees=mg.ATTENDEES_GENERIC)
            items = [mg.Item("Apologies and Named Substitutes", None, mg._p("To receive any apologies."),
                             mg._p("Apologies were received."))]
            for d in m["docs"]:
                published = dt.date.fromisoformat(d["published"]) if d["published"] else day
                if d["kind"] in ("agenda", "pack", "minutes"):
                    label, t = {"agenda": ("Agenda frontsheet", 0), "pack": ("Public reports pack", 10),
                                "minutes": ("Printed minutes", 1)}[d["kind"]]
                    meeting.gdocs.append(mg.MeetingDoc(label, t, files.read(d["file"]), d["kind"], published))
                    meeting.minutes_published |= d["kind"] == "minutes"
                else:
                    attachment += 1
                    doc = mg.Doc(attachment, d["title"], published, files.read(d["file"]), d["kind"])
                    items.append(mg.Item(d["title"], None, mg._p(f"To consider the report: {d['title']}."),
                                         mg._p("The Panel noted the report."), [doc]))
            base = 300 + len(self.meetings) * 12
            for n, it in enumerate(items):
                it.minute_no = base + n
            meeting.items = items
            (self.held_back if m["new"] else self.meetings)[meeting.mid] = meeting

    def publish_new(self) -> int:
        n = sum(len(m.gdocs) + sum(len(i.docs) for i in m.items) for m in self.held_back.values())
        self.meetings.update(self.held_back)
        self.held_back = {}
        return n


# --------------------------------------------------------------------------------------
# West Mercia Governance Board (WordPress HTML minutes pages)
# --------------------------------------------------------------------------------------

_ERA_TIMES = {"2022": "13:30-15:30", "2023": "14:00-17:00"}


def _wmgb_page(m: dict, i: int) -> wmgb.Page:
    day = dt.date.fromisoformat(m["date"])
    era = m["wmgb"]["era"]
    sfx = mg.ordinal(day.day)
    if era == "2022":
        date_line, time_line = f"{day:%A} {day.day} {day:%B %Y}, {_ERA_TIMES[era]}", None
        refs = [f"Ref {k:02d}/{day:%d/%m/%Y}" for k in range(1, 10)]
    elif era == "2023":
        date_line, time_line = f"{day:%A} {sfx} {day:%B %Y}, {_ERA_TIMES[era]}", None
        refs = [f"Ref {k:02d}/{day:%d/%m/%Y}" for k in range(1, 10)]
    else:
        date_line, time_line = f"Date: {sfx} {day:%B %Y}", "Time: 14:00hrs"
        refs = [f"Ref/{k:02d}/{day:%d/%m/%Y}" for k in range(1, 10)] if i % 3 else [None] * 9
    items = [wmgb.Item(x["title"], x["papers"], x["purpose"], x["text"], x["decisions"], x["actions"])
             for x in m["wmgb"]["items"]]
    codes = ["HM DO RL SP CH PS TB", "HM RL SP CH ME TB", "HM DO RL CH ME PS TB"][i % 3]
    return wmgb.Page(f"wmgb-{day:%B}-{day.year}-minutes".lower(), f"{day:%B} {day.year}", day, era,
                     date_line, time_line, "Willison Room, Hindlip", wmgb._people(codes), wmgb._people("AK"),
                     refs[:len(items)], items,
                     ["short-noslash", "short-slash", "long-noslash", "long-slash"][i % 4])


class SyntheticWmgbSite(wmgb.WmgbSite):
    def __init__(self, archive: Path, spec: dict | None = None):
        super().__init__()
        spec = spec or load_spec(archive)
        ms = [m for m in spec["meetings"] if m["source"] == "westmercia-wmgb"]
        pages: dict[str, wmgb.Page] = {}
        for i, m in enumerate(ms):
            page = _wmgb_page(m, i)
            pages.setdefault(page.slug, page)  # one page per month, as on the real site
        self.published = list(pages.values())
        self.pending = []

    def publish_new(self) -> int:
        return 0


# --------------------------------------------------------------------------------------


def synthetic_sites(archive: Path) -> list:
    spec = load_spec(archive)
    return [SyntheticModernGovSite(archive, spec), SyntheticWmpccSite(archive, spec), SyntheticWmgbSite(archive, spec)]


def build_synthetic_mirror(archive: Path, port: int = 0, mirror_class=Mirror) -> Mirror:
    """A mirror serving the synthetic archive in ``archive`` (see tests/benchmarks/generate.py)."""
    return mirror_class(synthetic_sites(archive), port=port)


def publish_new(mirror: Mirror) -> int:
    """Publish the papers the generator held back; returns how many documents appeared."""
    return sum(site.publish_new() for site in mirror.sites.values() if hasattr(site, "publish_new"))
