"""Unit 03 - FTP with ftplib: list, download and upload files.

An FTP session is a conversation of commands and numbered replies: connect (the
server greets with 220), log in (USER/PASS), change directory (CWD), then transfer
(NLST, RETR, STOR) over a second, data connection that ftplib opens for you.
Replies starting with 5 are permanent errors (ftplib raises ``error_perm``): 550
means "no such file, or not allowed". A well-behaved client says QUIT at the end,
even when something failed.
"""

import ftplib
import os
import posixpath
import urllib.parse


def parse_ftp_url(url: str) -> tuple[str, int, str, str]:
    """Split an FTP URL into the pieces the other functions need.

    ``"ftp://example.com:2121/pub/docs/readme.txt"`` gives
    ``("example.com", 2121, "/pub/docs", "readme.txt")``. Percent-escapes are
    decoded (``%20`` is a space); a URL ending in ``/`` has an empty filename.

    Args:
        url: ``ftp://host[:port]/dir/file``.

    Returns:
        ``(host, port, directory, filename)``: port 21 when the URL gives none,
        directory ``"/"`` for a file at the top.

    Raises:
        ValueError: not an ``ftp://`` URL, no host, or a bad port.
    """
    # STEP: urlparse — urllib.parse.urlparse splits scheme, host, port and path
    parts = urllib.parse.urlparse(url)
    if parts.scheme.lower() != "ftp" or not parts.hostname:
        raise ValueError(f"not an ftp://host/... URL: {url!r}")
    # STEP: port — parts.port (it raises ValueError when bad), 21 when the URL has none
    port = parts.port if parts.port is not None else 21
    # STEP: path — unquote it, then split at the last "/" into directory and filename
    path = urllib.parse.unquote(parts.path) or "/"
    directory, _slash, filename = path.rpartition("/")
    return parts.hostname, port, directory or "/", filename


def list_files(
    host: str,
    port: int,
    directory: str,
    user: str = "anonymous",
    password: str = "",
    *,
    timeout: float = 10.0,
) -> list[str]:
    """Return the names of the entries (files and folders) in ``directory`` on an FTP server.

    Args:
        host: the FTP server's address.
        port: its control port (21 for a real server).
        directory: the remote directory, e.g. ``"/pub"``.
        user: the account (``"anonymous"`` by default).
        password: its password.
        timeout: seconds any network operation may take.

    Returns:
        The names (no directory part), as the server lists them; ``[]`` for an empty directory.

    Raises:
        FileNotFoundError: the directory does not exist (or may not be entered).
        ftplib.error_perm: another refusal, e.g. a wrong password (530).
    """
    # STEP: connect — ftp = ftplib.FTP(timeout=timeout), then ftp.connect(host, port) (greeting: 220)
    ftp = ftplib.FTP(timeout=timeout)
    try:
        ftp.connect(host, port)
        # STEP: login — ftp.login(user, password)
        ftp.login(user, password)
        # STEP: cwd — ftp.cwd(directory); a 550 reply means there is no such directory
        try:
            ftp.cwd(directory)
        except ftplib.error_perm as exc:
            if str(exc).startswith("550"):
                raise FileNotFoundError(f"no such remote directory: {directory}") from exc
            raise
        # STEP: nlst — ftp.nlst() lists names only (some servers answer 550 for an empty directory)
        try:
            names = ftp.nlst()
        except ftplib.error_perm as exc:
            if not str(exc).startswith("550"):
                raise
            names = []
        return [posixpath.basename(name.rstrip("/")) for name in names]
    finally:
        # STEP: quit — always say goodbye (QUIT), even after an error; then close()
        if ftp.sock is not None:
            try:
                ftp.quit()
            except ftplib.all_errors:
                pass
        ftp.close()


