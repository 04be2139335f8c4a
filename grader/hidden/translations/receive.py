"""Chinese for grader/hidden/05_pop3/test_receive_hidden.py (see grader.messages.texts)."""

ZH: dict[str, str] = {
    # -- descriptions --------------------------------------------------------------------------
    "fetch_message returns bytes (the lines from RETR joined with b'\\r\\n'), never str.":
        "fetch_message 返回 bytes（RETR 得到的各行用 b'\\r\\n' 拼接），绝不返回 str。",
    "fetch_message returns a message with a raw 8-bit GBK body byte for byte (no decoding).":
        "对正文是原始 8 位 GBK 字节的邮件，fetch_message 也逐字节原样返回（不解码）。",
    "fetch_message gives back lines that start with '.' exactly (the server's byte-stuffing undone).":
        "fetch_message 原样返回以 '.' 开头的行（去掉服务器为它们额外加上的点）。",
    "fetch_message of a message that does not exist raises poplib.error_proto and still quits.":
        "获取不存在的邮件时，fetch_message 抛出 poplib.error_proto，并且仍然发送 QUIT。",
    "mailbox_stat, fetch_message, list_subjects and delete_messages each end their session with QUIT.":
        "mailbox_stat、fetch_message、list_subjects 和 delete_messages 都以 QUIT 结束各自的会话。",
    "mailbox_stat with a wrong password raises poplib.error_proto and still ends with QUIT.":
        "密码错误时，mailbox_stat 抛出 poplib.error_proto，并且仍然以 QUIT 结束。",
    "list_subjects decodes Q and B words in any charset, folded headers, and gives '' without Subject.":
        "list_subjects 能解码任意字符集的 Q 和 B 编码字以及折行的邮件头，没有 Subject 时给出 ''。",
    "list_subjects asks for the headers only (TOP n 0), not whole messages (RETR).":
        "list_subjects 只请求邮件头（TOP n 0），而不是整封邮件（RETR）。",
    "After delete_messages([2]), mailbox_stat counts 2 messages and only their bytes.":
        "delete_messages([2]) 之后，mailbox_stat 统计到 2 封邮件，并且只计算它们的字节数。",
    "delete_messages([3, 1, 2]) deletes all three in one session (QUIT commits them) and returns 3.":
        "delete_messages([3, 1, 2]) 在一次会话中删除全部三封邮件（QUIT 让删除生效），并返回 3。",
    "delete_messages([1, 7]) raises poplib.error_proto and deletes nothing (RSET), then quits.":
        "delete_messages([1, 7]) 抛出 poplib.error_proto，什么都不删除（RSET），然后发送 QUIT。",
    # -- call descriptions ---------------------------------------------------------------------
    "delete_messages(..., [2]), then mailbox_stat(...)":
        "delete_messages(..., [2])，然后 mailbox_stat(...)",
    # -- evidence ------------------------------------------------------------------------------
    "   -- session {id}":
        "   -- 会话 {id}",
    "What the server saw:\n{lines}":
        "服务器看到的通信记录：\n{lines}",
    "QUIT at the end of every session (also after an error)":
        "每次会话结束时都发送 QUIT（出错之后也一样）",
    "no QUIT in {missing} of {total} session(s); commands: {commands}":
        "{total} 次会话中有 {missing} 次没有 QUIT；命令：{commands}",
    "messages {numbers} deleted":
        "删除邮件 {numbers}",
    "deleted {done}; DELE sent: {deles}, but the session ended without QUIT":
        "删除了 {done}；发送的 DELE：{deles}，但会话结束时没有 QUIT",
    "{what}: the server deleted messages {done}, expected {expected}. Commands: {commands}":
        "{what}：服务器删除的邮件是 {done}，期望 {expected}。命令：{commands}",
    "the message as bytes":
        "以 bytes 表示的邮件",
    "a str: {value}":
        "一个 str：{value}",
    # -- assertions ----------------------------------------------------------------------------
    "{what} returned a {kind}, expected bytes":
        "{what} 返回了 {kind}，期望 bytes",
    "{what} returned {size} bytes that differ from the server's {want_size} bytes: "
    "yours end {end!r}, expected {want_end!r}. Join the lines from "
    "box.retr() with b'\\r\\n', as they are":
        "{what} 返回的 {size} 个字节与服务器上的 {want_size} 个字节不同：你的结尾是 {end!r}，"
        "期望 {want_end!r}。请把 box.retr() 返回的各行原样用 b'\\r\\n' 拼接",
    "delete_messages(..., []) must delete nothing":
        "delete_messages(..., []) 不能删除任何邮件",
    "expected the server's -ERR reply in the error, got {error}":
        "异常中应该包含服务器的 -ERR 回复，实际是 {error}",
    "{what} returned {got}, expected {count} subjects: {expected!r}":
        "{what} 返回了 {got}，期望 {count} 个主题：{expected!r}",
    "{what}: message {number}'s subject came back as {got!r}, expected {want!r}. Parse the "
    "headers with email.message_from_bytes(..., policy=email.policy.default), or decode every "
    "encoded word with email.header.decode_header + make_header":
        "{what}：第 {number} 封邮件的主题返回的是 {got!r}，期望 {want!r}。"
        "请用 email.message_from_bytes(..., policy=email.policy.default) 解析邮件头，"
        "或者用 email.header.decode_header + make_header 解码每一个编码字",
    "list_subjects fetched {retrs} and lacked {missing}: ":
        "list_subjects 发送了 {retrs}（取回整封邮件），却缺少 {missing}：",
    "list_subjects fetched no whole message and lacked {missing}: ":
        "list_subjects 没有取回整封邮件，但缺少 {missing}：",
    "use box.top(n, 0) for each message (headers only; a mailbox can hold megabytes). "
    "Commands: {commands}":
        "请对每封邮件使用 box.top(n, 0)（只取邮件头；一个邮箱可能有好几 MB）。命令：{commands}",
    "{what} returned {got!r}, expected {expected!r}":
        "{what} 返回了 {got!r}，期望 {expected!r}",
    "mailbox_stat(...) after deleting message 2 returned {stat!r}, expected {expected!r}":
        "删除第 2 封邮件之后，mailbox_stat(...) 返回了 {stat!r}，期望 {expected!r}",
    "{count} messages left, expected none":
        "还剩 {count} 封邮件，期望一封都不剩",
    "{what} used {count} sessions; delete all in one session":
        "{what} 用了 {count} 次会话；请在一次会话中全部删除",
    "{what} deleted {deleted}: when one DELE fails, box.rset() unmarks the "
    "others before QUIT. Commands: {commands}":
        "{what} 删除了 {deleted}：某条 DELE 失败时，要在 QUIT 之前用 box.rset() 取消其他邮件的删除标记。"
        "命令：{commands}",
    "all three messages must still be there":
        "三封邮件必须都还在",
}
