"""``netlings serve PROTOCOL``: the playground.

The course's examples talked to public servers that no longer work and needed real
accounts. This starts one fake server on loopback, prints how to reach it, and
streams its transcript live until Ctrl-C, so a student can try code by hand with
no account and no internet.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from typing import Any, TextIO

from ..messages import current_language, msg
from ..servers.transcript import Connection, Event

PROTOCOLS = {
    "ftp": "ftp_server",
    "smtp": "smtp_server",
    "pop3": "pop3_server",
    "udp": "udp_peer",
    "tcp": "tcp_peer",
}

TRY_IT: dict[str, list[str]] = {
    "ftp": [
        "python -c \"import ftplib; f = ftplib.FTP(); f.connect('{host}', {port}); f.login(); "
        "print(f.nlst()); f.quit()\"",
        "curl ftp://{host}:{port}/",
    ],
    "smtp": [
        "python -c \"import smtplib; s = smtplib.SMTP('{host}', {port}); "
        "s.sendmail('me@example.com', ['you@example.com'], 'Subject: hi\\r\\n\\r\\nhello'); s.quit()\"",
    ],
    "pop3": [
        "python -c \"import poplib; p = poplib.POP3('{host}', {port}); p.user('student'); "
        "p.pass_('student-pass'); print(p.stat()); p.quit()\"",
        "curl -u student:student-pass pop3://{host}:{port}/1",
    ],
    "udp": [
        "python -c \"import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); "
        "s.settimeout(2); s.sendto(b'hello', ('{host}', {port})); print(s.recvfrom(1024))\"",
    ],
    "tcp": [
        "python -c \"import socket; s = socket.create_connection(('{host}', {port}), timeout=2); "
        "s.sendall(b'hello'); s.shutdown(socket.SHUT_WR); print(s.recv(1024)); s.close()\"",
    ],
}


ORDER = 10  # place in `netlings --help`


def add_parser(sub: Any) -> None:
    about = msg("serve.help")
    parser = sub.add_parser("serve", help=about, description=__doc__ if current_language() == "en" else about,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("protocol", choices=sorted(PROTOCOLS))
    parser.add_argument("--port", type=int, default=0, help=msg("serve.help.port"))
    parser.add_argument("--tls", action="store_true", help=msg("serve.help.tls"))
    parser.add_argument("--json", action="store_true", help=msg("serve.help.json"))
    parser.add_argument("--seconds", type=float, default=None, help=msg("serve.help.seconds"))
    parser.set_defaults(handler=run)


def server_options(protocol: str, tls: bool) -> dict[str, Any]:
    if not tls:
        return {}
    return {"ftp": {"tls": True}, "smtp": {"starttls": True}, "pop3": {"stls": True}}.get(protocol, {})


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    from ..plugin import server_class

    out = out or sys.stdout
    cls = server_class(PROTOCOLS[args.protocol])
    server = cls(port=args.port, **server_options(args.protocol, args.tls))
    lock = threading.Lock()

    def show(conn: Connection, event: Event) -> None:
        with lock:
            if args.json:
                out.write(json.dumps({"conn": conn.id, "dir": event.direction,
                                      "data": event.data.decode("latin-1")}) + "\n")
            else:
                out.write(f"[{conn.id}] {event.render()}\n")
            out.flush()

    server.start()
    try:
        server.transcript.add_listener(show)
        info = server.describe()
        if args.json:
            out.write(json.dumps(info) + "\n")
        else:
            out.write(render_banner(args.protocol, info))
        out.flush()
        threading.Event().wait(args.seconds) if args.seconds is not None else _wait_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        if not args.json:
            out.write(msg("serve.stopped") + "\n")
    return 0


def _wait_forever() -> None:
    stop = threading.Event()
    while not stop.wait(3600):
        pass


def render_banner(protocol: str, info: dict[str, Any]) -> str:
    host, port = info.get("host", "127.0.0.1"), info.get("port")
    lines = [msg("serve.listening", protocol=protocol, host=host, port=port)]
    for key, value in info.items():
        if key in ("protocol", "host", "port"):
            continue
        if isinstance(value, list):
            lines.append(f"  {key}:")
            lines += [f"    - {_one_line(v)}" for v in value]
        else:
            lines.append(f"  {key}: {_one_line(value)}")
    lines.append(msg("serve.try_it"))
    lines += ["  " + cmd.format(host=host, port=port) for cmd in TRY_IT.get(protocol, [])]
    lines.append(msg("serve.live"))
    return "\n".join(lines) + "\n"


def _one_line(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    return str(value)
