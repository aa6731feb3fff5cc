"""`scrutiny`: the command line, one command per stage. Every command is in the README."""
from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from pathlib import Path

import click

from scrutiny.config import DataDir


class Settings:
    def __init__(self, data_dir: str | None, sources: str | None):
        self.data = DataDir.resolve(data_dir)
        self.sources = sources


pass_settings = click.make_pass_decorator(Settings)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data-dir", envvar="SCRUTINY_DATA_DIR", default=None,
              help="Data directory (raw archive, Parquet, warehouse). Default ./data.")
@click.option("--sources", "sources_file", envvar="SCRUTINY_SOURCES", default=None,
              help="Source registry TOML. Default: sources.toml of the project.")
@click.pass_context
def main(ctx: click.Context, data_dir: str | None, sources_file: str | None) -> None:
    """Scrutiny: an archive of UK police governance meetings, queryable in DuckDB."""
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
@click.option("--source", "source_ids", multiple=True, help="Only this source (repeatable).")
@click.option("--lookback-days", type=int, default=None, help="Override the registry's look-back window.")
@click.option("--lookahead-days", type=int, default=None, help="Override the look-ahead window.")
@click.option("--today", default=None, help="Pretend today is YYYY-MM-DD (reproducible reruns).")
@pass_settings
def run(s: Settings, source_ids, lookback_days, lookahead_days, today) -> None:
    """The nightly job: discover, fetch what is new, archive, parse, load."""
    from flows.nightly import nightly

    _run_flow(nightly, sources=list(source_ids) or None, lookback_days=lookback_days,
              lookahead_days=lookahead_days, today=today, data_dir=str(s.data.root), sources_file=s.sources)


@main.command()
@click.option("--from-year", type=int, required=True)
@click.option("--to-year", type=int, required=True)
@click.option("--source", "source_ids", multiple=True, help="Only this source (repeatable).")
@pass_settings
def backfill(s: Settings, from_year: int, to_year: int, source_ids) -> None:
    """The nightly path over whole historic years. Resumable: archived files are not fetched again."""
    from flows.backfill import backfill as backfill_flow

    _run_flow(backfill_flow, from_year=from_year, to_year=to_year, sources=list(source_ids) or None,
              data_dir=str(s.data.root), sources_file=s.sources)


@main.command()
@click.option("--source", "source_ids", multiple=True, help="Only this source (repeatable).")
@pass_settings
def reparse(s: Settings, source_ids) -> None:
    """Re-parse the whole archive with the current parsers (no network), then reload."""
    from flows.reparse import reparse as reparse_flow

    _run_flow(reparse_flow, sources=list(source_ids) or None, data_dir=str(s.data.root), sources_file=s.sources)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--source", "source_id", required=True, help="The source the files belong to.")
@click.option("--strict", is_flag=True, help="Exit 1 if any file fails to parse.")
@pass_settings
def ingest(s: Settings, paths: tuple[Path, ...], source_id: str, strict: bool) -> None:
    """Archive and parse files you already have (a folder of old PDFs, say)."""
    from extract.registry import load_registry
    from scrutiny import pipeline

    registry = load_registry(s.sources)
    source = registry.get(source_id)
    ctx = pipeline.open_run("ingest", s.data, registry)
    files = [f for p in paths for f in (sorted(x for x in p.rglob("*") if x.is_file()) if p.is_dir() else [p])]
    bad = 0
    for n, path in enumerate(files, 1):
        res = pipeline.ingest_file(ctx, source, path)
        ok = res.parse_status and res.parse_status.value == "ok"
        bad += not ok
        detail = "" if ok else f": {res.parse_error}"
        click.echo(f"[{n}/{len(files)}] {path}: {res.outcome.value}, "
                   f"{res.parse_status.value if res.parse_status else '?'}{detail} ({res.document_id[:12]})")
    pipeline.finish_run(ctx)
    if bad:
        click.secho(f"{bad} of {len(files)} files did not parse cleanly (recorded in documents.parse_status)",
                    fg="yellow", err=True)
    if strict and bad:
        sys.exit(1)


