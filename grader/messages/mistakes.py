"""The beginner mistakes the hidden suites name, in English and Simplified Chinese.

Each entry is a *name* a student can search for and a *hint* that says what to do.
Hidden tests refer to them by id (``fail_mistake("send_not_sendall", ...)``); the
catalogue merges them under ``mistake.<id>.title`` / ``mistake.<id>.hint``.
"""

MISTAKES: dict[str, dict[str, tuple[str, str]]] = {
    # id: {"en": (title, hint), "zh": (title, hint)}
    "str_not_bytes": {
        "en": ("str sent instead of bytes",
               "Sockets carry bytes: encode text first, e.g. sock.sendall(text.encode('utf-8'))."),
        "zh": ("发送的是 str 而不是 bytes",
               "套接字只能传输字节：先编码文本，例如 sock.sendall(text.encode('utf-8'))。"),
    },
    "bytes_not_str": {
        "en": ("bytes passed where the library wants str",
               "ftplib/smtplib/poplib take text for commands, hosts, users and file names: pass str, not bytes."),
        "zh": ("在库函数需要 str 的地方传入了 bytes",
               "ftplib/smtplib/poplib 的命令、主机名、用户名和文件名都要求 str：请传入 str 而不是 bytes。"),
    },
    "single_recv": {
        "en": ("one recv() assumed to return the whole message",
               "TCP is a stream: a reply can arrive in many pieces. Call recv() in a loop until it returns b''."),
        "zh": ("以为一次 recv() 就能收到完整消息",
               "TCP 是字节流：回复可能分成很多段到达。请循环调用 recv()，直到它返回 b''。"),
    },
    "send_not_sendall": {
        "en": ("send() used instead of sendall()",
               "send() may send only part of the data and returns how much it sent; sendall() sends every byte."),
        "zh": ("用了 send() 而不是 sendall()",
               "send() 可能只发送一部分数据并返回实际发送的字节数；sendall() 会把所有字节都发出去。"),
    },
    "eof_compared_with_str": {
        "en": ("EOF checked with '' (str) instead of b'' (bytes)",
               "recv() returns bytes, so at end of stream it returns b'', which is never equal to ''. "
               "Test `if not chunk:` or `chunk == b''`."),
        "zh": ("用 ''（str）而不是 b''（bytes）判断连接结束",
               "recv() 返回 bytes，连接结束时返回 b''，它永远不等于 ''。请用 `if not chunk:` 或 `chunk == b''`。"),
    },
    "closed_listener": {
        "en": ("the listening socket was closed instead of the connection",
               "Close the socket that accept() returned (the connection), not the listening socket: "
               "the listener must stay open for the next client."),
        "zh": ("关闭了监听套接字，而不是连接套接字",
               "应该关闭 accept() 返回的连接套接字，而不是监听套接字：监听套接字要一直开着，等待下一个客户端。"),
    },
    "connection_not_closed": {
        "en": ("the connection was never closed",
               "The client reads until end of stream; it only sees it when you close the connection "
               "(conn.close(), or use `with conn:`)."),
        "zh": ("连接从未关闭",
               "客户端会一直读到流结束；只有你关闭连接（conn.close() 或使用 `with conn:`）它才会知道。"),
    },
    "no_half_close": {
        "en": ("the client never signalled the end of its request (no half-close)",
               "The server reads until recv() returns b'': after sendall(), call sock.shutdown(socket.SHUT_WR) "
               "(not close(): you still have to read the reply)."),
        "zh": ("客户端没有表明请求已发送完毕（没有半关闭）",
               "服务器会一直读到 recv() 返回 b''：在 sendall() 之后调用 sock.shutdown(socket.SHUT_WR)"
               "（不是 close()：你还要读取回复）。"),
    },
    "no_reuseaddr": {
        "en": ("SO_REUSEADDR not set on the listening socket",
               "Call sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1) before bind(), "
               "or a restarted server fails with 'Address already in use'."),
        "zh": ("监听套接字没有设置 SO_REUSEADDR",
               "在 bind() 之前调用 sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)，"
               "否则重启服务器时会报 'Address already in use'。"),
    },
    "hardcoded_address": {
        "en": ("a hard-coded host or port",
               "Use the host and port your function receives as arguments, not fixed values."),
        "zh": ("把主机或端口写死了",
               "请使用函数参数传入的主机和端口，而不是固定的值。"),
    },
    "no_udp_timeout": {
        "en": ("no timeout on the UDP socket",
               "UDP can lose a datagram; without sock.settimeout(timeout), recvfrom() waits forever. "
               "Set the timeout and turn socket.timeout into TimeoutError."),
        "zh": ("UDP 套接字没有设置超时",
               "UDP 可能丢包；没有 sock.settimeout(timeout) 的话，recvfrom() 会永远等待。"
               "请设置超时，并把 socket.timeout 转成 TimeoutError。"),
    },
    "udp_buffer_too_small": {
        "en": ("the UDP receive buffer is too small",
               "recvfrom(n) silently cuts a datagram longer than n bytes: use recvfrom(65535)."),
        "zh": ("UDP 接收缓冲区太小",
               "recvfrom(n) 会悄悄截断超过 n 字节的数据报：请使用 recvfrom(65535)。"),
    },
    "server_dies_on_bad_datagram": {
        "en": ("one bad datagram kills the server",
               "Catch the error for that one datagram (e.g. UnicodeDecodeError), reply with an error, "
               "and keep serving."),
        "zh": ("一个错误的数据报就让服务器崩溃",
               "针对这一个数据报捕获异常（例如 UnicodeDecodeError），回复错误信息，然后继续服务。"),
    },
    "ftp_text_mode": {
        "en": ("the FTP download used text mode (retrlines or TYPE A)",
               "Binary files change in text mode. Use retrbinary('RETR name', f.write) into a file opened 'wb'."),
        "zh": ("FTP 下载使用了文本模式（retrlines 或 TYPE A）",
               "二进制文件在文本模式下会被改变。请用 retrbinary('RETR name', f.write) 写入以 'wb' 打开的文件。"),
    },
    "no_quit": {
        "en": ("the session never sent QUIT",
               "End every session politely with quit() (in a finally block or a with statement), "
               "even when an error happened."),
        "zh": ("会话结束时没有发送 QUIT",
               "每次会话都要用 quit() 正常结束（放在 finally 或 with 语句里），即使中途出错也一样。"),
    },
    "partial_file_left": {
        "en": ("a partial local file was left after a failed download",
               "If RETR fails (550), delete the local file you created before raising FileNotFoundError."),
        "zh": ("下载失败后留下了不完整的本地文件",
               "如果 RETR 失败（550），在抛出 FileNotFoundError 之前删除你创建的本地文件。"),
    },
    "recipients_joined": {
        "en": ("the recipients were passed as one comma-joined string",
               "The envelope needs one RCPT TO per address: pass a list of addresses to sendmail/send_message, "
               "not 'a@x, b@y'."),
        "zh": ("把收件人拼成了一个逗号分隔的字符串",
               "信封里每个地址都需要一条 RCPT TO：请给 sendmail/send_message 传地址列表，而不是 'a@x, b@y'。"),
    },
    "bcc_leaked": {
        "en": ("Bcc recipients leaked into the message headers",
               "Bcc addresses go only into the envelope (RCPT TO), never into the transmitted headers: "
               "delete the Bcc header before sending."),
        "zh": ("密送（Bcc）地址出现在了邮件头里",
               "密送地址只能出现在信封（RCPT TO）里，不能出现在发送的邮件头中：发送前删除 Bcc 头。"),
    },
    "display_name_in_envelope": {
        "en": ("a display name in the envelope sender",
               "MAIL FROM takes the bare address: use email.utils.parseaddr(msg['From'])[1]."),
        "zh": ("信封发件人里带了显示名",
               "MAIL FROM 只能是纯地址：请用 email.utils.parseaddr(msg['From'])[1]。"),
    },
    "header_not_encoded": {
        "en": ("a non-ASCII header was not encoded",
               "Headers on the wire are ASCII: non-ASCII names and subjects must be RFC 2047-encoded "
               "(EmailMessage does it; with email.mime use email.header.Header / email.utils.formataddr)."),
        "zh": ("非 ASCII 的邮件头没有编码",
               "线路上的邮件头必须是 ASCII：非 ASCII 的姓名和主题要按 RFC 2047 编码"
               "（EmailMessage 会自动处理；用 email.mime 时请用 email.header.Header / email.utils.formataddr）。"),
    },
    "tls_order": {
        "en": ("STARTTLS after AUTH, or AUTH without TLS",
               "Call starttls() (then ehlo() again) BEFORE login(): otherwise the password crosses the network "
               "in clear, and a careful server refuses it."),
        "zh": ("在 AUTH 之后才 STARTTLS，或者没有 TLS 就 AUTH",
               "先调用 starttls()（再 ehlo() 一次），再调用 login()：否则密码会以明文传输，严格的服务器会拒绝。"),
    },
    "pop3_lines_as_str": {
        "en": ("POP3 lines joined as str, or message_from_string() on bytes",
               "poplib returns lines as bytes: join them with b'\\r\\n' and parse with email.message_from_bytes()."),
        "zh": ("把 POP3 的行当作 str 拼接，或对 bytes 调用了 message_from_string()",
               "poplib 返回的每一行都是 bytes：请用 b'\\r\\n' 拼接，并用 email.message_from_bytes() 解析。"),
    },
    "first_encoded_word_only": {
        "en": ("only the first encoded word of a header was decoded",
               "decode_header() returns a list of (bytes, charset) pieces: decode every piece with its own "
               "charset and join them (or use str(make_header(decode_header(value))))."),
        "zh": ("只解码了邮件头中的第一个编码字",
               "decode_header() 返回 (bytes, 字符集) 的列表：每一段都要用各自的字符集解码再拼接"
               "（或直接用 str(make_header(decode_header(value))))。"),
    },
    "charset_ignored": {
        "en": ("the body's charset was ignored",
               "Decode a text part with the charset it declares (part.get_content_charset()), or let "
               "get_content() do it: not always UTF-8."),
        "zh": ("解码正文时忽略了字符集",
               "要用正文声明的字符集解码（part.get_content_charset()），或者交给 get_content() 处理：不一定是 UTF-8。"),
    },
    "dele_without_quit": {
        "en": ("DELE without QUIT",
               "POP3 applies deletions only when the session ends with QUIT: without it, nothing is deleted."),
        "zh": ("执行了 DELE 却没有 QUIT",
               "POP3 只有在会话以 QUIT 结束时才真正删除邮件：不发 QUIT，什么都不会删除。"),
    },
    "path_traversal": {
        "en": ("an attachment filename like '../../x' was written outside the target folder",
               "Never trust a filename from a message: keep only os.path.basename(name), refuse '', '.' and '..', "
               "and check the final path is inside the target folder."),
        "zh": ("把 '../../x' 这样的附件名写到了目标文件夹之外",
               "永远不要信任邮件里的文件名：只保留 os.path.basename(name)，拒绝 ''、'.' 和 '..'，"
               "并检查最终路径在目标文件夹之内。"),
    },
}
