"""How a transcript line reads in a failure report: UTF-8 text as text, everything unusual spelled out.

A beginner sending a Chinese subject must read ``C: Subject: 你好``, not
``C: b'Subject: \\xe4\\xbd\\xa0\\xe5\\xa5\\xbd\\r\\n'``; but a wrong line ending, a control
character or bytes in another encoding (GBK) must still show exactly what went over the
wire (binary data, a length-prefixed frame, stays bytes: there the student counts bytes),
and none of the three forms may pass for another (see ``show_bytes``).
"""

from __future__ import annotations

import poplib
import smtplib
from collections.abc import Iterator

import pytest

from grader.servers.pop3 import POP3Server
from grader.servers.smtp import SMTPServer
from grader.servers.transcript import Transcript, show_bytes

MAIL = ("From: 张三 <zhang.san@example.cn>\r\nTo: student@netlings.test\r\nSubject: 你好，世界\r\n"
        "\r\n第一行：网络编程\r\n　全角空格开头\r\n").encode()


@pytest.mark.parametrize(("data", "shown"), [
    (b"HELO client\r\n", "HELO client"),
    ("Subject: 你好\r\n".encode(), "Subject: 你好"),
    ("中文　全角空格\r\n".encode(), "中文　全角空格"),
    ("Subject: 你好".encode(), "Subject: 你好"),
    ("Subject: 你好\n".encode(), "'Subject: 你好\\n'"),
    ("你好\r\n世界\r\n".encode(), "'你好\\r\\n世界\\r\\n'"),
    ("名字\x00\r\n".encode(), "b'\\xe5\\x90\\x8d\\xe5\\xad\\x97\\x00\\r\\n'"),
    (b"\x00\x00\x00\x06" + "第二".encode(), "b'\\x00\\x00\\x00\\x06\\xe7\\xac\\xac\\xe4\\xba\\x8c'"),
    ("\u202egnp.exe 你\r\n".encode(), "'\\u202egnp.exe 你\\r\\n'"),
    ("zero\u200bwidth 你\r\n".encode(), "'zero\\u200bwidth 你\\r\\n'"),
    ("你好\r\n".encode("gbk"), "b'\\xc4\\xe3\\xba\\xc3\\r\\n'"),
    (b"HELO client\n", "b'HELO client\\n'"),
    (b"\x00\xff garbage\r\n", "b'\\x00\\xff garbage\\r\\n'"),
    (b"\r\n", "b'\\r\\n'"),
    (b"", "b''"),
    (b"'quoted'\r\n", "b\"'quoted'\\r\\n\""),
    (b"b'\\xe4'\r\n", "b\"b'\\\\xe4'\\r\\n\""),
    ("'你好\\n'".encode(), "\"'你好\\\\n'\""),
])
def test_show_bytes_reads_utf8_as_text_and_spells_out_the_rest(data: bytes, shown: str) -> None:
    assert show_bytes(data) == shown


def test_the_three_forms_cannot_be_mistaken_for_each_other() -> None:
    """Plain text never looks like a literal; a text literal never starts with b; bytes always do."""
    for data in (b"'x'", b'"x"', b"b'x'", "'你'".encode(), "b'你'\r\n".encode()):
        shown = show_bytes(data)
        assert shown[0] in "'\"b" and shown != data.decode("utf-8").removesuffix("\r\n"), shown
        assert eval(shown) in (data, data.decode("utf-8")), "a literal reads back as what was sent"  # noqa: S307
    assert show_bytes("你\n".encode())[0] == "'" and show_bytes("你\n".encode("gbk"))[0] == "b"


@pytest.fixture
def servers() -> Iterator[list]:
    started: list = []
    yield started
    for server in started:
        server.stop()
    for server in started:
        server.raise_errors()


def test_smtp_data_in_chinese_reads_as_chinese(servers: list) -> None:
    server = SMTPServer().start()
    servers.append(server)
    with smtplib.SMTP(server.host, server.port, timeout=5) as smtp:
        smtp.sendmail("student@example.com", ["friend@example.org"], MAIL)
    assert server.transcript.wait_closed(1), server.transcript.render()
    text = server.transcript.render()
    assert "C: Subject: 你好，世界" in text and "C: 第一行：网络编程" in text, text
    assert "C: 　全角空格开头" in text, "a line starting with an ideographic space is still text"
    assert "C: From: 张三 <zhang.san@example.cn>" in text, text
    assert "\\xe4" not in text and "\\xe5" not in text, f"no UTF-8 shown as escaped bytes:\n{text}"


def test_pop3_retr_of_a_chinese_message_reads_as_chinese(servers: list) -> None:
    server = POP3Server(messages=[MAIL]).start()
    servers.append(server)
    client = poplib.POP3(*server.address, timeout=5)
    client.user("student")
    client.pass_("student-pass")
    _, lines, _ = client.retr(1)
    client.quit()
    assert "Subject: 你好，世界".encode() in lines
    assert server.transcript.wait_closed(1), server.transcript.render()
    text = server.transcript.render()
    assert "S: Subject: 你好，世界" in text and "S: 第一行：网络编程" in text, text
    assert "\\xe4" not in text, f"no UTF-8 shown as escaped bytes:\n{text}"


def test_a_gbk_line_and_a_bare_newline_stay_visible_in_a_report() -> None:
    transcript = Transcript("smtp")
    conn = transcript.open(("127.0.0.1", 5000))
    transcript.record(conn, "C", "Subject: 你好\r\n".encode("gbk"))
    transcript.record(conn, "C", "Subject: 你好\n".encode())
    transcript.record(conn, "C", "Subject: 你好\r\n".encode())
    lines = [line.split("] ", 1)[1] for line in transcript.render().splitlines()[1:]]
    assert lines == ["C: b'Subject: \\xc4\\xe3\\xba\\xc3\\r\\n'", "C: 'Subject: 你好\\n'", "C: Subject: 你好"]
