"""The netlings pytest plugin (registered through the ``pytest11`` entry point).

Why a plugin: every test (ours, a student's visible test, an instructor's new
exercise) gets the same fake servers and the same harness by naming a fixture,
in the style of pytest-httpserver:

* ``ftp_server``, ``smtp_server``, ``pop3_server``, ``udp_peer``, ``tcp_peer``: a
  started server for this test, configured by a marker of the same name
  (``@pytest.mark.smtp_server(starttls=True)``), stopped afterwards;
* ``make_ftp_server(**options)`` … : factories for tests that need several or
  need options computed at run time;
* ``tls_ca``: the test certificate authority (``cafile`` for clients);
* ``student_module(path)``: a student's module, run in child processes
  (:class:`grader.harness.StudentModule`), from ``--netlings-root``.

When a test fails, the transcript of every server it used is attached to the
report as readable ``C:``/``S:`` lines. Errors raised inside a server's thread
fail the test at teardown instead of vanishing.
"""

from __future__ import annotations

import copy
import importlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .harness import StudentFailure, StudentModule
from .harness.verdict import MistakeFound, named_mistakes
from .messages import msg
from .servers.base import FakeServer

SERVERS: dict[str, tuple[str, str]] = {
    "ftp_server": ("grader.servers.ftp", "FTPServer"),
    "smtp_server": ("grader.servers.smtp", "SMTPServer"),
    "pop3_server": ("grader.servers.pop3", "POP3Server"),
    "udp_peer": ("grader.servers.peers", "UDPPeer"),
    "tcp_peer": ("grader.servers.peers", "TCPPeer"),
}
MANIFEST_NAME = "netlings.toml"
_started = pytest.StashKey[list[FakeServer]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("netlings")
    group.addoption(
        "--netlings-root", default=None, metavar="DIR",
        help="folder whose unit modules the exercise tests run (default: the folder holding "
             "netlings.toml above each test, i.e. your exercises/)",
    )


def pytest_configure(config: pytest.Config) -> None:
    for name in SERVERS:
        config.addinivalue_line("markers", f"{name}(**options): options for the {name} fixture")
    # Grading markers live on every test file (visible ones run without the grader's
    # collect plugin), so they are registered here too: no unknown-marker warnings.
    config.addinivalue_line("markers", "points(n): how many points this test is worth (default 1)")
    config.addinivalue_line("markers", "visibility(v): visible, hidden, after_due_date or after_published")
    config.addinivalue_line("markers", "exercise(id): the exercise a test grades, e.g. '01_udp/udp_server'")


def server_class(fixture_name: str) -> type[FakeServer]:
    module, cls = SERVERS[fixture_name]
    return getattr(importlib.import_module(module), cls)


def find_root(config: pytest.Config, test_path: Path) -> Path:
    """Where the student's modules are: ``--netlings-root``, else the manifest's folder."""
    option = config.getoption("netlings_root")
    if option:
        return Path(option).resolve()
    for folder in test_path.resolve().parents:
        if (folder / MANIFEST_NAME).is_file():
            return folder
    return Path(config.rootpath) / "exercises"


# -- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def tls_ca() -> Any:
    """The test CA: ``tls_ca.cafile`` for clients, ``tls_ca.client_context()``."""
    from .servers.tls import default_ca

    return default_ca()


def _factory(request: pytest.FixtureRequest, fixture_name: str) -> Iterator[Callable[..., Any]]:
    cls = server_class(fixture_name)
    started: list[FakeServer] = []
    node_servers = request.node.stash.setdefault(_started, [])

    def make(**options: Any) -> Any:
        server = cls(**options).start()
        started.append(server)
        node_servers.append(server)
        return server

    yield make
    for server in started:
        server.stop()
    for server in started:
        server.raise_errors()


def _marker_options(request: pytest.FixtureRequest, name: str) -> dict[str, Any]:
    marker = request.node.get_closest_marker(name)
    return dict(marker.kwargs) if marker else {}


@pytest.fixture
def make_ftp_server(request: pytest.FixtureRequest) -> Iterator[Callable[..., Any]]:
    yield from _factory(request, "ftp_server")


@pytest.fixture
def make_smtp_server(request: pytest.FixtureRequest) -> Iterator[Callable[..., Any]]:
    yield from _factory(request, "smtp_server")


@pytest.fixture
def make_pop3_server(request: pytest.FixtureRequest) -> Iterator[Callable[..., Any]]:
    yield from _factory(request, "pop3_server")


@pytest.fixture
def make_udp_peer(request: pytest.FixtureRequest) -> Iterator[Callable[..., Any]]:
    yield from _factory(request, "udp_peer")


@pytest.fixture
def make_tcp_peer(request: pytest.FixtureRequest) -> Iterator[Callable[..., Any]]:
    yield from _factory(request, "tcp_peer")


@pytest.fixture
def ftp_server(request: pytest.FixtureRequest, make_ftp_server: Callable[..., Any]) -> Any:
    """A started FTP server (pyftpdlib) with real, guest and anonymous accounts."""
    return make_ftp_server(**_marker_options(request, "ftp_server"))


@pytest.fixture
def smtp_server(request: pytest.FixtureRequest, make_smtp_server: Callable[..., Any]) -> Any:
    """A started SMTP server (aiosmtpd) that records envelopes."""
    return make_smtp_server(**_marker_options(request, "smtp_server"))


@pytest.fixture
def pop3_server(request: pytest.FixtureRequest, make_pop3_server: Callable[..., Any]) -> Any:
    """A started POP3 server with a seeded mailbox."""
    return make_pop3_server(**_marker_options(request, "pop3_server"))


@pytest.fixture
def udp_peer(request: pytest.FixtureRequest, make_udp_peer: Callable[..., Any]) -> Any:
    """A started UDP peer (echo by default, fault injection by marker options)."""
    return make_udp_peer(**_marker_options(request, "udp_peer"))


@pytest.fixture
def tcp_peer(request: pytest.FixtureRequest, make_tcp_peer: Callable[..., Any]) -> Any:
    """A started TCP peer (replies ``Received: ...`` after EOF by default)."""
    return make_tcp_peer(**_marker_options(request, "tcp_peer"))


@pytest.fixture
def netlings_root(request: pytest.FixtureRequest) -> Path:
    """The folder whose modules this test runs (a student's ``exercises/`` by default)."""
    return find_root(request.config, Path(str(request.node.fspath)))


@pytest.fixture
def student_module(netlings_root: Path, tmp_path: Path) -> Callable[..., StudentModule]:
    """``student_module("01_udp/udp_client.py")``: the student's module, run in child processes.

    The child's working directory is this test's ``tmp_path``, so files a student's
    code writes by relative path land there and not in their exercises folder.
    """

    def load(path: str, *, timeout: float = 10.0) -> StudentModule:
        return StudentModule(netlings_root, path, timeout=timeout, cwd=tmp_path)

    return load


# -- reporting ---------------------------------------------------------------------------


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> pytest.TestReport | None:
    """A harness verdict's report is its message alone, built without pytest's traceback.

    The message already says what was called, expected and seen, and names the
    mistake; the test's own frames around it only bury it for a beginner. Why here and
    not by replacing ``longrepr`` afterwards: formatting that traceback re-parses the
    whole test file for every failure (about 5 ms each, a second for a stub submission's
    187 failures), only to be thrown away. Other hooks (wrappers) still see ``call``
    with its exception.
    """
    if call.when not in ("call", "setup") or not _message_only(item.config, call):
        return None  # pytest's own report
    quiet = copy.copy(call)
    quiet.excinfo = None
    report = pytest.TestReport.from_item_and_call(item, quiet)
    path, line, _ = item.location
    report.outcome = "failed"
    report.longrepr = f"{call.excinfo.value}\n\n({path}:{(line or 0) + 1})"  # type: ignore[union-attr]
    return report


@pytest.hookimpl(wrapper=True, specname="pytest_runtest_makereport")
def pytest_runtest_makereport_transcripts(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.failed and call.excinfo is not None:
        # The named beginner mistakes, for the class dashboard: the collect plugin puts them in
        # the test's results (``mistakes``). Read from the exception (MistakeFound's id, the
        # suite's own suspect() sentences in its text); a grade never depends on them.
        report.netlings_mistakes = named_mistakes(call.excinfo.value)
    if report.failed and call.when in ("call", "setup"):
        for server in item.stash.get(_started, []):
            if not server.transcript.connections:
                continue  # nothing on the wire: the message says what matters
            heading = msg("transcript_heading", server=server.protocol.upper())
            report.sections.append((f"netlings: {heading}", server.transcript.render()))
    return report


def _message_only(config: pytest.Config, call: pytest.CallInfo[None]) -> bool:
    """A harness verdict with pytest's default traceback style (``--tb=long`` shows all)."""
    if call.excinfo is None or config.getoption("tbstyle", "auto") != "auto":
        return False
    return call.excinfo.errisinstance((StudentFailure, MistakeFound))
