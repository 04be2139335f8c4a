"""Chinese for grader/hidden/05_pop3/test_parse_hidden.py (see grader.messages.texts)."""

ZH: dict[str, str] = {
    # -- descriptions --------------------------------------------------------------------------
    "decode_header_value decodes the seeded subject: four encoded words (GBK and UTF-8), folded.":
        "decode_header_value 能解码预置邮件的主题：四个编码字（GBK 和 UTF-8），而且折成了多行。",
    "decode_header_value decodes every word between plain text, in Q and B, across charsets and lines.":
        "decode_header_value 解码夹在普通文本之间的每一个编码字：Q 和 B 编码、不同字符集、跨行都可以。",
    "decode_header_value survives an unknown charset and invalid bytes (U+FFFD), never raising.":
        "遇到未知字符集和非法字节（U+FFFD）时，decode_header_value 也能正常处理，从不抛出异常。",
    "text_body decodes each body with the charset it declares: gbk, iso-8859-1, big5, koi8-r.":
        "text_body 用每个正文自己声明的字符集解码：gbk、iso-8859-1、big5、koi8-r。",
    "text_body of a message with only an HTML part returns ''.":
        "对只有 HTML 部分的邮件，text_body 返回 ''。",
    "text_body picks text/plain after an HTML alternative, and skips a text file sent as attachment.":
        "text_body 能在 HTML 版本之后找到 text/plain 部分，并跳过作为附件发送的文本文件。",
    "list_attachments decodes RFC 2231 and RFC 2047 filenames ('报告.pdf', '数据.csv') and sizes.":
        "list_attachments 解码 RFC 2231 和 RFC 2047 形式的文件名（'报告.pdf'、'数据.csv'），并给出正确的大小。",
    "save_attachments writes 报告.pdf, 数据.csv, 'pixel map.png' byte for byte, in a folder it creates.":
        "save_attachments 把 报告.pdf、数据.csv、'pixel map.png' 逐字节原样写入它自己创建的文件夹。",
    "Attachment names like '../../x', '..\\..\\x' or an absolute path never write outside the folder.":
        "像 '../../x'、'..\\..\\x' 这样的附件名或绝对路径，都不能写到文件夹之外。",
    "Attachments named '..' or '.' are skipped (no error); the others are still saved.":
        "名为 '..' 或 '.' 的附件被跳过（不报错）；其他附件照常保存。",
    # -- call descriptions and labels ----------------------------------------------------------
    "gbk, base64 (the seeded Chinese message)":
        "gbk, base64（预置的中文邮件）",
    "text_body(<HTML-only message>)":
        "text_body(<只有 HTML 部分的邮件>)",
    "HTML first, then plain text":
        "先 HTML，后纯文本",
    "attached notes.txt, then the body":
        "先是附件 notes.txt，然后是正文",
    "list_attachments(<3 attachments>)":
        "list_attachments(<有 3 个附件的邮件>)",
    # -- assertions ----------------------------------------------------------------------------
    "{what} raised {error}{advice}\n\nYour traceback:\n{traceback}":
        "{what} 抛出了异常 {error}{advice}\n\n你的代码的回溯信息：\n{traceback}",
    "; expected {expected!r}":
        "；期望 {expected!r}",
    "The header holds {count} pieces once decoded: {pieces}":
        "这个邮件头解码后有 {count} 个片段：{pieces}",
    "{what} returned {got!r}, expected {expected!r}":
        "{what} 返回了 {got!r}，期望 {expected!r}",
    "{what} returned {got}, expected {expected!r}":
        "{what} 返回了 {got}，期望 {expected!r}",
    "{what} returned {got}, expected '' (there is no text/plain part: "
    "msg.get_body(preferencelist=('plain',)) is None)":
        "{what} 返回了 {got}，期望 ''（没有 text/plain 部分：msg.get_body(preferencelist=('plain',)) 是 None）",
    "text_body(<{label}>) returned {got}, expected {expected!r}: the body is the first "
    "text/plain part that is not an attachment (msg.get_body(preferencelist=('plain',)))":
        "text_body(<{label}>) 返回了 {got}，期望 {expected!r}：正文是第一个不是附件的 text/plain 部分"
        "（msg.get_body(preferencelist=('plain',))）",
    "{what} returned {got}, expected {expected!r}. part.get_filename() "
    "decodes RFC 2231 (filename*=utf-8''...); an =?charset?b?...?= name still needs decode_header_value; "
    "the size is len(part.get_payload(decode=True))":
        "{what} 返回了 {got}，期望 {expected!r}。part.get_filename() 会解码 RFC 2231 形式的文件名"
        "（filename*=utf-8''...）；=?charset?b?...?= 形式的文件名还需要用 decode_header_value 解码；"
        "大小是 len(part.get_payload(decode=True))",
    "save_attachments must create {dest!r} when it is missing (os.makedirs)":
        "{dest!r} 不存在时，save_attachments 必须创建它（os.makedirs）",
    "save_attachments(raw, {dest!r}) returned {got}, expected {expected}":
        "save_attachments(raw, {dest!r}) 返回了 {got}，期望 {expected}",
    "{name} holds {size} bytes {start!r}..., expected {want_size} bytes":
        "{name} 中是 {size} 个字节 {start!r}...，期望 {want_size} 个字节",
    "files only inside {dest!r}":
        "文件只写在 {dest!r} 之内",
    "files written outside it: {escaped}":
        "有文件写到了它之外：{escaped}",
    "The names were: {names}":
        "这些附件名是：{names}",
    "{what} saved {saved}, expected {want}: keep the LAST part of each name (treat '\\\\' like '/') "
    "and save it inside the folder":
        "{what} 保存了 {saved}，期望 {want}：只保留每个名字的最后一部分（把 '\\\\' 当作 '/' 处理），"
        "并保存在文件夹之内",
    "{what} returned {got}: every path must be directly inside {dest!r}":
        "{what} 返回了 {got}：每个路径都必须直接位于 {dest!r} 之中",
    ": skip names that are '', '.' or '..'":
        "：请跳过 ''、'.' 或 '..' 这样的名字",
    "{what} left {names} in the folder, expected only ['ok.txt']":
        "{what} 在文件夹中留下了 {names}，期望只有 ['ok.txt']",
    "{what} returned {got}, expected [{path!r}]":
        "{what} 返回了 {got}，期望 [{path!r}]",
}