@main.command()
@pass_settings
def status(s: Settings) -> None:
    """Per source: meetings, documents, last run, failures."""
    from warehouse.status import source_status

    rows = _read(lambda: source_status(s.data))
    _print_table(rows, list(rows[0].keys()) if rows else ["source_id"])
    problems = [r for r in rows if r.get("problem")]
    for r in problems:
        click.secho(f"{r['source_id']}: {r['problem']}", fg="red", err=True)


@main.command()
@click.argument("sql")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@pass_settings
def query(s: Settings, sql: str, fmt: str) -> None:
    """Run read-only SQL against the warehouse."""
    from warehouse.load import connect_read_only

    import duckdb

    con = _read(lambda: connect_read_only(s.data))
    try:
        cur = con.execute(sql)
        cols = [d[0] for d in cur.description]
        rows = [dict(zip(cols, r)) for r in cur.fetchall()]
    except duckdb.Error as exc:
        raise click.ClickException(str(exc)) from exc
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


@main.command()
@pass_settings
def load(s: Settings) -> None:
    """Load what changed in Parquet into the DuckDB warehouse (no network, no parsing)."""
    from warehouse.load import load_warehouse

    counts = load_warehouse(s.data)
    click.echo(", ".join(f"{k} {v}" for k, v in counts.items()))


@main.command()
@pass_settings
def rebuild(s: Settings) -> None:
    """Recreate the whole warehouse from Parquet (same tables as the incremental loads)."""
    from warehouse.load import load_report, rebuild_warehouse

    counts = rebuild_warehouse(s.data)
    click.echo(", ".join(f"{k} {v}" for k, v in counts.items()))
    click.echo(f"rebuilt in {load_report().seconds:.2f} s", err=True)


@main.command()
@click.option("--out", "out", type=click.Path(path_type=Path), default=None,
              help="Where to write the page. Default: DATA_DIR/report.html.")
@click.option("--term", default="precept", show_default=True,
              help="Search term for the chart of £ figures over time.")
@pass_settings
def report(s: Settings, out: Path | None, term: str) -> None:
    """Write a self-contained static HTML report with charts (no network needed to view it)."""
    from warehouse.report import write_report

    click.echo(str(write_report(s.data, out, term)))


@main.command()
@click.option("--port", type=int, default=8765, show_default=True,
              help="Mirror port. Keep it fixed between runs: URLs (and so the archive) include it.")
@click.option("--today", default=None, help="Pretend today is YYYY-MM-DD.")
@pass_settings
def demo(s: Settings, port: int, today: str | None) -> None:
    """The nightly flow against the bundled local mirror (no internet needed)."""
    from flows.nightly import nightly
    from mirror import build_mirror, mirror_sources_toml
    from mirror.demo import demo_window

    day = dt.date.fromisoformat(today) if today else dt.date.today()
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
@click.option("--port", type=int, default=8765)
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


def _read(opener):
    """Open the warehouse for reading; a missing or busy warehouse is a message, not a traceback."""
    from warehouse.load import WarehouseBusy

    try:
        return opener()
    except (FileNotFoundError, WarehouseBusy) as exc:
        raise click.ClickException(str(exc)) from exc


def _print_table(rows: list[dict], cols: list[str]) -> None:
    cells = [[("" if r.get(c) is None else str(r.get(c))) for c in cols] for r in rows]
    widths = [min(60, max([len(c)] + [len(row[i]) for row in cells])) for i, c in enumerate(cols)]
    click.echo("  ".join(c.ljust(w) for c, w in zip(cols, widths)))
    click.echo("  ".join("-" * w for w in widths))
    for row in cells:
        click.echo("  ".join(v[:w].ljust(w) for v, w in zip(row, widths)))
    click.echo(f"({len(rows)} rows)")


if __name__ == "__main__":
    main()
