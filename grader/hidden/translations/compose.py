"""Chinese for grader/hidden/04_smtp/test_compose_hidden.py (see grader.messages.texts)."""

ZH: dict[str, str] = {
    # -- descriptions --------------------------------------------------------------------------
    "Chinese display names in From/To/Cc and an emoji subject are encoded on the wire and decode back.":
        "From/To/Cc 中的中文显示名和带 emoji 的主题在线路上经过编码，并能解码还原。",
    "A very long Chinese subject stays ASCII, is folded into short lines, and decodes back unchanged.":
        "很长的中文主题在线路上仍是 ASCII，被折成较短的行，并能原样解码还原。",
    "plain_email adds a Date a mail program can parse and a Message-ID like <...@...>.":
        "plain_email 加上邮件程序能解析的 Date，以及形如 <...@...> 的 Message-ID。",
    "A body with lines starting with '.', 'From ', emoji and a 1500-character line arrives unchanged.":
        "正文里有以 '.'、'From ' 开头的行、emoji 和长达 1500 个字符的一行，收到时保持不变。",
    "html_email is one text/html part, charset utf-8, decoding to the exact HTML; no cc means no Cc.":
        "html_email 只有一个 text/html 部分，字符集为 utf-8，解码后与 HTML 完全一致；没有 cc 就没有 Cc。",
    "A 200 KB binary file named '第4周 报告 (最终版).pdf' keeps its name (RFC 2231) and every byte.":
        "名为 '第4周 报告 (最终版).pdf' 的 200 KB 二进制文件保留它的文件名（RFC 2231）和每一个字节。",
    "The attachment's Content-Type is guessed from its extension, application/octet-stream when unknown.":
        "附件的 Content-Type 根据扩展名推断，无法识别时为 application/octet-stream。",
    "email_with_attachment raises FileNotFoundError for a file that does not exist.":
        "文件不存在时，email_with_attachment 抛出 FileNotFoundError。",
    "alternative_email has exactly two parts, text/plain then text/html, both UTF-8 and exact; no Cc.":
        "alternative_email 恰好有两个部分：先 text/plain 后 text/html，都是 UTF-8 且内容完全一致；没有 Cc。",
    # -- assertions ----------------------------------------------------------------------------
    "{call} returned {value}; it must return the message object itself "
    "(an email.message.EmailMessage or an email.mime object), not a string or bytes":
        "{call} 返回了 {value}；它必须返回邮件对象本身"
        "（email.message.EmailMessage 或 email.mime 对象），而不是字符串或字节串",
    "the message returned by {call} cannot be turned into bytes (msg.as_bytes() fails: {error})":
        "{call} 返回的邮件无法转换成字节串（msg.as_bytes() 失败：{error}）",
    "ASCII header lines, non-ASCII text as RFC 2047 encoded words (=?utf-8?b?...?=)":
        "邮件头的每一行都是 ASCII，非 ASCII 文本写成 RFC 2047 编码字（=?utf-8?b?...?=）",
    "8-bit header lines on the wire: {lines}":
        "线路上出现了 8 位（非 ASCII）的邮件头行：{lines}",
    "{name} read back as {want!r}":
        "{name} 读回来是 {want!r}",
    "{got!r}, from the raw header {raw}":
        "{got!r}，来自原始邮件头 {raw}",
    "The whole header, <address> included, was encoded as one word, so a receiver "
    "finds a name and no address. Only the display name may be encoded: use "
    "EmailMessage, or email.utils.formataddr((name, address)) for each address.":
        "整个邮件头（连同 <address>）被编码成了一个编码字，所以收件方只看到姓名，找不到地址。"
        "只有显示名可以编码：请使用 EmailMessage，或对每个地址使用 email.utils.formataddr((name, address))。",
    "{call}: a receiver reads {name} as {got!r}, expected {want!r} (display name, address); "
    "raw header: {raw}. Join the addresses as given with ', ' into ONE "
    "{name} header, keeping their display names":
        "{call}：收件方读到的 {name} 是 {got!r}，期望 {want!r}（每项为 (显示名, 地址)）；原始邮件头：{raw}。"
        "请把给出的地址原样用 ', ' 拼接，放进同一个 {name} 头里，并保留它们的显示名",
    "{call}: a receiver decodes the Subject as {got!r}, expected {want!r}; raw header: {raw}":
        "{call}：收件方解码出的 Subject 是 {got!r}，期望 {want!r}；原始邮件头：{raw}",
    "{call}: no cc was given, yet the message has Cc {cc!r}":
        "{call}：没有给出 cc，邮件里却有 Cc {cc!r}",
    "plain_email(..., subject=<a 150-character Chinese subject>, ...)":
        "plain_email(..., subject=<150 个字符的中文主题>, ...)",
    "{call}: {count} line(s) longer than 998 bytes, the hard limit of RFC 5322: "
    "{line}. Let the email package fold long headers":
        "{call}：有 {count} 行超过了 998 字节，这是 RFC 5322 的硬性上限：{line}。请让 email 包来折叠过长的邮件头",
    "the message has no Date header: add email.utils.formatdate(localtime=True)":
        "邮件没有 Date 头：请加上 email.utils.formatdate(localtime=True)",
    "the Date header {date!r} is not an RFC 5322 date (email.utils.formatdate)":
        "Date 头 {date!r} 不是 RFC 5322 格式的日期（email.utils.formatdate）",
    "the Message-ID is {mid!r}, expected '<unique@domain>' (email.utils.make_msgid())":
        "Message-ID 是 {mid!r}，期望 '<unique@domain>'（email.utils.make_msgid()）",
    "plain_email(..., body=<dots, 'From ', a 1500-character line>)":
        "plain_email(..., body=<点号、'From '、一行 1500 个字符的长行>)",
    "{call}: the message is {kind}":
        "{call}：邮件是 {kind}",
    "{call}: the body a receiver decodes differs from the body given.\n"
    "expected: {want}\nactual:   {got}":
        "{call}：收件方解码出的正文与给出的正文不同。\n"
        "期望：{want}\n实际：{got}",
    "{call}: a line of {size} bytes is on the wire (limit 998): let the email package "
    "pick the transfer encoding (set_content / MIMEText(body, 'plain', 'utf-8'))":
        "{call}：线路上有一行长达 {size} 字节（上限 998）：请让 email 包选择传输编码"
        "（set_content / MIMEText(body, 'plain', 'utf-8')）",
    "html_email made a {kind} message, expected text/html (a single part)":
        "html_email 生成了 {kind} 邮件，期望 text/html（单个部分）",
    "the HTML part declares charset {charset!r}, expected 'utf-8'":
        "HTML 部分声明的字符集是 {charset!r}，期望 'utf-8'",
    "the HTML reads {got}, expected {want}":
        "HTML 的内容是 {got}，期望 {want}",
    "{call}: expected one attachment, found {count}; parts: {parts}":
        "{call}：期望一个附件，实际找到 {count} 个；各部分：{parts}",
    "{call}: the attachment's filename reads {got!r}, expected {want!r} "
    "(the file's own name; non-ASCII names are encoded by add_attachment(filename=...) or "
    "add_header('Content-Disposition', 'attachment', filename=name))":
        "{call}：附件的文件名读出来是 {got!r}，期望 {want!r}（文件自己的名字；非 ASCII 的文件名由 "
        "add_attachment(filename=...) 或 add_header('Content-Disposition', 'attachment', filename=name) 编码）",
    "{call}: the attachment decodes to {size} bytes, expected the file's {want_size} bytes":
        "{call}：附件解码后是 {size} 个字节，期望文件的 {want_size} 个字节",
    "; first difference at byte {offset}":
        "；第一个不同之处在字节 {offset}",
    ". Read it with open(path, 'rb') and let it be base64-encoded":
        "。请用 open(path, 'rb') 读取文件，并让它以 base64 编码",
    "{call}: no single part named {filename!r}: {names}":
        "{call}：没有找到唯一一个名为 {filename!r} 的部分：{names}",
    "{call}: the attachment is {kind}, expected {want} "
    "(mimetypes.guess_type(path); application/octet-stream when it returns None)":
        "{call}：附件是 {kind}，期望 {want}"
        "（用 mimetypes.guess_type(path) 推断；它返回 None 时用 application/octet-stream）",
    "{call}: the attachment's bytes changed":
        "{call}：附件的字节被改变了",
    "the message is {kind}, expected multipart/alternative at the top":
        "邮件是 {kind}，期望最外层是 multipart/alternative",
    "the alternative parts are {kinds}, expected exactly ['text/plain', 'text/html']":
        "各备选部分是 {kinds}，期望恰好是 ['text/plain', 'text/html']",
    "the {kind} part declares charset {charset!r}, expected utf-8":
        "{kind} 部分声明的字符集是 {charset!r}，期望 utf-8",
    "the {kind} part is marked as an attachment: alternatives are inline":
        "{kind} 部分被标记成了附件：备选部分应当是内联（inline）的",
    "the {kind} part reads {got}, expected {want}":
        "{kind} 部分的内容是 {got}，期望 {want}",
}
