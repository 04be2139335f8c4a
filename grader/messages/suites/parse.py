"""Chinese for exercises/05_pop3/test_parse.py (see grader.messages.texts)."""

ZH: dict[str, str] = {
    # -- descriptions --------------------------------------------------------------------------
    "decode_header_value turns RFC 2047 encoded words (any charset, B or Q) into text.":
        "decode_header_value 把 RFC 2047 编码字（任意字符集，B 或 Q 编码）解码为文本。",
    "text_body returns the text/plain part, decoded from its transfer encoding and charset.":
        "text_body 返回 text/plain 部分，并按它的传输编码和字符集解码。",
    "list_attachments gives (filename, size of the decoded bytes) for each attachment.":
        "list_attachments 为每个附件给出（文件名，解码后的字节数）。",
    "list_attachments of a message without attachments is an empty list.":
        "对没有附件的邮件，list_attachments 返回空列表。",
    "save_attachments writes gradient.png byte for byte into the folder and returns its path.":
        "save_attachments 把 gradient.png 逐字节原样写入文件夹，并返回它的路径。",
    "An attachment named '../../evil.txt' must not be written outside the folder.":
        "名为 '../../evil.txt' 的附件不能被写到文件夹之外。",
    # -- assertions ----------------------------------------------------------------------------
    "decode_header_value({value!r}) returned {got!r}, expected {expected!r}. "
    "email.header.decode_header(value) gives (bytes, charset) pieces; "
    "str(email.header.make_header(pieces)) decodes and joins them (no space between two encoded words)":
        "decode_header_value({value!r}) 返回了 {got!r}，期望 {expected!r}。"
        "email.header.decode_header(value) 给出若干 (bytes, charset) 片段；"
        "str(email.header.make_header(pieces)) 会把它们解码并拼接起来（两个相邻的编码字之间没有空格）",
    "text_body(...) returned a {kind}, expected str":
        "text_body(...) 返回了 {kind}，期望 str",
    "text_body(...) kept the \\r\\n line endings of the raw message: return them as \\n":
        "text_body(...) 保留了原始邮件中的 \\r\\n 换行符：请把它们换成 \\n 再返回",
    "text_body(...) returned {got!r}..., expected {expected!r}... "
    "Parse with email.message_from_bytes(raw, policy=email.policy.default), then "
    "msg.get_body(preferencelist=('plain',)).get_content(): it undoes base64 and the charset (gbk here)":
        "text_body(...) 返回了 {got!r}...，期望 {expected!r}...。"
        "请用 email.message_from_bytes(raw, policy=email.policy.default) 解析，再调用 "
        "msg.get_body(preferencelist=('plain',)).get_content()：它会撤销 base64 编码，并按字符集（这里是 gbk）解码",
    "list_attachments(...) returned {got!r}, expected {expected!r}. The size is that of the decoded "
    "bytes (part.get_payload(decode=True)), not of the base64 text":
        "list_attachments(...) 返回了 {got!r}，期望 {expected!r}。大小指的是解码后字节串的长度"
        "（part.get_payload(decode=True)），而不是 base64 文本的长度",
    "list_attachments(...) of a plain text message returned {got!r}, expected []":
        "对纯文本邮件，list_attachments(...) 返回了 {got!r}，期望 []",
    "save_attachments(raw, {dest!r}) returned {got!r}, expected [{path!r}] "
    "(os.path.join(dest_dir, filename) for each file written)":
        "save_attachments(raw, {dest!r}) 返回了 {got!r}，期望 [{path!r}]"
        "（每写入一个文件，就给出它的 os.path.join(dest_dir, filename)）",
    "{path} was not written":
        "没有写入 {path}",
    "{name} holds {size} bytes {start!r}..., expected {want_size} bytes "
    "{want_start!r}...: write part.get_payload(decode=True) to a file opened with 'wb'":
        "{name} 中是 {size} 个字节 {start!r}...，期望 {want_size} 个字节 {want_start!r}...："
        "请把 part.get_payload(decode=True) 写入用 'wb' 打开的文件",
    "save_attachments wrote other files too: {files}":
        "save_attachments 还写入了其他文件：{files}",
    "save_attachments wrote {outside}, outside {dest!r}: the filename comes from the sender. "
    "Keep only os.path.basename(filename) and check the final path is inside dest_dir":
        "save_attachments 写入了 {outside}，它在 {dest!r} 之外：文件名来自发件人。"
        "只保留 os.path.basename(filename)，并检查最终路径在 dest_dir 之内",
    "save_attachments(...) returned {got!r}, expected a list of paths":
        "save_attachments(...) 返回了 {got!r}，期望一个路径列表",
    "save_attachments returned {path!r}, which is not directly inside {dest!r}":
        "save_attachments 返回了 {path!r}，它不是直接位于 {dest!r} 之中",
}
