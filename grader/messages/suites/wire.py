"""Chinese for exercises/00_basics/test_wire.py (see grader.messages.texts)."""

ZH: dict[str, str] = {
    # -- descriptions --------------------------------------------------------------------------
    'to_bytes("hello") gives the bytes b"hello".':
        'to_bytes("hello") 得到字节串 b"hello"。',
    "to_bytes encodes Chinese text as UTF-8 (3 bytes per character).":
        "to_bytes 把中文文本编码为 UTF-8（每个汉字 3 个字节）。",
    "to_text turns UTF-8 bytes (ASCII and Chinese) back into the same text.":
        "to_text 把 UTF-8 字节串（ASCII 和中文）还原为原来的文本。",
    "to_text raises UnicodeDecodeError on bytes that are not UTF-8 (it must not hide them).":
        "遇到不是 UTF-8 的字节串时，to_text 抛出 UnicodeDecodeError（不能把错误藏起来）。",
    'split_address("127.0.0.1:8080") gives ("127.0.0.1", 8080), the port as an int.':
        'split_address("127.0.0.1:8080") 得到 ("127.0.0.1", 8080)，端口是 int。',
    "Ports 0 and 65535 are valid; an IPv6 host in brackets loses its brackets.":
        "端口 0 和 65535 都是合法的；方括号中的 IPv6 主机要去掉方括号。",
    "split_address raises ValueError when the port is missing, not a number, or out of range.":
        "端口缺失、不是数字或超出范围时，split_address 抛出 ValueError。",
    "port_category names each port range correctly, including the first and last port of each.":
        "port_category 正确地给出每个端口范围的名称，包括每个范围的第一个和最后一个端口。",
    "port_category raises ValueError for numbers outside 0-65535.":
        "对于 0-65535 之外的数字，port_category 抛出 ValueError。",
    # -- assertions ----------------------------------------------------------------------------
    "to_bytes('hello') returned a {kind} ({value!r}), not bytes: use text.encode('utf-8')":
        "to_bytes('hello') 返回了 {kind}（{value!r}），而不是 bytes：请使用 text.encode('utf-8')",
    "to_bytes('hello') returned {value!r}, expected b'hello'":
        "to_bytes('hello') 返回了 {value!r}，期望 b'hello'",
    "to_bytes({text!r}) returned {value!r}, expected the UTF-8 bytes {expected!r} ({size} bytes). "
    "Another encoding (GBK, the system default) or errors='ignore' gives different bytes: "
    "always encode with 'utf-8'.":
        "to_bytes({text!r}) 返回了 {value!r}，期望 UTF-8 字节串 {expected!r}（{size} 个字节）。"
        "其他编码（GBK、系统默认编码）或 errors='ignore' 会得到不同的字节：请始终用 'utf-8' 编码。",
    "to_text(b'hello') returned {value!r}, expected 'hello'":
        "to_text(b'hello') 返回了 {value!r}，期望 'hello'",
    "to_text({data!r}) returned {value!r}, expected {text!r}: decode with 'utf-8'":
        "to_text({data!r}) 返回了 {value!r}，期望 {text!r}：请用 'utf-8' 解码",
    "split_address({addr!r}) returned {value!r}: expected a (host, port) tuple":
        "split_address({addr!r}) 返回了 {value!r}：期望一个 (host, port) 元组",
    "split_address({addr!r}) returned the port {port!r} ({kind}): bind() and connect() need an int, "
    "convert it with int()":
        "split_address({addr!r}) 返回的端口是 {port!r}（{kind}）：bind() 和 connect() 需要 int，请用 int() 转换",
    "split_address({addr!r}) returned {value!r}, expected {expected!r}":
        "split_address({addr!r}) 返回了 {value!r}，期望 {expected!r}",
    "split_address({addr!r}) returned {value!r}, expected {expected!r} "
    "(the port is what follows the LAST colon)":
        "split_address({addr!r}) 返回了 {value!r}，期望 {expected!r}（端口是最后一个冒号之后的部分）",
    "port_category({port}) returned {value!r}, expected {expected!r} "
    "(well-known 0-1023, registered 1024-49151, dynamic 49152-65535: both ends included)":
        "port_category({port}) 返回了 {value!r}，期望 {expected!r}"
        "（well-known 0-1023，registered 1024-49151，dynamic 49152-65535：两端都包含在内）",
}