def download(
    host: str,
    port: int,
    directory: str,
    filename: str,
    local_dir: str,
    user: str = "anonymous",
    password: str = "",
    *,
    timeout: float = 10.0,
) -> str:
    """Download ``directory/filename`` from an FTP server into ``local_dir``.

    The file is transferred in binary mode (``RETR`` via ``retrbinary``) into a
    local file opened with ``"wb"``: a text-mode transfer would corrupt anything
    that is not plain text (``\\r\\n`` and ``\\x00`` bytes). On any error the
    partial local file is removed, so a failed download leaves nothing behind.

    Args:
        host: the FTP server's address.
        port: its control port.
        directory: the remote directory.
        filename: the remote file's name (the local copy gets the same name).
        local_dir: the local directory to save into (must exist).
        user: the account.
        password: its password.
        timeout: seconds any network operation may take.

    Returns:
        The path of the local file.

    Raises:
        FileNotFoundError: the remote file (or directory) does not exist.
    """
    # STEP: local path — local_dir + the file's own name (never a "../x" that escapes local_dir)
    local_path = os.path.join(local_dir, posixpath.basename(filename.replace("\\", "/")))
    # STEP: connect — ftp = ftplib.FTP(timeout=timeout), then ftp.connect(host, port)
    ftp = ftplib.FTP(timeout=timeout)
    try:
        ftp.connect(host, port)
        # STEP: login — ftp.login(user, password)
        ftp.login(user, password)
        # STEP: cwd — ftp.cwd(directory); 550 means no such directory
        try:
            ftp.cwd(directory)
        except ftplib.error_perm as exc:
            if str(exc).startswith("550"):
                raise FileNotFoundError(f"no such remote directory: {directory}") from exc
            raise
        # STEP: retrbinary — open the local file with "wb", then ftp.retrbinary("RETR " + filename, f.write)
        try:
            with open(local_path, "wb") as f:
                ftp.retrbinary(f"RETR {filename}", f.write)
        except BaseException as exc:
            # STEP: clean up — on any error remove the partial file; a 550 becomes FileNotFoundError
            if os.path.exists(local_path):
                os.remove(local_path)
            if isinstance(exc, ftplib.error_perm) and str(exc).startswith("550"):
                raise FileNotFoundError(f"no such remote file: {directory}/{filename}") from exc
            raise
        return local_path
    finally:
        # STEP: quit — always (QUIT), even after an error; then close()
        if ftp.sock is not None:
            try:
                ftp.quit()
            except ftplib.all_errors:
                pass
        ftp.close()


def upload(
    host: str,
    port: int,
    local_path: str,
    directory: str,
    user: str,
    password: str,
    *,
    timeout: float = 10.0,
) -> str:
    """Upload the local file ``local_path`` into ``directory`` on an FTP server.

    The file is sent in binary mode (``STOR`` via ``storbinary``) from a file opened
    with ``"rb"``, under its own name (the last part of ``local_path``).

    Args:
        host: the FTP server's address.
        port: its control port.
        local_path: the file to upload.
        directory: the remote directory to put it in.
        user: the account (anonymous accounts are usually read-only).
        password: its password.
        timeout: seconds any network operation may take.

    Returns:
        The remote file name.

    Raises:
        FileNotFoundError: ``local_path`` does not exist, or the remote directory does not.
        PermissionError: the server refused to store the file (550 or 553).
    """
    # STEP: name — the remote file gets the local file's own name: os.path.basename(local_path)
    remote_name = os.path.basename(local_path)
    # STEP: open — the local file in binary mode ("rb"), before connecting: a missing file fails early
    with open(local_path, "rb") as f:
        # STEP: connect — ftp = ftplib.FTP(timeout=timeout), then ftp.connect(host, port)
        ftp = ftplib.FTP(timeout=timeout)
        try:
            ftp.connect(host, port)
            # STEP: login — ftp.login(user, password)
            ftp.login(user, password)
            # STEP: cwd — ftp.cwd(directory)
            try:
                ftp.cwd(directory)
            except ftplib.error_perm as exc:
                if str(exc).startswith("550"):
                    raise FileNotFoundError(f"no such remote directory: {directory}") from exc
                raise
            # STEP: storbinary — ftp.storbinary("STOR " + name, f); a 550/553 refusal is a PermissionError
            try:
                ftp.storbinary(f"STOR {remote_name}", f)
            except ftplib.error_perm as exc:
                if str(exc)[:3] in ("550", "553"):
                    raise PermissionError(f"the server refused to store {remote_name}: {exc}") from exc
                raise
            return remote_name
        finally:
            # STEP: quit — always (QUIT), even after an error; then close()
            if ftp.sock is not None:
                try:
                    ftp.quit()
                except ftplib.all_errors:
                    pass
            ftp.close()
