"""``yangguang serve`` (gunicorn): several servers run on one host."""

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def healthy(port: int) -> bool:
    try:
        url = f"http://127.0.0.1:{port}/healthz"
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status == 200
    except OSError:
        return False


def serve(port: int, data_dir: Path, home: Path, log: Path) -> subprocess.Popen:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SECRET_KEY", "XDG_RUNTIME_DIR", "YANGGUANG_TEST_CLOCK"}
    }
    env.update(
        HOME=str(home),
        YANGGUANG_DATA_DIR=str(data_dir),
        # serve refuses the published demo key (core/production.py)
        SECRET_KEY=secrets.token_urlsafe(50),
        YANGGUANG_HTTPS="0",  # plain HTTP on 127.0.0.1, as behind the bureau's proxy
    )
    with log.open("wb") as output:
        return subprocess.Popen(  # noqa: S603 - our own interpreter and CLI
            [
                sys.executable,
                "-m",
                "yangguang.cli",
                "serve",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "2",
                "--no-collectstatic",
            ],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


@pytest.mark.slow
def test_two_servers_on_one_host_both_start_and_answer(tmp_path):
    """gunicorn 27 opens a control socket at one path per user ($XDG_RUNTIME_DIR or
    ~/.gunicorn/gunicorn.ctl) unless told otherwise: a second server takes it over and
    stopping either removes it for both. ``serve`` keeps it off: two servers of one
    account on different ports both start, answer /healthz and leave no socket."""
    home = tmp_path / "home"
    home.mkdir()
    ports = [free_port(), free_port()]
    servers = [
        serve(port, tmp_path / f"data{n}", home, tmp_path / f"server{n}.log")
        for n, port in enumerate(ports)
    ]
    try:
        deadline = time.monotonic() + 120
        while not all(healthy(port) for port in ports):
            for n, server in enumerate(servers):
                log = (tmp_path / f"server{n}.log").read_text(errors="replace")
                assert server.poll() is None, f"server {n} stopped:\n{log}"
            assert time.monotonic() < deadline, "the servers never both answered"
            time.sleep(0.5)
        servers[0].send_signal(signal.SIGTERM)
        servers[0].wait(timeout=60)
        assert healthy(ports[1])
    finally:
        for server in servers:
            if server.poll() is None:
                server.send_signal(signal.SIGTERM)
                server.wait(timeout=60)
    assert not (home / ".gunicorn").exists()
    logs = "".join((tmp_path / f"server{n}.log").read_text(errors="replace") for n in (0, 1))
    assert "Control socket listening" not in logs
