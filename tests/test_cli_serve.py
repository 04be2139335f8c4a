"""`netlings serve`: the playground a student starts by hand, driven here as a subprocess."""

from __future__ import annotations

import json
import os
import poplib
import signal
import smtplib
import subprocess
import sys
from collections.abc import Iterator

import pytest

pytestmark = pytest.mark.skipif(os.name != "posix", reason="sends SIGINT like Ctrl-C")


@pytest.fixture
def serve() -> Iterator:
    procs: list[subprocess.Popen[str]] = []

    def start(*args: str) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "grader.cli", "serve", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
        )
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait(5)
        proc.stdout.close()
        proc.stderr.close()


def read_until(proc: subprocess.Popen[str], needle: str, limit: int = 200) -> list[str]:
    """Read lines until one contains ``needle`` (stdout is line-buffered by the server)."""
    lines = []
    for _ in range(limit):
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if needle in line:
            return lines
    raise AssertionError(f"{needle!r} never appeared; got:\n{''.join(lines)}\n{proc.stderr.read()}")


def test_smtp_playground_prints_its_address_and_the_live_transcript(serve) -> None:
    proc = serve("smtp", "--json")
    info = json.loads(proc.stdout.readline())
    assert info["protocol"] == "smtp" and info["host"] == "127.0.0.1" and info["port"] > 0
    with smtplib.SMTP(info["host"], info["port"], timeout=5) as client:
        client.sendmail("me@example.com", ["you@example.com"], b"Subject: hi\r\n\r\nhello\r\n")
    events = [json.loads(line) for line in read_until(proc, "QUIT")]
    client_lines = [e["data"].lower() for e in events if e["dir"] == "C"]
    assert "rcpt to:<you@example.com>\r\n" in client_lines
    proc.send_signal(signal.SIGINT)
    assert proc.wait(5) == 0, "Ctrl-C must stop the playground cleanly"


def test_pop3_banner_tells_how_to_connect(serve) -> None:
    proc = serve("pop3")
    banner = read_until(proc, "live transcript")
    text = "".join(banner)
    assert "netlings pop3 server listening on 127.0.0.1:" in text
    assert "student-pass" in text, "the banner lists the test account"
    port = int(text.split("127.0.0.1:")[1].split()[0])
    client = poplib.POP3("127.0.0.1", port, timeout=5)
    client.user("student")
    client.pass_("student-pass")
    count, _ = client.stat()
    client.quit()
    assert count >= 1
    read_until(proc, "C: QUIT")
    proc.send_signal(signal.SIGINT)
    assert proc.wait(5) == 0
    assert "stopped." in proc.stdout.read()


@pytest.mark.parametrize("protocol", ["ftp", "udp", "tcp"])
def test_every_protocol_starts_and_stops(serve, protocol: str) -> None:
    proc = serve(protocol, "--json", "--seconds", "0")
    info = json.loads(proc.stdout.readline())
    assert info["protocol"] == protocol and info["port"] > 0
    assert proc.wait(10) == 0
