"""Chinese for exercises/04_smtp/test_compose.py (see grader.messages.texts)."""

ZH: dict[str, str] = {
    # -- descriptions --------------------------------------------------------------------------
    "plain_email builds a text/plain message with Chinese From name, To, Cc, Subject and body.":
        "plain_email 构造一封 text/plain 邮件，带有中文的 From 姓名、To、Cc、Subject 和正文。",
    "plain_email without cc has no Cc header, and one To address is still a list.":
        "不给 cc 时，plain_email 生成的邮件没有 Cc 头；只有一个 To 地址时，to 仍然是列表。",
    "html_email builds a text/html message with the same headers as plain_email.":
        "html_email 构造一封 text/html 邮件，邮件头与 plain_email 相同。",
    "email_with_attachment builds multipart/mixed: the text, then the file (base64) under its own name.":
        "email_with_attachment 构造 multipart/mixed 邮件：先是正文，然后是使用文件自己名字的附件（base64）。",
    "alternative_email builds multipart/alternative: text/plain first, then text/html.":
        "alternative_email 构造 multipart/alternative 邮件：先 text/plain，后 text/html。",
    # -- assertions ----------------------------------------------------------------------------
    "{call} returned {value!r}; it must return the message object itself "
    "(an email.message.EmailMessage or an email.mime object), not a string or bytes":
        "{call} 返回了 {value!r}；它必须返回邮件对象本身"
        "（email.message.EmailMessage 或 email.mime 对象），而不是字符串或字节串",
    "the message returned by {call} cannot be turned into bytes (msg.as_bytes() fails: {error}); "
    "let the email package encode the headers and body":
        "{call} 返回的邮件无法转换成字节串（msg.as_bytes() 失败：{error}）；请让 email 包来编码邮件头和正文",
    "the headers of the message from {call} are not ASCII on the wire: {bad!r}. "
    "Non-ASCII names and subjects must be RFC 2047-encoded (=?utf-8?b?...?=); "
    "EmailMessage does it for you, with email.mime use email.header.Header(text, 'utf-8')":
        "{call} 生成的邮件，其邮件头在线路上不是 ASCII：{bad!r}。"
        "非 ASCII 的姓名和主题必须按 RFC 2047 编码（=?utf-8?b?...?=）；"
        "EmailMessage 会自动处理，用 email.mime 时请用 email.header.Header(text, 'utf-8')",
    "the Subject a receiver decodes is {subject!r}, expected {want!r}; raw header lines: {raw!r}":
        "收件方解码出的 Subject 是 {subject!r}，期望 {want!r}；原始邮件头行：{raw!r}",
    "the Chinese Subject should be RFC 2047-encoded on the wire; raw: {raw!r}":
        "中文的 Subject 在线路上应当按 RFC 2047 编码；原始内容：{raw!r}",
    "the From address a receiver reads is {sender!r} (raw: {raw!r}), expected "
    "['zhang.san@example.com']. Only the display name may be encoded, never the <address> part: "
    "EmailMessage does this right; with email.mime use "
    "email.utils.formataddr((str(Header('张三', 'utf-8')), 'zhang.san@example.com'))":
        "收件方读到的 From 地址是 {sender!r}（原始内容：{raw!r}），期望 ['zhang.san@example.com']。"
        "只有显示名可以编码，<address> 部分绝不能编码：EmailMessage 会正确处理；用 email.mime 时请用 "
        "email.utils.formataddr((str(Header('张三', 'utf-8')), 'zhang.san@example.com'))",
    "the From display name decodes to {display!r}, expected '张三'":
        "From 的显示名解码后是 {display!r}，期望 '张三'",
    "the To addresses a receiver reads are {to!r}, "
    "expected ['li.si@example.com', 'wang.wu@example.com']; "
    "raw To lines: {raw!r}. Put the whole list in ONE To header: ', '.join(to)":
        "收件方读到的 To 地址是 {to!r}，期望 ['li.si@example.com', 'wang.wu@example.com']；"
        "原始 To 行：{raw!r}。请把整个列表放进同一个 To 头里：', '.join(to)",
    "the Cc addresses a receiver reads are {got!r}, expected {want!r}":
        "收件方读到的 Cc 地址是 {got!r}，期望 {want!r}",
    ": with no cc given, leave the Cc header out":
        "：没有给出 cc 时，不要添加 Cc 头",
    "the message is {kind}, expected text/plain (one part, no multipart)":
        "邮件是 {kind}，期望 text/plain（只有一个部分，不用 multipart）",
    "the body a receiver decodes is {got!r}, expected {want!r}: encode it as UTF-8 "
    "(msg.set_content(body), or MIMEText(body, 'plain', 'utf-8'))":
        "收件方解码出的正文是 {got!r}，期望 {want!r}：请用 UTF-8 编码"
        "（msg.set_content(body)，或 MIMEText(body, 'plain', 'utf-8')）",
    "no cc was given, but the message has Cc: {cc!r}":
        "没有给出 cc，但邮件里有 Cc：{cc!r}",
    "To should be bob@example.net, the receiver reads {to!r} (to is a list: join it, don't str() it)":
        "To 应当是 bob@example.net，收件方读到的是 {to!r}（to 是列表：请用 join 拼接，不要用 str() 转换）",
    "From reads {sender!r}":
        "读到的 From 是 {sender!r}",
    "Subject reads {subject!r}":
        "读到的 Subject 是 {subject!r}",
    "the message is {kind}, expected text/html "
    "(msg.set_content(html, subtype='html'), or MIMEText(html, 'html', 'utf-8'))":
        "邮件是 {kind}，期望 text/html"
        "（msg.set_content(html, subtype='html')，或 MIMEText(html, 'html', 'utf-8')）",
    "the HTML a receiver reads is {got!r}, expected {want!r}":
        "收件方读到的 HTML 是 {got!r}，期望 {want!r}",
    "the message is {kind}, expected multipart/mixed (msg.add_attachment(...) or MIMEMultipart('mixed'))":
        "邮件是 {kind}，期望 multipart/mixed（msg.add_attachment(...) 或 MIMEMultipart('mixed')）",
    "no text/plain part with the body {body!r}; parts: {parts}":
        "没有正文为 {body!r} 的 text/plain 部分；各部分：{parts}",
    "expected exactly one attachment (a part with a filename), found {count}; parts: {parts}":
        "期望恰好一个附件（带文件名的部分），实际找到 {count} 个；各部分：{parts}",
    "the attachment's filename is {name!r}, expected 'report.pdf': "
    "use the file's own name (os.path.basename), not its whole path":
        "附件的文件名是 {name!r}，期望 'report.pdf'：请使用文件自己的名字（os.path.basename），而不是完整路径",
    "the text part should come before the attachment":
        "正文部分应当在附件之前",
    "the file part's Content-Disposition is {disposition!r}, expected 'attachment'":
        "文件部分的 Content-Disposition 是 {disposition!r}，期望 'attachment'",
    "the attachment's Content-Transfer-Encoding is {cte!r}, expected 'base64'":
        "附件的 Content-Transfer-Encoding 是 {cte!r}，期望 'base64'",
    "the attachment decodes to {size} bytes {head!r}..., expected the file's "
    "{want_size} bytes {want_head!r}...: read the file with open(path, 'rb')":
        "附件解码后是 {size} 个字节 {head!r}...，期望文件的 {want_size} 个字节 {want_head!r}...："
        "请用 open(path, 'rb') 读取文件",
    "the message is {kind}, expected multipart/alternative "
    "(msg.add_alternative(html, subtype='html') or MIMEMultipart('alternative'))":
        "邮件是 {kind}，期望 multipart/alternative"
        "（msg.add_alternative(html, subtype='html') 或 MIMEMultipart('alternative')）",
    "the alternative parts are {kinds}, expected ['text/plain', 'text/html'] "
    "(the simplest version first: mail programs show the LAST one they can display)":
        "各备选部分是 {kinds}，期望 ['text/plain', 'text/html']"
        "（最简单的版本放在最前面：邮件程序显示的是它能显示的最后一个）",
    "the text part reads {got!r}, expected {want!r}":
        "文本部分的内容是 {got!r}，期望 {want!r}",
    "the HTML part reads {got!r}, expected {want!r}":
        "HTML 部分的内容是 {got!r}，期望 {want!r}",
}
