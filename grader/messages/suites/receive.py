"""Chinese for exercises/05_pop3/test_receive.py (see grader.messages.texts)."""

ZH: dict[str, str] = {
    # -- descriptions --------------------------------------------------------------------------
    "mailbox_stat returns (number of messages, total size in bytes) as STAT answers it.":
        "mailbox_stat 按 STAT 的回答返回（邮件数，总字节数）。",
    "fetch_message returns the raw message, byte for byte, with CRLF line endings.":
        "fetch_message 逐字节原样返回原始邮件，换行符为 CRLF。",
    "list_subjects returns every message's Subject, decoded (Chinese included), in order.":
        "list_subjects 按顺序返回每封邮件解码后的 Subject（包括中文）。",
    "delete_messages([1]) deletes message 1 for good (DELE, then QUIT) and returns 1.":
        "delete_messages([1]) 真正删除第 1 封邮件（先 DELE，再 QUIT），并返回 1。",
    "delete_messages([1, 3]) deletes both messages in one session and returns 2.":
        "delete_messages([1, 3]) 在一次会话中删除这两封邮件，并返回 2。",
    # -- assertions ----------------------------------------------------------------------------
    "the session did not end with QUIT (commands: {commands}); "
    "call box.quit() in a finally block, even after an error":
        "会话没有以 QUIT 结束（命令：{commands}）；请在 finally 块中调用 box.quit()，出错之后也要调用",
    "mailbox_stat(...) returned {value!r}, expected {expected!r}: box.stat() gives (count, size)":
        "mailbox_stat(...) 返回了 {value!r}，期望 {expected!r}：box.stat() 给出 (count, size)",
    "the server never saw STAT; commands: {commands}":
        "服务器从未收到 STAT；命令：{commands}",
    "fetch_message(..., {number}) returned a {kind}, expected bytes "
    "(the lines from box.retr() are bytes: join them with b'\\r\\n', don't decode)":
        "fetch_message(..., {number}) 返回了 {kind}，期望 bytes"
        "（box.retr() 返回的各行都是 bytes：请用 b'\\r\\n' 拼接，不要解码）",
    " The lines are joined with b'\\n': join them with b'\\r\\n'.":
        "各行是用 b'\\n' 拼接的：请用 b'\\r\\n' 拼接。",
    " You have {count} lines, the server's message has {want_count}.":
        "你的有 {count} 行，服务器上的邮件有 {want_count} 行。",
    "fetch_message(..., {number}) returned {size} bytes that differ from message {number} "
    "on the server ({want_size} bytes).{hint} Start of yours: {start!r}; "
    "expected: {want_start!r}":
        "fetch_message(..., {number}) 返回的 {size} 个字节与服务器上的第 {number} 封邮件"
        "（{want_size} 个字节）不同。{hint}你的开头：{start!r}；期望：{want_start!r}",
    "expected 'RETR {number}'; commands: {commands}":
        "期望有 'RETR {number}'；命令：{commands}",
    "list_subjects(...) returned {value!r}, expected {expected!r}. Encoded words like "
    "'=?gbk?b?...?=' must be decoded: parse the headers with email.policy.default, "
    "or use email.header.decode_header + make_header":
        "list_subjects(...) 返回了 {value!r}，期望 {expected!r}。像 '=?gbk?b?...?=' 这样的编码字必须解码："
        "用 email.policy.default 解析邮件头，或者使用 email.header.decode_header + make_header",
    "list_subjects must not delete anything":
        "list_subjects 不能删除任何邮件",
    "delete_messages(..., [1]) returned {value!r}, expected 1 (how many were deleted)":
        "delete_messages(..., [1]) 返回了 {value!r}，期望 1（删除的邮件数）",
    "the server never saw 'DELE 1'; commands: {commands}":
        "服务器从未收到 'DELE 1'；命令：{commands}",
    "the server deleted messages {deleted}, expected [1]. DELE only marks a "
    "message: the deletion happens when the session ends with QUIT":
        "服务器删除的邮件是 {deleted}，期望 [1]。DELE 只是标记邮件：会话以 QUIT 结束时才真正删除",
    "{count} messages left, expected 2":
        "还剩 {count} 封邮件，期望 2 封",
    "delete_messages(..., [1, 3]) returned {value!r}, expected 2":
        "delete_messages(..., [1, 3]) 返回了 {value!r}，期望 2",
    "the server deleted messages {deleted}, expected [1, 3]. Keep the numbers "
    "as given: within one session, messages keep their numbers after a DELE":
        "服务器删除的邮件是 {deleted}，期望 [1, 3]。请按给出的编号删除：在同一次会话中，DELE 之后邮件的编号保持不变",
    "only message 2 should be left, the mailbox holds {count} messages":
        "应该只剩下第 2 封邮件，但邮箱里有 {count} 封邮件",
}
