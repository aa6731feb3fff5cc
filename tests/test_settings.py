"""Every SCRUTINY_* variable is read in kernel/settings.py, and importing the kernel changes
nothing: no environment variable set, no third-party module patched or imported."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kernel import settings

REPO = Path(__file__).resolve().parents[1]
PRODUCT = ("kernel", "scrutiny", "extract", "transform", "warehouse", "flows")


def test_no_product_module_but_settings_reads_a_scrutiny_variable():
    # A module that names a SCRUTINY_ variable and reads the environment (itself or through click).
    reads = re.compile(r"\benviron\b|\bgetenv\(|\benvvar=")
    readers = {str(p.relative_to(REPO)) for folder in PRODUCT for p in (REPO / folder).rglob("*.py")
               if "SCRUTINY_" in (text := p.read_text(encoding="utf-8")) and reads.search(text)}
    readers.discard("kernel/settings.py")
    assert readers == set(), readers


def test_importing_the_kernel_changes_no_environment_and_imports_nothing_else():
    probe = ("import os, sys\n"
             "env, modules = dict(os.environ), set(sys.modules)\n"
             "import kernel, kernel.settings, kernel.config, kernel.records, kernel.ids, kernel.locks, kernel.errors\n"
             "assert dict(os.environ) == env, set(os.environ.items()) ^ set(env.items())\n"
             "new = {m.split('.')[0] for m in set(sys.modules) - modules}\n"
             "print(sorted(new - {'kernel'} - set(sys.stdlib_module_names)))\n")
    # A bare environment: a variable set by this test process's imports would hide a setdefault.
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, timeout=60,
                          env={"PATH": os.environ.get("PATH", "")})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_a_setting_is_read_when_asked_and_a_bad_one_names_its_variable(monkeypatch):
    monkeypatch.setenv("SCRUTINY_SOURCE_RETRY_DELAYS", "1,2.5")
    assert settings.source_retry_delays() == [1.0, 2.5]
    monkeypatch.setenv("SCRUTINY_SOURCE_RETRY_DELAYS", "")
    assert settings.source_retry_delays() == []  # no retries
    monkeypatch.setenv("SCRUTINY_LOAD_RETRY_DELAYS", "5,soon")
    with pytest.raises(ValueError, match="SCRUTINY_LOAD_RETRY_DELAYS='5,soon'"):
        settings.load_retry_delays()
    monkeypatch.setenv("SCRUTINY_SOURCE_CONCURRENCY", "0")
    with pytest.raises(ValueError, match="SCRUTINY_SOURCE_CONCURRENCY='0': must be 1 or more"):
        settings.source_concurrency()
    monkeypatch.setenv("SCRUTINY_PARSE_WORKERS", "3")
    assert settings.parse_workers() == 3
