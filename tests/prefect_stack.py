"""A real Prefect stack for tests: server, work pool, the deployments of prefect.yaml, a worker.

A pytest plugin: test modules opt in with ``pytest_plugins = ["tests.prefect_stack"]`` and
share ONE stack per session (starting a server costs 10-20 s). Everything runs exactly as the
README's "Run it on a schedule" says, on 127.0.0.1 with a free port and a temporary
PREFECT_HOME; the local mirror runs in the test process. Every process is started in its own
process group and stopped (SIGTERM, then SIGKILL) in ``finally`` blocks, flow runs included
(they are children of the worker, in its group).
"""
from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
WRAPPER = REPO / "scripts" / "with_default_signals.py"
POOL = "scrutiny"
TERMINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}
TODAY = dt.date(2026, 11, 23)
WORKERS = ("worker-a", "worker-b")
WORKER_LIMIT = 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout: float, what: str, interval: float = 0.25):
    """Poll ``predicate`` until it returns something truthy; fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


class Proc:
    """A background process in its own process group, output to a log file."""

    def __init__(self, name: str, cmd: list[str], env: dict, cwd: Path, log: Path):
        self.name, self.log = name, log
        self._fh = open(log, "wb")
        self.popen = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=self._fh, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL, start_new_session=True)

    def alive(self) -> bool:
        return self.popen.poll() is None

    def tail(self, n: int = 4000) -> str:
        try:
            return self.log.read_text(errors="replace")[-n:]
        except OSError:
            return ""

    def stop(self, grace: float = 10.0) -> None:
        """SIGTERM to the whole group, SIGKILL what is left after ``grace`` seconds."""
        try:
            pgid = self.popen.pid  # start_new_session: the leader's pid is the group id
            for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
                try:
                    os.killpg(pgid, sig)
                except ProcessLookupError:
                    break
                deadline = time.monotonic() + wait
                while time.monotonic() < deadline and _group_alive(pgid):
                    self.popen.poll()
                    time.sleep(0.1)
                if not _group_alive(pgid):
                    break
            self.popen.poll()
        finally:
            self._fh.close()


def _children(pid: int) -> list[int]:
    out = []
    for child in _pids():
        try:
            stat = Path(f"/proc/{child}/stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            out.append(child)
    return out


def kill_tree(pid: int) -> list[int]:
    """SIGKILL a process and all its descendants (a flow run and, say, its parse workers), as
    a crash of the machine or of the container would. Each is stopped first, so that none
    forks or is re-parented while the tree is collected."""
    seen: list[int] = []
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            os.kill(p, signal.SIGSTOP)
        except ProcessLookupError:
            continue
        seen.append(p)
        todo.extend(c for c in _children(p) if c not in seen)
    for p in seen:
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return seen


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie leader keeps the group "alive" for killpg until it is reaped.
    return any(_pgid_of(pid) == pgid and not _is_zombie(pid) for pid in _pids())


def _pids() -> list[int]:
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


def _pgid_of(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except OSError:
        return None


def _is_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")


class PrefectStack:
    def __init__(self, home: Path, work: Path, port: int, base_env: dict):
        self.home, self.work, self.port = home, work, port
        self.api_url = f"http://127.0.0.1:{port}/api"
        self.env = base_env | {"PREFECT_HOME": str(home), "PREFECT_API_URL": self.api_url}
        self.procs: list[Proc] = []
        self.http = httpx.Client(base_url=self.api_url, timeout=30)
        self.schedule_at_deploy: dict = {}

    # -- processes ------------------------------------------------------------------------
    def start(self, name: str, *args: str, cwd: Path = REPO) -> Proc:
        proc = Proc(name, [sys.executable, str(WRAPPER), *args], self.env, cwd, self.work / f"{name}.log")
        self.procs.append(proc)
        return proc

    def cli(self, *args: str, timeout: float = 120, check: bool = True) -> subprocess.CompletedProcess:
        """``prefect ARGS`` against this server, from the project root."""
        proc = subprocess.run([str(BIN / "prefect"), *args], env=self.env, cwd=REPO, capture_output=True,
                              text=True, timeout=timeout, start_new_session=True)
        if check and proc.returncode != 0:
            raise AssertionError(f"prefect {' '.join(args)} exited {proc.returncode}:\n"
                                 f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
        return proc

    def stop_all(self) -> None:
        # The worker (and its flow runs) first, then the server (platform-notes).
        for proc in reversed(self.procs):
            proc.stop()
        self.http.close()

    # -- REST API ---------------------------------------------------------------------------
    def request(self, method: str, path: str, body: dict | None = None):
        """One API call. Like Prefect's own client, retry what the server says to retry: on
        SQLite the server answers 503 while its database is busy (runs starting at once)."""
        for attempt in range(20):
            try:
                resp = self.http.request(method, path, json=body)
            except httpx.TransportError:
                if attempt == 19:
                    raise
            else:
                if resp.status_code not in (429, 503) or attempt == 19:
                    resp.raise_for_status()
                    return resp.json() if resp.content else None
            time.sleep(min(0.2 * (attempt + 1), 2.0))

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, body: dict | None = None):
        return self.request("POST", path, body or {})

    def healthy(self) -> bool:
        try:
            return self.http.get("/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def deployment(self, name: str) -> dict:
        return self.get(f"/deployments/name/{name}/{name}")

    def flow_runs(self, deployment: str, states: list[str] | None = None) -> list[dict]:
        body: dict = {"deployments": {"id": {"any_": [self.deployment(deployment)["id"]]}},
                      "sort": "EXPECTED_START_TIME_ASC", "limit": 50}
        if states:
            body["flow_runs"] = {"state": {"type": {"any_": states}}}
        return self.post("/flow_runs/filter", body)

    def run(self, deployment: str, **parameters) -> str:
        """Create a flow run of a deployment (what `prefect deployment run` does); returns its id."""
        dep = self.deployment(deployment)
        # The idempotency key makes a retried create (after a 503) return the same run.
        body = {"parameters": parameters, "idempotency_key": uuid.uuid4().hex}
        return self.post(f"/deployments/{dep['id']}/create_flow_run", body)["id"]

    def flow_run(self, run_id: str) -> dict:
        return self.get(f"/flow_runs/{run_id}")

    def wait(self, run_id: str, timeout: float = 180) -> dict:
        def done():
            fr = self.flow_run(run_id)
            return fr if fr["state"]["type"] in TERMINAL else None

        try:
            return wait_until(done, timeout, f"flow run {run_id} to finish", interval=0.5)
        except TimeoutError as exc:
            raise AssertionError(f"{exc}; state {self.flow_run(run_id)['state']}\n"
                                 f"worker log:\n{self.worker_log()}") from None

    def task_runs(self, run_id: str) -> list[dict]:
        return self.post("/task_runs/filter", {"flow_runs": {"id": {"any_": [run_id]}}, "limit": 100})

    def logs(self, run_id: str) -> list[str]:
        rows = self.post("/logs/filter", {"logs": {"flow_run_id": {"any_": [run_id]}},
                                          "sort": "TIMESTAMP_ASC", "limit": 200})
        return [r["message"] for r in rows]

    def worker_log(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.tail()}" for p in self.procs if p.name in WORKERS)


def boot_stack(stack: PrefectStack) -> None:
    server = stack.start("server", "prefect", "server", "start", "--host", "127.0.0.1",
                         "--port", str(stack.port))
    try:
        wait_until(lambda: stack.healthy() or not server.alive(), 120, "the Prefect server's /api/health")
    except TimeoutError:
        raise AssertionError(f"Prefect server did not answer:\n{server.tail()}") from None
    assert server.alive(), f"Prefect server exited:\n{server.tail()}"
    stack.cli("work-pool", "create", POOL, "--type", "process")
    stack.cli("--no-prompt", "deploy", "--all")  # from the project root: set_working_directory

    # The schedule as deployed: what the scheduler made of it (next runs within seconds).
    nightly = stack.deployment("nightly")
    runs = wait_until(lambda: stack.flow_runs("nightly", ["SCHEDULED"]), 30, "nightly's scheduled runs")
    stack.schedule_at_deploy = {"schedules": nightly["schedules"], "scheduled_runs": runs,
                                "checked_at": dt.datetime.now(dt.timezone.utc)}
    # No scheduled nightly may run during the tests: switch the schedule off (the server then
    # deletes the runs it had scheduled) before any worker starts.
    for sched in nightly["schedules"]:
        stack.request("PATCH", f"/deployments/{nightly['id']}/schedules/{sched['id']}", {"active": False})
    wait_until(lambda: not stack.flow_runs("nightly", ["SCHEDULED"]), 30, "scheduled runs to be removed")

    # Two workers on this machine share the pool, as workers on several machines would (a
    # fanned-out run's children go to both). Each runs at most WORKER_LIMIT flow runs at once.
    # They run from elsewhere: the deployments' pull step must take flow runs to the project.
    workers = [stack.start(name, "prefect", "worker", "start", "--pool", POOL, "--name", name,
                           "--limit", str(WORKER_LIMIT), cwd=stack.work) for name in WORKERS]

    def workers_ready():
        for worker in workers:
            assert worker.alive(), f"{worker.name} exited:\n{worker.tail()}"
        return len(stack.post(f"/work_pools/{POOL}/workers/filter", {})) == len(workers)

    wait_until(workers_ready, 60, "both workers to poll the pool")


@pytest.fixture(scope="session")
def stack_mirror_session():
    """One local mirror for the session (the flows run in worker subprocesses and reach it over
    127.0.0.1). Tests turn its fault switches on through the ``mirror`` fixture."""
    from mirror import build_mirror

    with build_mirror(free_port()) as m:
        yield m


@pytest.fixture
def stack_mirror(stack_mirror_session):
    from mirror.server import Switches

    yield stack_mirror_session
    for prefix in stack_mirror_session.switches:
        stack_mirror_session.switches[prefix] = Switches()


def write_sources(mirror, path: Path, rate_per_second: float = 50.0) -> Path:
    from mirror import mirror_sources_toml

    path.write_text(mirror_sources_toml(mirror, rate_per_second=rate_per_second), encoding="utf-8")
    return path


def mirror_window(mirror) -> dict:
    """nightly parameters whose window covers every mirrored meeting."""
    from mirror.demo import demo_window

    back, ahead = demo_window(mirror, TODAY)
    return {"today": TODAY.isoformat(), "lookback_days": back, "lookahead_days": ahead}


def stack_env(**scrutiny: str) -> dict:
    """The stack's environment: this one without any PREFECT_ or SCRUTINY_ setting, telemetry off,
    workers polling every second, and the SCRUTINY_ settings given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "SCRUTINY_"))}
    return env | {"PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
                  "PREFECT_WORKER_QUERY_SECONDS": "1"} | scrutiny


@pytest.fixture(scope="session")
def prefect_stack(tmp_path_factory, stack_mirror_session):
    home = tmp_path_factory.mktemp("prefect-home")
    work = tmp_path_factory.mktemp("prefect-stack")
    env = stack_env(
        # A run nobody gave a data dir or sources file to must not touch ./data or a real host.
        SCRUTINY_DATA_DIR=str(work / "default-data"),
        SCRUTINY_SOURCES=str(write_sources(stack_mirror_session, work / "mirror-sources.toml")),
        # Task retries of a transiently failing source wait 1 s, not minutes.
        SCRUTINY_SOURCE_RETRY_DELAYS="1", SCRUTINY_LOAD_RETRY_DELAYS="1")
    stack = PrefectStack(home, work, free_port(), env)
    try:
        boot_stack(stack)
        yield stack
    finally:
        stack.stop_all()
