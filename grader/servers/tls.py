"""A throw-away certificate authority for TLS tests (FTPS, STARTTLS, SMTPS, STLS).

Why trustme: it makes a CA and a ``127.0.0.1``/``localhost`` certificate in memory in
milliseconds, so TLS can be tested for real (the client verifies the chain) with no
real certificate, no network and no ``verify=False`` habits taught to students.
"""

from __future__ import annotations

import atexit
import ssl
import tempfile
from functools import cached_property
from pathlib import Path

import trustme

SERVER_NAMES = ("127.0.0.1", "localhost", "::1")


class TestCA:
    """A CA plus one server certificate for the loopback names; files on demand."""

    __test__ = False  # not a pytest test class

    def __init__(self) -> None:
        self._ca = trustme.CA(organization_name="netlings test CA")
        self._cert = self._ca.issue_cert(*SERVER_NAMES)
        self._dir = tempfile.TemporaryDirectory(prefix="netlings-ca-")
        self._public = tempfile.TemporaryDirectory(prefix="netlings-ca-", dir=_shared_dir())

    @cached_property
    def cafile(self) -> str:
        """Path of the CA certificate (PEM): what a client passes as ``cafile``.

        Under ``netlings grade`` it lies in the student box's shared folder, where student
        code can open it; the server's private key (:attr:`certfile`) never does.
        """
        path = Path(self._public.name) / "ca.pem"
        self._ca.cert_pem.write_to_path(str(path))
        return str(path)

    @cached_property
    def certfile(self) -> str:
        """Path of the server's certificate chain plus private key (PEM)."""
        path = Path(self._dir.name) / "server.pem"
        with path.open("wb") as f:
            f.write(self._cert.private_key_pem.bytes())
            for blob in self._cert.cert_chain_pems:
                f.write(blob.bytes())
        return str(path)

    def server_context(self) -> ssl.SSLContext:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._cert.configure_cert(ctx)
        return ctx

    def client_context(self) -> ssl.SSLContext:
        """A verifying client context that trusts only this CA."""
        ctx = ssl.create_default_context(cafile=self.cafile)
        return ctx

    def cleanup(self) -> None:
        self._dir.cleanup()
        self._public.cleanup()


def _shared_dir() -> str | None:
    """The student box's shared folder of this graded run, if any (see grader.sandbox.bwrap)."""
    from ..sandbox.limits import SandboxConfig

    try:
        config = SandboxConfig.from_env()
    except ValueError:
        return None
    return config.shared if config is not None and config.boxed else None


_default: TestCA | None = None


def default_ca() -> TestCA:
    """One CA per process: making keys is the slow part, and sharing it is harmless."""
    global _default
    if _default is None:
        _default = TestCA()
        atexit.register(_default.cleanup)
    return _default
