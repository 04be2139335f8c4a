"""Chinese for exercises/01_udp/test_udp_server.py (see grader.messages.texts)."""

ZH: dict[str, str] = {
    # -- descriptions --------------------------------------------------------------------------
    'make_udp_socket("127.0.0.1", 0) returns a UDP socket bound to 127.0.0.1 on a free port.':
        'make_udp_socket("127.0.0.1", 0) 返回一个 UDP 套接字，绑定在 127.0.0.1 的一个空闲端口上。',
    'serve_once answers b"hello" with b"echo: hello" and returns "hello".':
        'serve_once 对 b"hello" 回复 b"echo: hello"，并返回 "hello"。',
    'A datagram that is not UTF-8 gets the reply b"error: not UTF-8" and serve_once returns "".':
        '不是 UTF-8 的数据报得到回复 b"error: not UTF-8"，serve_once 返回 ""。',
    "serve(sock, 3) answers three datagrams in a row, even when the second is not UTF-8.":
        "serve(sock, 3) 连续回复三个数据报，即使第二个不是 UTF-8 也一样。",
    # -- assertions ----------------------------------------------------------------------------
    "{call} returned a socket that is not bound to a port: call sock.bind((host, port))":
        "{call} 返回的套接字没有绑定到端口：请调用 sock.bind((host, port))",
    "{what} raised {error} on a datagram that is not UTF-8.\n\nYour traceback:\n{traceback}\n\n":
        "{what} 收到不是 UTF-8 的数据报时抛出了 {error}。\n\n你的代码的回溯信息：\n{traceback}\n\n",
    "{what}: no reply to datagram {n} ({data!r}) within {seconds} s. Reply with "
    "sock.sendto(reply_bytes, addr), using the addr that recvfrom() returned.":
        "{what}：第 {n} 个数据报（{data!r}）在 {seconds} 秒内没有得到回复。"
        "请用 sock.sendto(reply_bytes, addr) 回复，其中 addr 是 recvfrom() 返回的地址。",
    "{what}: datagram {n} ({data!r}) got the reply {got!r}, expected {want!r}":
        "{what}：第 {n} 个数据报（{data!r}）得到的回复是 {got!r}，期望 {want!r}",
    "{call} returned {value!r}, not a socket":
        "{call} 返回了 {value!r}，而不是套接字",
    "{call} returned a closed socket: don't close it, the server still needs it":
        "{call} 返回了一个已关闭的套接字：不要关闭它，服务器还要用它",
    "{call} returned a {kind} socket: UDP needs socket.SOCK_DGRAM (SOCK_STREAM is TCP)":
        "{call} 返回了一个 {kind} 套接字：UDP 需要 socket.SOCK_DGRAM（SOCK_STREAM 是 TCP）",
    "{call} returned a socket bound to {laddr!r}: expected ('127.0.0.1', <a port > 0>). "
    "Did you call sock.bind((host, port))?":
        "{call} 返回的套接字绑定在 {laddr!r}：期望 ('127.0.0.1', <大于 0 的端口>)。"
        "你调用 sock.bind((host, port)) 了吗？",
    "serve_once(sock) returned {value!r}, expected 'hello' (the decoded text)":
        "serve_once(sock) 返回了 {value!r}，期望 'hello'（解码后的文本）",
    "the test expected exactly one reply datagram, b'echo: hello'":
        "测试期望恰好收到一个回复数据报：b'echo: hello'",
    "serve_once(sock) returned {value!r} for a datagram that is not UTF-8, expected ''":
        "对于不是 UTF-8 的数据报，serve_once(sock) 返回了 {value!r}，期望 ''",
    "serve(sock, 3) should return after answering 3 datagrams.":
        "serve(sock, 3) 应该在回复 3 个数据报之后返回。",
}
