"""`scrutiny`: the command line, one command per stage. Every command is in the README.

Every argument is checked here, before any flow starts (Prefect's start-up takes seconds), and a
bad one is answered in one line on stderr with a non-zero exit, never a traceback. Prefect,
DuckDB and the pipeline are imported only once the input is known to be good.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import click

from kernel import settings
from kernel.config import DataDir

FIRST_YEAR = 1990  # no police governance body published online before this
RUN_SOURCE_HELP = ("Only this source (repeatable). Without it every enabled source runs; a disabled "
                   "one runs only when named.")


class Settings:
    def __init__(self, data_dir: str | None, sources: str | None):
        self.data = DataDir.resolve(data_dir)
        self.sources = sources

    def registry(self):
        """The source registry; a bad one is one line naming the file, the source and the key."""
        from extract.registry import ConfigError, load_registry

        try:
            return load_registry(self.sources)
        except ConfigError as exc:
            raise click.ClickException(str(exc)) from None

    def sources_named(self, source_ids) -> list:
        registry = self.registry()
        known = {s.id: s for s in registry.sources}
        unknown = [i for i in source_ids if i not in known]
        if unknown:
            raise click.ClickException(f"unknown source {unknown[0]!r} in {registry.path} "
                                       f"(known: {', '.join(known)})")
        return [known[i] for i in source_ids]

    def existing_data(self) -> DataDir:
        """The data directory of a command that reads what earlier runs made: a missing one is a
        mistyped --data-dir, not a place to start an empty warehouse."""
        if not self.data.root.is_dir():
            raise click.ClickException(f"no data directory at {self.data.root} (check --data-dir or "
                                       "SCRUTINY_DATA_DIR; `scrutiny demo`, `run` or `ingest` make one)")
        return self.data


pass_settings = click.make_pass_decorator(Settings)


class OneLineErrors(click.Group):
    """Bad input is one line on stderr and exit 2 (usage) or 1, not click's usage block."""

    def main(self, *args, **kwargs):
        kwargs["standalone_mode"] = False
        try:
            return super().main(*args, **kwargs)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            click.echo("scrutiny: aborted", err=True)
            sys.exit(1)
        except click.exceptions.NoArgsIsHelpError as exc:  # `scrutiny` alone: the help, as it is
            click.echo(exc.format_message(), err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            command, ctx = "", getattr(exc, "ctx", None)
            while ctx is not None and ctx.parent is not None:  # "scrutiny sources add: …"
                command, ctx = f" {ctx.info_name}{command}", ctx.parent
            click.echo(f"scrutiny{command}: {' '.join(exc.format_message().split())}", err=True)
            sys.exit(exc.exit_code)


def _iso_date(ctx, param, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date YYYY-MM-DD") from None


def _year():
    return click.IntRange(FIRST_YEAR, dt.date.today().year + 1)


@click.group(cls=OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data-dir", default=None,
              help="Data directory (raw archive, Parquet, warehouse). Default: $SCRUTINY_DATA_DIR, else ./data.")
@click.option("--sources", "sources_file", default=None,
              help="Source registry TOML. Default: $SCRUTINY_SOURCES, else sources.toml of the project.")
@click.pass_context
def main(ctx: click.Context, data_dir: str | None, sources_file: str | None) -> None:
    """Scrutiny: an archive of UK police governance meetings, queryable in DuckDB."""
    settings.prefer_system_allocator()  # before any command imports pyarrow
    ctx.obj = Settings(data_dir, sources_file)


def _run_flow(fn, **kwargs) -> None:
    """Run a Prefect flow in-process (no server needed: Prefect starts a temporary local API)."""
    try:
        summary = fn(**kwargs)
    except Exception as exc:  # the flow already logged the detail; say it plainly and exit 1
        click.secho(f"FAILED: {exc}", fg="red", err=True)
        sys.exit(1)
    click.echo(json.dumps(summary, indent=1))


@main.command()
@click.option("--source", "source_ids", multiple=True, help=RUN_SOURCE_HELP)
@click.option("--lookback-days", type=click.IntRange(min=0), default=None,
              help="Override the registry's look-back window.")
@click.option("--lookahead-days", type=click.IntRange(min=0), default=None, help="Override the look-ahead window.")
@click.option("--today", default=None, callback=_iso_date, help="Pretend today is YYYY-MM-DD (reproducible reruns).")
@pass_settings
def run(s: Settings, source_ids, lookback_days, lookahead_days, today: dt.date | None) -> None:
    """The nightly job: discover, fetch what is new, archive, parse, load."""
    s.sources_named(source_ids)
    from flows.nightly import nightly

    _run_flow(nightly, sources=list(source_ids) or None, lookback_days=lookback_days,
              lookahead_days=lookahead_days, today=today.isoformat() if today else None,
              data_dir=str(s.data.root), sources_file=s.sources)


@main.command()
@click.option("--from-year", type=_year(), required=True)
@click.option("--to-year", type=_year(), required=True)
@click.option("--source", "source_ids", multiple=True, help=RUN_SOURCE_HELP)
@pass_settings
def backfill(s: Settings, from_year: int, to_year: int, source_ids) -> None:
    """The nightly path over whole historic years. Resumable: archived files are not fetched again."""
    if to_year < from_year:
        raise click.BadParameter(f"{to_year} is before --from-year {from_year}", param_hint="'--to-year'")
    s.sources_named(source_ids)
    from flows.backfill import backfill as backfill_flow

    _run_flow(backfill_flow, from_year=from_year, to_year=to_year, sources=list(source_ids) or None,
              data_dir=str(s.data.root), sources_file=s.sources)


@main.command()
@click.option("--source", "source_ids", multiple=True, help="Only this source (repeatable).")
@pass_settings
def reparse(s: Settings, source_ids) -> None:
    """Re-parse the whole archive with the current parsers (no network), then reload."""
    s.sources_named(source_ids)
    s.existing_data()
    from flows.reparse import reparse as reparse_flow

    _run_flow(reparse_flow, sources=list(source_ids) or None, data_dir=str(s.data.root), sources_file=s.sources)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--source", "source_id", required=True, help="The source the files belong to.")
@click.option("--strict", is_flag=True, help="Exit 1 if any file is not a document or fails to parse.")
@pass_settings
def ingest(s: Settings, paths: tuple[Path, ...], source_id: str, strict: bool) -> None:
    """Archive and parse documents you already have (PDF or HTML: a folder of old papers, say)."""
    [source] = s.sources_named([source_id])
    files = [f for p in paths for f in (sorted(x for x in p.rglob("*") if x.is_file()) if p.is_dir() else [p])]
    documents = [f for f in files if is_document(f)]
    refused = [f for f in files if f not in documents]
    if strict and refused:
        named = ", ".join(map(str, refused[:3])) + (f" and {len(refused) - 3} more" if len(refused) > 3 else "")
        raise click.ClickException(f"not a document (neither PDF nor HTML): {named}; nothing ingested (--strict)")
    for path in refused:
        click.secho(f"not a document (neither PDF nor HTML), not ingested: {path}", fg="yellow", err=True)
    if not documents:
        raise click.ClickException(f"no document (PDF or HTML) among {len(files)} files")
    from scrutiny import pipeline

    ctx = pipeline.open_run("ingest", s.data, s.registry())
    bad = 0
    for n, path in enumerate(documents, 1):
        res = pipeline.ingest_file(ctx, source, path)
        ok = res.parse_status and res.parse_status.value == "ok"
        bad += not ok
        detail = "" if ok else f": {res.parse_error}"
        click.echo(f"[{n}/{len(documents)}] {path}: {res.outcome.value}, "
                   f"{res.parse_status.value if res.parse_status else '?'}{detail} ({res.document_id[:12]})")
    pipeline.finish_run(ctx)
    if bad:
        click.secho(f"{bad} of {len(documents)} files did not parse cleanly (recorded in documents.parse_status)",
                    fg="yellow", err=True)
    if strict and bad:
        sys.exit(1)


DOCUMENT_SUFFIXES = (".pdf", ".html", ".htm")


def is_document(path: Path) -> bool:
    """A PDF or an HTML page, by its bytes or by its name. A file named as one whose bytes are
    broken (an empty or truncated .pdf) is still taken: its parse status records what is wrong."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if b"%PDF-" in head[:1024] or path.suffix.lower() in DOCUMENT_SUFFIXES:
        return True
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    return text.startswith(b"<") and any(tag in text for tag in (b"<html", b"<!doctype html", b"<body"))


@main.command()
@pass_settings
def status(s: Settings) -> None:
    """Per source: meetings, documents, last run, failures."""
    data = s.existing_data()
    from warehouse.status import source_status

    rows = _read(lambda: source_status(data))
    _print_table(rows, list(rows[0].keys()) if rows else ["source_id"])
    problems = [r for r in rows if r.get("problem")]
    for r in problems:
        click.secho(f"{r['source_id']}: {r['problem']}", fg="red", err=True)


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("sql", required=False)
@click.option("--file", "sql_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the SQL from this file.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@pass_settings
def query(s: Settings, sql: str | None, sql_file: Path | None, fmt: str) -> None:
    """Run read-only SQL against the warehouse: SQL as the argument, from --file F, or on stdin.

    The warehouse is opened read-only and locked down: nothing can write a file (COPY … TO,
    EXPORT DATABASE, profiling or query logs) or change a setting."""
    text = _sql_text(sql, sql_file)
    data = s.existing_data()
    from warehouse.readonly import NotReadOnly, read_only_statements

    try:
        read_only_statements(text)
    except NotReadOnly as exc:
        raise click.ClickException(str(exc)) from None
    from warehouse.load import connect_read_only

    import duckdb

    con = _read(lambda: connect_read_only(data))
    try:
        cur = con.execute(text)
        cols = [d[0] for d in cur.description] if cur.description else []
        rows = [dict(zip(cols, r)) for r in cur.fetchall()] if cols else []
    except duckdb.Error as exc:
        raise click.ClickException(" ".join(str(exc).split())) from None
    finally:
        con.close()
    if fmt == "json":
        click.echo(json.dumps(rows, default=str, indent=1))
    elif fmt == "csv":
        w = csv.DictWriter(sys.stdout, fieldnames=cols)
        w.writeheader()
        w.writerows(rows)
    else:
        _print_table(rows, cols)


def _sql_text(sql: str | None, sql_file: Path | None) -> str:
    """The SQL from exactly one of: the argument, --file, standard input ("-" or piped)."""
    if sql is not None and sql_file is not None:
        raise click.UsageError("give the SQL once: as the argument or with --file, not both")
    if sql_file is not None:
        try:
            return sql_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise click.ClickException(f"cannot read {sql_file}: {exc}") from None
    if sql == "-" or (sql is None and sys.stdin is not None and not sys.stdin.isatty()):
        return sys.stdin.read()
    if sql is None:
        raise click.UsageError('no SQL: give it as the argument (scrutiny query "SELECT …"), '
                               "with --file F, or on standard input (scrutiny query < F)")
    return sql


@main.command()
@pass_settings
def load(s: Settings) -> None:
    """Load what changed in Parquet into the DuckDB warehouse (no network, no parsing)."""
    data = s.existing_data()
    from warehouse.load import load_warehouse

    counts = load_warehouse(data)
    click.echo(", ".join(f"{k} {v}" for k, v in counts.items()))  # the loader names skipped files


@main.command()
@pass_settings
def rebuild(s: Settings) -> None:
    """Recreate the whole warehouse from Parquet (same tables as the incremental loads)."""
    data = s.existing_data()
    from warehouse.load import load_report, rebuild_warehouse

    counts = rebuild_warehouse(data)
    click.echo(", ".join(f"{k} {v}" for k, v in counts.items()))  # the loader names skipped files
    click.echo(f"rebuilt in {load_report().seconds:.2f} s", err=True)


@main.command()
@click.option("--out", "out", type=click.Path(path_type=Path), default=None,
              help="Where to write the page. Default: DATA_DIR/report.html.")
@click.option("--term", default="precept", show_default=True,
              help="Search term for the chart of £ figures over time.")
@pass_settings
def report(s: Settings, out: Path | None, term: str) -> None:
    """Write a self-contained static HTML report with charts (no network needed to view it)."""
    if not term.strip():
        raise click.BadParameter("an empty search term", param_hint="'--term'")
    if out is not None and (out.is_dir() or not out.resolve().parent.is_dir()):
        raise click.BadParameter(f"{out} is a folder or its folder does not exist", param_hint="'--out'")
    data = s.existing_data()
    from warehouse.report import write_report

    click.echo(str(_read(lambda: write_report(data, out, term))))


@main.command()
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True,
              help="Mirror port. Keep it fixed between runs: URLs (and so the archive) include it.")
@click.option("--today", default=None, callback=_iso_date, help="Pretend today is YYYY-MM-DD.")
@pass_settings
def demo(s: Settings, port: int, today: dt.date | None) -> None:
    """The nightly flow against the bundled local mirror (no internet needed)."""
    day = today or dt.date.today()
    from flows.nightly import nightly
    from mirror import build_mirror, mirror_sources_toml
    from mirror.demo import demo_window

    try:
        server = build_mirror(port)
    except OSError as exc:
        raise click.ClickException(f"cannot serve the mirror on 127.0.0.1:{port} ({exc.strerror}); "
                                   "pass another --port (keep it the same on later runs)") from exc
    with server as mirror:
        sources_path = s.data.ensure().root / "mirror-sources.toml"
        # Our own loopback server: no need to be as gentle as with a council's.
        sources_path.write_text(mirror_sources_toml(mirror, rate_per_second=50.0), encoding="utf-8")
        back, ahead = demo_window(mirror, day)
        click.echo(f"mirror at {mirror.base_url}; sources {sources_path}", err=True)
        _run_flow(nightly, lookback_days=back, lookahead_days=ahead, today=day.isoformat(),
                  data_dir=str(s.data.root), sources_file=str(sources_path))


@main.command("mirror")
@click.option("--port", type=click.IntRange(1, 65535), default=8765)
@click.option("--write-sources", type=click.Path(path_type=Path), default=None,
              help="Write a sources file pointing at this mirror.")
def serve_mirror(port: int, write_sources: Path | None) -> None:
    """Serve the local mirror in the foreground (Ctrl-C to stop)."""
    import time

    from mirror import build_mirror, mirror_sources_toml

    with build_mirror(port) as mirror:
        if write_sources:
            write_sources.write_text(mirror_sources_toml(mirror, rate_per_second=50.0), encoding="utf-8")
        click.echo(f"mirror serving at {mirror.base_url}: " + ", ".join(mirror.sites))
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


# -- the catalogue: `scrutiny sources` ------------------------------------------------------------------

SOURCE_COLUMNS = ["source_id", "state", "adapter", "body", "last_run", "last_status", "meetings", "flagged"]


@main.group(invoke_without_command=True)
@pass_settings
@click.pass_context
def sources(ctx: click.Context, s: Settings) -> None:
    """The registry, each source with its state: enabled or not, last run, meetings, flagged papers.

    Disabled sources are kept and listed, but `run`, `backfill` and `demo` leave them out unless
    named with --source. `scrutiny sources add` appends a source to the registry."""
    if ctx.invoked_subcommand is not None:
        return
    registry = s.registry()
    held = _warehouse_by_source(s.data)
    rows = []
    for src in registry.sources:
        w = held.get(src.id, {})
        rows.append({"source_id": src.id, "state": "enabled" if src.enabled else "disabled",
                     "adapter": src.adapter, "body": src.body, "last_run": w.get("last_run"),
                     "last_status": w.get("last_status"), "meetings": w.get("meetings"),
                     "flagged": w.get("flagged")})  # blank: never loaded, not "none found"
    _print_table(rows, SOURCE_COLUMNS)
    enabled = sum(src.enabled for src in registry.sources)
    click.echo(f"{registry.path}: {enabled} enabled, {len(rows) - enabled} disabled"
               + ("" if held else f"; no warehouse at {s.data.warehouse} yet"), err=True)


def _warehouse_by_source(data: DataDir) -> dict[str, dict]:
    """What the warehouse holds per source ({} when there is none yet: the registry alone is
    listed). A busy warehouse is a one-line error, as for `status`."""
    if not data.warehouse.exists():
        return {}
    from warehouse.status import source_status

    return {row["source_id"]: row for row in _read(lambda: source_status(data))}


@sources.command("add")
@click.argument("adapter", type=click.Choice(["moderngov"]))
@click.argument("url")
@click.option("--committee", required=True, help="The committee's title (exact, or a part only it contains).")
@click.option("--id", "source_id", default=None, help="The source's slug. Default: made from the title.")
@click.option("--body", default=None, help="The body's name. Default: the committee's title.")
@click.option("--publisher", default=None, help="Who publishes it. Default: the title and the site's host.")
@pass_settings
def sources_add(s: Settings, adapter: str, url: str, committee: str, source_id: str | None,
                body: str | None, publisher: str | None) -> None:
    """Add a ModernGov committee: its id is found through the site's GetCommittees web service,
    and a working entry is appended to the sources file, its comments kept (enabled; disabled
    if the committee has expired)."""
    registry, path, base_url = _checked_add_input(s, url, committee, source_id, body, publisher)
    found = _look_up_committee(s, registry, base_url, committee)
    _refuse_a_second_entry(registry, base_url, found.committee_id)
    title = body or found.title
    slug = source_id or slug_of(title)
    if slug in {x.id for x in registry.sources}:
        raise click.ClickException(f"{slug!r} is already in {path}: name this one with --id")
    entry = moderngov_entry(slug, publisher or f"{title} ({urlsplit(base_url).hostname})", title, base_url,
                            found, dt.date.today())
    _append_entry(path, entry)
    if found.expired:  # it meets no more: a nightly run would find nothing in its window, every night
        click.echo(f"added {slug!r} to {path}, disabled: committee {found.committee_id} {found.title!r} of "
                   f"{base_url} has expired; archive its past meetings with `scrutiny backfill --source {slug}`")
    else:
        click.echo(f"added {slug!r} to {path}: committee {found.committee_id} {found.title!r} of {base_url}; "
                   f"the next `scrutiny run` archives it (`--source {slug}` for it alone)")


def _checked_add_input(s: Settings, url: str, committee: str, source_id: str | None, body: str | None,
                       publisher: str | None):
    """Everything `sources add` is given, checked before any request: (registry, its file, site folder)."""
    from extract.registry import SLUG, sources_path

    base_url = moderngov_base_url(url)
    if not committee.strip():
        raise click.BadParameter("an empty committee title", param_hint="'--committee'")
    for name, value in (("--body", body), ("--publisher", publisher)):
        if value is not None and not value.strip():
            raise click.BadParameter("must not be empty", param_hint=f"'{name}'")
    if source_id is not None and not SLUG.fullmatch(source_id):
        raise click.BadParameter(f"{source_id!r} is not a slug (lower-case letters, digits and '-', "
                                 "at most 64)", param_hint="'--id'")
    registry = s.registry()
    path = sources_path(s.sources)
    if not os.access(path, os.W_OK):
        raise click.ClickException(f"cannot write {path}")
    if source_id is not None and source_id in {x.id for x in registry.sources}:
        raise click.BadParameter(f"{source_id!r} is already in {path}", param_hint="'--id'")
    return registry, path, base_url


def moderngov_base_url(url: str) -> str:
    """The folder a ModernGov site's pages live in, from its address or any of its pages'
    (``…/ieListMeetings.aspx?CId=1``, ``…/mgWebService.asmx/GetCommittees``)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise click.BadParameter(f"{url!r} is not an http(s) address", param_hint="'URL'")
    path = parts.path
    low = path.lower()
    if "mgwebservice.asmx" in low:
        path = path[:low.index("mgwebservice.asmx")]
    elif low.endswith((".aspx", ".asmx", ".htm", ".html")):
        path = path.rsplit("/", 1)[0] + "/"
    if not path.endswith("/"):
        path += "/"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def slug_of(title: str) -> str:
    """A source id from a committee's title: "West Mercia Police and Crime Panel" -> "west-mercia-pcp"."""
    text = re.sub(r"police (?:&|and) crime panel", "pcp", title.lower())
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    while len(slug) > 64:
        slug = slug.rsplit("-", 1)[0]
    return slug or "committee"


def _look_up_committee(s: Settings, registry, base_url: str, wanted: str):
    """GetCommittees of the site, through the polite client (robots.txt, rate limit, retries)."""
    from extract.adapters.moderngov import AmbiguousCommittee, NoSuchCommittee, find_committee
    from kernel.errors import FetchError
    from extract.fetch import Fetcher
    from extract.http import HttpSettings, PoliteClient

    client = PoliteClient(HttpSettings(
        user_agent=registry.user_agent, rate_per_second=registry.rate_per_second,
        backoff_factor=registry.backoff_factor, max_download_bytes=registry.max_download_bytes,
        rate_state_dir=s.data.locks if s.data.locks.is_dir() else None))
    try:
        return find_committee(Fetcher(client), base_url, wanted)
    except FetchError as exc:
        raise click.ClickException(f"cannot read the committees of {base_url} ({exc.kind.value}): {exc}; "
                                   "is it the folder of the site's ieListMeetings.aspx?") from None
    except AmbiguousCommittee as exc:
        listed = "; ".join(f"{c.title!r} ({c.committee_id}{', expired' if c.expired else ''})"
                           for c in exc.candidates)
        raise click.ClickException(f"{len(exc.candidates)} committees of {base_url} match {wanted!r}: "
                                   f"{listed}; give the exact title") from None
    except NoSuchCommittee as exc:
        close = "; closest: " + "; ".join(repr(c.title) for c in exc.candidates) if exc.candidates else ""
        raise click.ClickException(f"none of the {exc.total} committees of {base_url} matches {wanted!r}"
                                   f"{close}") from None


def _refuse_a_second_entry(registry, base_url: str, committee_id: int) -> None:
    def site(url: str) -> tuple:  # http and https are the same site
        parts = urlsplit(url)
        return parts.hostname, parts.path.lower()

    for src in registry.sources:
        if src.adapter == "moderngov" and site(src.base_url) == site(base_url) and \
                str(src.params.get("committee_id")) == str(committee_id):
            raise click.ClickException(f"committee {committee_id} of {base_url} is already in the registry "
                                       f"as {src.id!r}")


def moderngov_entry(slug: str, publisher: str, body: str, base_url: str, found, today: dt.date) -> str:
    """The ``[[source]]`` block of a ModernGov committee, its evidence in a comment. An expired
    committee's is disabled: runs over all sources would find no new meeting of it, ever."""
    q = _toml_string
    expired = " (expired: backfill it with --source)" if found.expired else ""
    return (f"[[source]]\n"
            f"# Added by `scrutiny sources add` on {today.isoformat()}: committee {found.committee_id} "
            f"{q(found.title)}{expired}\n"
            f"# in the answer of {base_url}mgWebService.asmx/GetCommittees\n"
            f"id = {q(slug)}\nadapter = \"moderngov\"\npublisher = {q(publisher)}\nbody = {q(body)}\n"
            f"base_url = {q(base_url)}\nenabled = {'false' if found.expired else 'true'}\n[source.params]\ncommittee_id = {found.committee_id}\n")


def _toml_string(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's (\\", \\\\, \\n, \\uXXXX)."""
    return json.dumps(text, ensure_ascii=False)


def _append_entry(path: Path, entry: str) -> None:
    """Append ``entry`` to the sources file, whose text (comments too) stays as it is. The new
    whole file is checked as the pipeline will read it, then replaces the old one at once."""
    from extract.registry import ConfigError, parse_registry

    old = path.read_text(encoding="utf-8")
    new = old + ("" if old.endswith("\n") or not old else "\n") + "\n" + entry
    try:
        parse_registry(new, str(path))
    except ConfigError as exc:
        raise click.ClickException(f"the entry would break the registry, nothing written: {exc}") from None
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(new, encoding="utf-8")
    os.chmod(tmp, path.stat().st_mode & 0o7777)
    os.replace(tmp, path)


def _read(opener):
    """Open the warehouse for reading; a missing or busy warehouse is a message, not a traceback."""
    from warehouse.load import WarehouseBusy

    try:
        return opener()
    except (FileNotFoundError, WarehouseBusy) as exc:
        raise click.ClickException(str(exc)) from exc


def _print_table(rows: list[dict], cols: list[str]) -> None:
    """Rows as a table, every value whole: on a terminal, fitted to its width with long values
    wrapped; into a pipe or a file, one line per row (for scripts: --format csv or json). Values
    are data, not markup: "[x]" or ":smile:" print as they are."""
    from rich import box, console, table

    grid = table.Table(*(table.Column(c, overflow="fold") for c in cols),  # fold: too narrow, never "…"
                       box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for row in rows:
        grid.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in cols))
    console.Console(markup=False, emoji=False, highlight=False,
                    width=None if sys.stdout.isatty() else 1_000_000).print(grid)
    click.echo(f"({len(rows)} rows)")


if __name__ == "__main__":
    main()
