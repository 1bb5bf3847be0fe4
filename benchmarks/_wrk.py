"""wrk, the HTTP load generator: make sure it is installed, run it, parse its report.

wrk is installed from Debian's packages when it is missing and we are root (the
benchmark machines are Debian); otherwise the suite stops with the command to run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass

from benchmarks._harness import Unavailable
from benchmarks._server import pin_prefix

INSTALL_HINT = "install it with: sudo apt-get install -y wrk"

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_DURATION = r"([\d.]+)(us|ms|s|m|h)"


@dataclass(frozen=True)
class WrkResult:
    """What one wrk run reported."""

    requests_per_s: float
    requests: int
    latency_avg_ms: float
    latency_p99_ms: float | None
    socket_errors: int
    non_2xx: int


def ensure_wrk() -> str:
    """The path of ``wrk``, installing it with apt-get when missing and root.

    :raises Unavailable: wrk is missing and cannot be installed here.
    """
    found = shutil.which("wrk")
    if found is not None:
        return found
    if os.name != "posix" or os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise Unavailable(f"wrk is not installed; {INSTALL_HINT}")
    print("wrk is missing: apt-get install -y wrk", file=sys.stderr, flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for argv in (
        ["apt-get", "update", "-q"],
        ["apt-get", "install", "-y", "-q", "wrk"],
    ):
        done = subprocess.run(argv, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            tail = done.stderr.strip().splitlines()[-1:] or ["?"]
            raise Unavailable(f"{' '.join(argv)} failed: {tail[0]}; {INSTALL_HINT}")
    found = shutil.which("wrk")
    if found is None:
        raise Unavailable(f"wrk still missing after apt-get; {INSTALL_HINT}")
    return found


def _ms(number: str, unit: str) -> float:
    return float(number) * _UNITS[unit]


def parse_wrk(output: str) -> WrkResult:
    """Parse wrk's text report (run with ``--latency``).

    :raises ValueError: the report has no ``Requests/sec`` line.
    """
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    if rps is None:
        raise ValueError("no Requests/sec in wrk output")
    total = re.search(r"^\s*(\d+) requests in", output, re.M)
    latency = re.search(rf"^\s+Latency\s+{_DURATION}", output, re.M)
    p99 = re.search(rf"^\s+99(?:\.0+)?%\s+{_DURATION}", output, re.M)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return WrkResult(
        requests_per_s=float(rps.group(1)),
        requests=int(total.group(1)) if total else 0,
        latency_avg_ms=_ms(*latency.groups()) if latency else float("nan"),
        latency_p99_ms=_ms(*p99.groups()) if p99 else None,
        socket_errors=sum(int(n) for n in errors.groups()) if errors else 0,
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
    )


def run_wrk(
    url: str,
    *,
    duration: float,
    connections: int = 64,
    threads: int = 1,
    cpu: int | None = 1,
) -> WrkResult:
    """Run ``wrk -t{threads} -c{connections} -d{duration}s --latency url``, pinned.

    :raises Unavailable: wrk failed or reported nothing.
    """
    wrk = ensure_wrk()
    argv = [
        *(pin_prefix(cpu) if cpu is not None else []),
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(duration))}s",
        "--latency",
        url,
    ]
    done = subprocess.run(
        argv, capture_output=True, text=True, timeout=duration + 30, check=False
    )
    if done.returncode != 0:
        raise Unavailable(
            f"wrk failed ({done.returncode}): {done.stderr.strip()[:120]}"
        )
    try:
        return parse_wrk(done.stdout)
    except ValueError as exc:
        raise Unavailable(f"wrk: {exc}: {done.stdout.strip()[:120]}") from exc
