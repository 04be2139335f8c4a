"""Chinese for exercises/02_tcp/test_tcp_server.py (see grader.messages.texts)."""

ZH: dict[str, str] = {
    # -- descriptions --------------------------------------------------------------------------
    'make_listener("127.0.0.1", 0) returns a TCP socket with SO_REUSEADDR, bound and listening.':
        'make_listener("127.0.0.1", 0) 返回一个设置了 SO_REUSEADDR、已绑定并处于监听状态的 TCP 套接字。',
    'handle_client answers the request b"hi" with b"Received: hi", closes the connection, returns "hi".':
        'handle_client 对请求 b"hi" 回复 b"Received: hi"，关闭连接，并返回 "hi"。',
    "A request sent one byte at a time (Chinese text too) is read whole before the reply.":
        "逐字节发送的请求（包括中文文本）在回复之前被完整读取。",
    "serve(listener, max_clients=2) answers two clients one after the other and keeps the listener open.":
        "serve(listener, max_clients=2) 依次回复两个客户端，并让监听套接字保持打开。",
    # -- assertions ----------------------------------------------------------------------------
    "{what}: the client sent its request and got the reply {reply!r}, expected {expected!r}":
        "{what}：客户端发送请求后得到的回复是 {reply!r}，期望 {expected!r}",
    "{what}: the reply was right but the connection was not closed ({error}). ":
        "{what}：回复正确，但连接没有关闭（{error}）。",
    "{call} returned {value!r}, not a socket":
        "{call} 返回了 {value!r}，而不是套接字",
    "{call} returned a closed socket: the server still needs it":
        "{call} 返回了一个已关闭的套接字：服务器还要用它",
    "{call} returned a {kind} socket: TCP needs socket.SOCK_STREAM (SOCK_DGRAM is UDP)":
        "{call} 返回了一个 {kind} 套接字：TCP 需要 socket.SOCK_STREAM（SOCK_DGRAM 是 UDP）",
    "{call} returned a socket bound to {laddr!r}: expected ('127.0.0.1', <a port > 0>). "
    "Did you call sock.bind((host, port))?":
        "{call} 返回的套接字绑定在 {laddr!r}：期望 ('127.0.0.1', <大于 0 的端口>)。"
        "你调用 sock.bind((host, port)) 了吗？",
    "{call}: SO_REUSEADDR is not set. ":
        "{call}：没有设置 SO_REUSEADDR。",
    "{call}: the socket is not listening: call sock.listen(backlog)":
        "{call}：套接字没有处于监听状态：请调用 sock.listen(backlog)",
    "Read until recv() returns b'' (the client half-closed), then reply.":
        "一直读到 recv() 返回 b''（客户端已半关闭），然后再回复。",
    "handle_client(conn) returned {value!r}, expected 'hi' (the decoded request)":
        "handle_client(conn) 返回了 {value!r}，期望 'hi'（解码后的请求）",
    "handle_client(conn) returned without closing the connection. ":
        "handle_client(conn) 返回了，但没有关闭连接。",
    "handle_client(conn) with a request sent one byte at a time":
        "handle_client(conn)（请求逐字节发送）",
    "handle_client(conn) returned {value!r}, expected 'hello, 世界'. ":
        "handle_client(conn) 返回了 {value!r}，期望 'hello, 世界'。",
    "{what} should return after serving 2 clients.":
        "{what} 应该在服务完 2 个客户端之后返回。",
    "{failure}\n\nThe second client got: {error}. ":
        "{failure}\n\n第二个客户端得到的是：{error}。",
    "{what}, first client":
        "{what}，第一个客户端",
    "{what}: the second client was refused. ":
        "{what}：第二个客户端的连接被拒绝了。",
    "{what}, second client":
        "{what}，第二个客户端",
    "{what} closed the listening socket. ":
        "{what} 关闭了监听套接字。",
}
