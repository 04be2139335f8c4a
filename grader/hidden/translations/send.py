"""Chinese for grader/hidden/04_smtp/test_send_hidden.py (see grader.messages.texts)."""

ZH: dict[str, str] = {
    # -- descriptions --------------------------------------------------------------------------
    "Each of To + Cc + bcc gets its own RCPT TO command: the envelope is a list, not a joined string.":
        "To + Cc + bcc 中的每个地址都有自己的一条 RCPT TO 命令：信封是一个列表，而不是拼接起来的字符串。",
    "send_email returns the bare envelope addresses, To then Cc then Bcc, exactly those the server got.":
        "send_email 按 To、Cc、Bcc 的顺序返回信封中的纯地址，正好是服务器收到的那些。",
    "Bcc from the header and from bcc= are delivered, yet no Bcc header or blind address is transmitted.":
        "来自 Bcc 头和 bcc= 的密送地址都会收到邮件，但发送的数据中既没有 Bcc 头，也没有任何密送地址。",
    "MAIL FROM carries only the bare address of From, whatever display name the From header has.":
        "无论 From 头带什么显示名，MAIL FROM 都只携带 From 的纯地址。",
    "With security='starttls' the session is EHLO, STARTTLS, EHLO, AUTH: the password goes encrypted.":
        "security='starttls' 时，会话的顺序是 EHLO、STARTTLS、EHLO、AUTH：密码加密后才传输。",
    "With security='none' and credentials, send_email logs in without TLS when the server allows it.":
        "security='none' 且给出了用户名和密码时，只要服务器允许，send_email 就不用 TLS 直接登录。",
    "With security='ssl' and credentials, send_email logs in inside TLS from the first byte.":
        "security='ssl' 且给出了用户名和密码时，send_email 在从第一个字节起就是 TLS 的连接中登录。",
    "Without cafile, the test server's certificate is untrusted: send_email must refuse to send.":
        "没有 cafile 时，测试服务器的证书不受信任：send_email 必须拒绝发送。",
    "A 550 on one RCPT makes send_email raise SMTPRecipientsRefused (not pass silently), and still QUIT.":
        "某条 RCPT 收到 550 时，send_email 抛出 SMTPRecipientsRefused（不能悄悄放过），并且仍然发送 QUIT。",
    "A 550 on MAIL FROM makes send_email raise an SMTPException, and the session still ends with QUIT.":
        "MAIL FROM 收到 550 时，send_email 抛出 SMTPException，会话仍然以 QUIT 结束。",
    "security='tls' (not one of none/starttls/ssl) raises ValueError.":
        "security='tls'（不是 none/starttls/ssl 之一）时抛出 ValueError。",
    "A message with no From header raises ValueError instead of sending from an empty address.":
        "没有 From 头的邮件抛出 ValueError，而不是用空地址发送。",
    "A Chinese + emoji subject and body lines starting with '.' arrive exactly as composed.":
        "含中文和 emoji 的主题，以及以 '.' 开头的正文行，都原样送达。",
    # -- call descriptions ---------------------------------------------------------------------
    "send_email(<To: 2 addresses, Cc: 1>, ..., bcc=['secret.reader@example.org'])":
        "send_email(<To 有 2 个地址、Cc 有 1 个的邮件>, ..., bcc=['secret.reader@example.org'])",
    "send_email(<message with Bcc: 老板 <boss@example.org>, audit@example.org>, ..., "
    "bcc=['secret.reader@example.org'])":
        "send_email(<带有 Bcc: 老板 <boss@example.org>, audit@example.org 的邮件>, ..., "
        "bcc=['secret.reader@example.org'])",
    "send_email(<message From: {sender}>, ...)":
        "send_email(<From 为 {sender} 的邮件>, ...)",
    "send_email(...) with wang.wu@example.com refused (550)":
        "send_email(...)，其中 wang.wu@example.com 被拒绝（550）",
    "send_email(...) with MAIL FROM refused (550)":
        "send_email(...)，其中 MAIL FROM 被拒绝（550）",
    "send_email(<message with a dotted body and an emoji subject>, ...)":
        "send_email(<正文有以点开头的行、主题含 emoji 的邮件>, ...)",
    # -- assertions ----------------------------------------------------------------------------
    "\nWhat send_email did:\n":
        "\nsend_email 的执行情况：\n",
    "{count} RCPT TO commands: {addresses}":
        "{count} 条 RCPT TO 命令：{addresses}",
    "{count} RCPT TO command(s): {addresses}":
        "{count} 条 RCPT TO 命令：{addresses}",
    "{call}: MAIL FROM was {sent!r}, expected '<{bare}>'":
        "{call}：MAIL FROM 是 {sent!r}，期望 '<{bare}>'",
    "no MAIL FROM: smtplib could not send a command holding the name {display!r} (commands are ASCII)":
        "没有 MAIL FROM：smtplib 无法发送包含名字 {display!r} 的命令（命令只能是 ASCII）",
    "  (no STARTTLS: security='starttls' means TLS before any login; "
    "this server does not even offer AUTH in clear)":
        "（没有 STARTTLS：security='starttls' 表示登录之前先建立 TLS；这个服务器在明文连接上根本不提供 AUTH）",
    "no Bcc header and none of {hidden} in the transmitted data":
        "发送的数据中没有 Bcc 头，也没有 {hidden} 中的任何地址",
    "Bcc header: {header!r}; blind addresses found in the data: {leaked}":
        "Bcc 头：{header!r}；数据中发现的密送地址：{leaked}",
    "{call}: the delivered {name} header reads {got}, expected {want}: send the message's "
    "headers as they are":
        "{call}：投递的 {name} 头是 {got}，期望 {want}：请原样发送邮件的头",
    "no commands":
        "没有任何命令",
    "{call}: RCPT TO went to {rcpt_tos}, expected {want}":
        "{call}：RCPT TO 发给了 {rcpt_tos}，期望 {want}",
    "{call} returned {returned}, expected {want}: the bare addresses (email.utils.getaddresses) "
    "of To, then Cc, then Bcc":
        "{call} 返回了 {returned}，期望 {want}：按 To、Cc、Bcc 的顺序给出纯地址（email.utils.getaddresses）",
    "{call}: RCPT TO went to {rcpt_tos}, expected {want}: blind copies are "
    "recipients too, in the envelope only":
        "{call}：RCPT TO 发给了 {rcpt_tos}，期望 {want}：密送地址也是收件人，只是只出现在信封里",
    "{call} returned {returned}":
        "{call} 返回了 {returned}",
    "{call}: the delivered From header reads {header!r}: keep the header as it is, "
    "only the envelope takes the bare address":
        "{call}：投递的 From 头是 {header!r}：邮件头要保持原样，只有信封使用纯地址",
    "the message sent inside TLS":
        "在 TLS 中发送邮件",
    "sent in clear text":
        "以明文发送",
    "{call}: the message was sent as {user!r}, expected {want!r}":
        "{call}：邮件以 {user!r} 的身份发送，期望 {want!r}",
    "{call}: the message was sent as {user!r}, expected {want!r}: log in whenever a "
    "username is given; commands: {commands}":
        "{call}：邮件以 {user!r} 的身份发送，期望 {want!r}：只要给出了用户名就要登录；命令：{commands}",
    "security='none' must not use STARTTLS: {commands}":
        "security='none' 不能使用 STARTTLS：{commands}",
    "{call}: sent with tls={tls} as {user!r}, expected TLS as {want!r}":
        "{call}：发送时 tls={tls}，身份为 {user!r}，期望在 TLS 中以 {want!r} 的身份发送",
    "SMTP_SSL is TLS from the first byte: no STARTTLS":
        "SMTP_SSL 从第一个字节起就是 TLS：不需要 STARTTLS",
    "{call} logged in and sent the message although the server's certificate is signed by an authority "
    "it was not told to trust (no cafile): check certificates with "
    "ssl.create_default_context(cafile=cafile) and pass it as context=...; smtplib's defaults "
    "(SMTP_SSL(host, port), starttls()) check nothing":
        "{call} 登录并发送了邮件，但服务器的证书是由一个没有让它信任的机构签发的（没有 cafile）："
        "请用 ssl.create_default_context(cafile=cafile) 检查证书，并把它作为 context=... 传入；"
        "smtplib 的默认做法（SMTP_SSL(host, port)、starttls()）什么都不检查",
    "{call} should raise (e.g. ssl.SSLCertVerificationError); it returned {returned}":
        "{call} 应该抛出异常（例如 ssl.SSLCertVerificationError），但它返回了 {returned}",
    "{call} raised {error} without connecting to the server: the certificate is checked in "
    "the TLS handshake, so connect with smtplib.SMTP_SSL(host, port, context=context) and "
    "let the handshake refuse the server":
        "{call} 还没有连接服务器就抛出了 {error}：证书是在 TLS 握手中检查的，所以请用 "
        "smtplib.SMTP_SSL(host, port, context=context) 连接，让握手拒绝这台服务器",
    "{call} raised {error} without sending STARTTLS (commands: {commands}): the certificate is "
    "checked in the TLS handshake that follows it, so call server.starttls(context=context) and "
    "let the handshake refuse the server":
        "{call} 没有发送 STARTTLS 就抛出了 {error}（命令：{commands}）：证书是在它之后的 TLS 握手中检查的，"
        "所以请调用 server.starttls(context=context)，让握手拒绝这台服务器",
    "{call} raised {error}, but not because the certificate was refused (expected "
    "ssl.SSLCertVerificationError from the TLS handshake): check it with "
    "ssl.create_default_context(cafile=cafile) and let the handshake refuse the server":
        "{call} 抛出了 {error}，但不是因为拒绝了证书（期望的是 TLS 握手抛出的 ssl.SSLCertVerificationError）："
        "请用 ssl.create_default_context(cafile=cafile) 检查证书，让握手拒绝这台服务器",
    "a message was sent although security='tls' is not a valid choice":
        "security='tls' 不是有效的选项，却仍然发送了邮件",
    "a message without From was sent anyway":
        "没有 From 的邮件仍然被发送了",
    "{call}: the data has bare LF line ends (\\n without \\r): {data}. "
    "SMTP lines end with CRLF; sendmail() sends bytes exactly as given, so use "
    "server.send_message(msg, ...) (or msg.as_bytes(policy=email.policy.SMTP))":
        "{call}：数据中有单独的 LF 行尾（\\n 前面没有 \\r）：{data}。SMTP 的行以 CRLF 结尾；"
        "sendmail() 会原样发送给它的字节，所以请用 server.send_message(msg, ...)"
        "（或 msg.as_bytes(policy=email.policy.SMTP)）",
    "{call}: the delivered Subject reads {got!r}, expected {subject!r}: send the "
    "message object as it is (server.send_message(msg, ...))":
        "{call}：投递的 Subject 是 {got!r}，期望 {subject!r}：请原样发送邮件对象（server.send_message(msg, ...)）",
    "{call}: the delivered body is {got}, expected {body}: let smtplib send the data "
    "(it doubles leading dots, the server removes them)":
        "{call}：投递的正文是 {got}，期望 {body}：让 smtplib 发送数据（它会把行首的点加倍，服务器再去掉）",
}
