"""Chinese for exercises/04_smtp/test_send.py (see grader.messages.texts)."""

ZH: dict[str, str] = {
    # -- descriptions --------------------------------------------------------------------------
    "send_email delivers to To + Cc + bcc, from the bare From address, and never sends the Bcc addresses.":
        "send_email 把邮件投递给 To + Cc + bcc，信封发件人用 From 的纯地址，并且从不发送 Bcc 地址。",
    "A Bcc header in the message gets the message delivered to that address, but is removed from it.":
        "邮件里有 Bcc 头时，邮件要投递到这个地址，但发送前要从邮件中删除这个头。",
    "With security='starttls' the session switches to TLS (checking the certificate), then logs in.":
        "security='starttls' 时，会话先切换到 TLS（并检查证书），然后再登录。",
    "With security='ssl' the connection is TLS from the first byte (smtplib.SMTP_SSL).":
        "security='ssl' 时，连接从第一个字节起就是 TLS（smtplib.SMTP_SSL）。",
    # -- assertions ----------------------------------------------------------------------------
    "after {call} the server accepted {count} messages, expected 1; commands it received: {commands}":
        "{call} 之后服务器接收了 {count} 封邮件，期望 1 封；它收到的命令：{commands}",
    "the session did not end with QUIT (commands: {commands}); call server.quit() in a finally block":
        "会话没有以 QUIT 结束（命令：{commands}）；请在 finally 块中调用 server.quit()",
    "MAIL FROM was {mail_from!r}, expected the bare address 'zhang.san@example.com' "
    "(email.utils.parseaddr(msg['From'])[1]), without the display name":
        "MAIL FROM 是 {mail_from!r}，期望纯地址 'zhang.san@example.com'"
        "（email.utils.parseaddr(msg['From'])[1]），不带显示名",
    "RCPT TO went to {rcpt_tos}, expected {recipients} (To + Cc + bcc, bare addresses, "
    "each once): the envelope decides who gets the message, not the headers":
        "RCPT TO 发给了 {rcpt_tos}，期望 {recipients}（To + Cc + bcc，纯地址，每个一次）："
        "决定谁收到邮件的是信封，而不是邮件头",
    "send_email returned {returned!r}, expected the envelope recipients {recipients}":
        "send_email 返回了 {returned!r}，期望信封收件人 {recipients}",
    "the transmitted message has a Bcc header {header!r}: every recipient can read it. "
    "Delete it (del msg['Bcc']) before sending; Bcc addresses belong in the envelope only":
        "发送出去的邮件带有 Bcc 头 {header!r}：每个收件人都能看到它。"
        "请在发送前删除它（del msg['Bcc']）；Bcc 地址只能放在信封里",
    "the blind-copy address {hidden!r} appears in the transmitted message: only RCPT TO may carry it":
        "密送地址 {hidden!r} 出现在了发送的邮件中：只有 RCPT TO 可以携带它",
    "the delivered Subject reads {subject!r}: send the message as it is "
    "(server.send_message(msg, ...)), don't rebuild its headers":
        "投递的 Subject 是 {subject!r}：请原样发送邮件（server.send_message(msg, ...)），不要重建它的邮件头",
    "security='none' (the default) should not use TLS":
        "security='none'（默认值）不应使用 TLS",
    "no STARTTLS command was sent; commands: {commands}":
        "没有发送 STARTTLS 命令；命令：{commands}",
    "log in only after STARTTLS, or the password crosses the network in clear text; commands: {commands}":
        "只能在 STARTTLS 之后登录，否则密码会以明文在网络上传输；命令：{commands}",
    "the message was sent without TLS":
        "邮件没有经过 TLS 就发送了",
    "the message was sent by login {user!r}, expected {want!r}: call server.login(username, password)":
        "邮件是以登录用户 {user!r} 发送的，期望 {want!r}：请调用 server.login(username, password)",
    "security='ssl' is TLS from the first byte (smtplib.SMTP_SSL): no STARTTLS needed":
        "security='ssl' 从第一个字节起就是 TLS（smtplib.SMTP_SSL）：不需要 STARTTLS",
}
