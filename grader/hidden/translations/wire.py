"""Chinese for grader/hidden/00_basics/test_wire_hidden.py (see grader.messages.texts)."""

ZH: dict[str, str] = {
    # -- descriptions --------------------------------------------------------------------------
    "to_bytes returns bytes (never str) for any text: empty, line endings, accents, Chinese, emoji.":
        "对任何文本，to_bytes 都返回 bytes（绝不是 str）：空文本、换行符、带重音的字母、中文、emoji。",
    "to_text gives back exactly the text whose UTF-8 bytes it receives (a str, not a repr).":
        "to_text 把收到的 UTF-8 字节串原样还原为文本（是 str，不是 repr）。",
    "to_text raises UnicodeDecodeError for every kind of invalid UTF-8 (no errors='ignore'/'replace').":
        "对每一种不合法的 UTF-8，to_text 都抛出 UnicodeDecodeError（不要用 errors='ignore'/'replace'）。",
    "split_address takes bracketed IPv6 hosts, 0.0.0.0, host names, and ports 0 to 65535.":
        "split_address 接受方括号中的 IPv6 主机、0.0.0.0、主机名，以及 0 到 65535 的端口。",
    "split_address raises ValueError for an empty host, a missing port, a port > 65535 or not decimal.":
        "主机为空、缺少端口、端口大于 65535 或不是十进制数时，split_address 抛出 ValueError。",
    'A port written with a sign or spaces ("+80", " 80", "-0") is not a decimal port number.':
        '带符号或空格的端口（"+80"、" 80"、"-0"）不是十进制端口号。',
    "port_category is right one step inside every range limit (1022/1025, 49150/49153, 65534).":
        "在每个范围边界往里一步的端口（1022/1025、49150/49153、65534），port_category 也给出正确结果。",
    "port_category raises ValueError for any number outside 0-65535, not just -1 and 65536.":
        "对 0-65535 之外的任何数字（不只是 -1 和 65536），port_category 都抛出 ValueError。",
    # -- assertions ----------------------------------------------------------------------------
    "to_bytes({text!r}) returned {value}, expected the UTF-8 bytes {expected}. "
    "Encode with text.encode('utf-8'), nothing added or dropped.":
        "to_bytes({text!r}) 返回了 {value}，期望 UTF-8 字节串 {expected}。"
        "请用 text.encode('utf-8') 编码，不要添加或丢弃任何内容。",
    "to_text({raw!r}) returned a {kind} ({value}), expected the str {text!r}: "
    "decode the bytes with data.decode('utf-8')":
        "to_text({raw!r}) 返回了 {kind}（{value}），期望 str {text!r}：请用 data.decode('utf-8') 解码字节串",
    "to_text({raw!r}) returned {value!r}, expected {text!r}":
        "to_text({raw!r}) 返回了 {value!r}，期望 {text!r}",
    " (str(data) gives the repr b'...', not the text: use data.decode('utf-8'))":
        "（str(data) 得到的是 repr 形式 b'...'，而不是文本：请使用 data.decode('utf-8')）",
    "split_address({addr!r}) returned {value!r}, expected {expected!r}. The port is what "
    "follows the LAST colon (addr.rpartition(':')), and '[...]' around an IPv6 host is removed.":
        "split_address({addr!r}) 返回了 {value!r}，期望 {expected!r}。端口是最后一个冒号之后的部分"
        "（addr.rpartition(':')），IPv6 主机外面的 '[...]' 要去掉。",
    "split_address({addr!r}) returned the port {port!r} as a {kind}: expected an int":
        "split_address({addr!r}) 返回的端口 {port!r} 是 {kind}：期望 int",
    "port_category({port}) returned {value!r}, expected {expected!r} "
    "(well-known 0-1023, registered 1024-49151, dynamic 49152-65535)":
        "port_category({port}) 返回了 {value!r}，期望 {expected!r}"
        "（well-known 0-1023，registered 1024-49151，dynamic 49152-65535）",
}
