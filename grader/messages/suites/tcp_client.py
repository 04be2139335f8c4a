"""Chinese for exercises/02_tcp/test_tcp_client.py (see grader.messages.texts)."""

ZH: dict[str, str] = {
    # -- descriptions --------------------------------------------------------------------------
    'tcp_request sends b"hello", half-closes, and returns the reply "Received: hello".':
        'tcp_request 发送 b"hello"，然后半关闭，并返回回复 "Received: hello"。',
    "Chinese text goes out as UTF-8 and the reply comes back decoded.":
        "中文文本以 UTF-8 编码发出，回复解码后返回。",
    "A reply sent one byte at a time is read until the server closes, not just the first piece.":
        "一次只发送一个字节的回复要一直读到服务器关闭连接为止，而不是只读第一段。",
    # -- assertions ----------------------------------------------------------------------------
    "{failure}\n\nThe server was still waiting for the end of your request: after sendall(), "
    "call sock.shutdown(socket.SHUT_WR) so that its recv() returns b''.":
        "{failure}\n\n服务器还在等待你的请求结束：请在 sendall() 之后调用 sock.shutdown(socket.SHUT_WR)，"
        "让服务器的 recv() 返回 b''。",
    "tcp_request should open exactly one connection, the server saw {count}":
        "tcp_request 应该只打开一个连接，服务器却看到了 {count} 个",
    "the server received {got!r}, expected b'hello' (text.encode('utf-8') with sendall)":
        "服务器收到了 {got!r}，期望 b'hello'（用 sendall 发送 text.encode('utf-8')）",
    "the server never saw the end of your request: call sock.shutdown(socket.SHUT_WR) after sendall()":
        "服务器一直没有看到你的请求结束：请在 sendall() 之后调用 sock.shutdown(socket.SHUT_WR)",
    "tcp_request returned {value!r}, expected 'Received: hello' (the whole reply, decoded)":
        "tcp_request 返回了 {value!r}，期望 'Received: hello'（解码后的完整回复）",
    "the server received {got!r}, expected the UTF-8 bytes of {text!r}":
        "服务器收到了 {got!r}，期望的是 {text!r} 的 UTF-8 字节串",
    "tcp_request returned {value!r}, expected {expected!r}":
        "tcp_request 返回了 {value!r}，期望 {expected!r}",
    "the server sent b'Received: hello' one byte at a time and tcp_request returned {value!r}. ":
        "服务器一次一个字节地发送了 b'Received: hello'，而 tcp_request 返回了 {value!r}。",
}
