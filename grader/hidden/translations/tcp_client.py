"""Chinese for grader/hidden/02_tcp/test_tcp_client_hidden.py (see grader.messages.texts)."""

ZH: dict[str, str] = {
    # -- descriptions --------------------------------------------------------------------------
    "A reply the server sends one byte at a time (slowly) is returned whole, not just its first byte.":
        "服务器（缓慢地）一次只发送一个字节的回复被完整返回，而不是只有第一个字节。",
    "A Chinese reply sent one byte at a time (characters split between pieces) is decoded correctly.":
        "一次只发送一个字节的中文回复（字符被拆在不同的段里）被正确解码。",
    "A reply of about 200 KB (far more than one recv(4096)) is returned whole.":
        "约 200 KB 的回复（远多于一次 recv(4096) 能收到的）被完整返回。",
    'tcp_request with "" sends nothing, half-closes, and returns the reply "Received: ".':
        'tcp_request 传入 "" 时什么也不发送，然后半关闭，并返回回复 "Received: "。',
    "A 2 MB request to a server that is slow to read arrives complete (every byte, in order).":
        "发给读取缓慢的服务器的 2 MB 请求完整到达（每一个字节，按顺序）。",
    "tcp_request signals the end of its request (half-close) right after sending it, then gets the reply.":
        "tcp_request 发送完请求后立即表明请求结束（半关闭），然后接收回复。",
    "Two servers on two different ports each get their own request.":
        "两个不同端口上的两个服务器各自收到属于自己的请求。",
    "A server that takes too long to answer makes tcp_request raise TimeoutError after `timeout` seconds.":
        "服务器迟迟不回复时，tcp_request 在 `timeout` 秒后抛出 TimeoutError。",
    # -- assertions ----------------------------------------------------------------------------
    "the request ({size} bytes), then the end of the request (shutdown(SHUT_WR))":
        "请求（{size} 个字节），然后是请求结束的信号（shutdown(SHUT_WR)）",
    "the server received {data} and then waited for more: the end of the "
    "request came only when your socket was closed, ":
        "服务器收到了 {data}，然后一直等待更多数据：直到你的套接字被关闭，请求才算结束，",
    "after the test stopped your code":
        "那已经是测试停止你的代码之后了",
    "after your {exc}":
        "那已经是你的代码抛出 {exc} 之后了",
    "The server replies only once it knows the request is complete.":
        "服务器只有在知道请求已经完整之后才会回复。",
    "tcp_request returns once recv() returns b'' (the server closed the connection)":
        "recv() 返回 b''（服务器关闭了连接）后，tcp_request 就返回",
    "the server sent {data} and closed the connection, but "
    "tcp_request was still running {seconds:.1f} s later":
        "服务器发送了 {data} 并关闭了连接，但 {seconds:.1f} 秒之后 tcp_request 仍在运行",
    "A loop that waits for '' (str) never ends: recv() returns b'' again and again.":
        "等待 ''（str）的循环永远不会结束：recv() 会一次又一次地返回 b''。",
    "{called}: the connection to the server was never closed":
        "{called}：与服务器的连接一直没有关闭",
    "{called} should open exactly one connection, the server saw {count}":
        "{called} 应该只打开一个连接，服务器却看到了 {count} 个",
    "The server sent {size} bytes, one per send(); its transcript shows "
    "{data} sent before your client hung up.":
        "服务器发送了 {size} 个字节，每次 send() 一个；它的通信记录显示，在你的客户端断开之前已发送了 {data}。",
    "{called} returned {value}, expected {expected!r}":
        "{called} 返回了 {value}，期望 {expected!r}",
    "{called} raised {exc}\n\nEach Chinese character is 3 bytes in UTF-8 and the "
    "reply came one byte per piece: decoding each piece separately cuts characters in "
    "half. Join all the pieces first (b''.join(chunks)), then decode once.\n\n"
    "Your traceback:\n{traceback}":
        "{called} 抛出了 {exc}\n\n每个汉字在 UTF-8 中占 3 个字节，而回复是一个字节一段到达的："
        "分别解码每一段会把字符切成两半。请先把所有段拼接起来（b''.join(chunks)），再一次性解码。\n\n"
        "你的代码的回溯信息：\n{traceback}",
    "the server received {got}, expected the UTF-8 bytes {want!r}":
        "服务器收到了 {got}，期望 UTF-8 字节串 {want!r}",
    "all {size} characters of the reply":
        "回复的全部 {size} 个字符",
    "only the first {size}":
        "只有前 {size} 个字符",
    "The server sent {size} bytes and then closed the connection.":
        "服务器发送了 {size} 个字节，然后关闭了连接。",
    "{called} returned {got} characters, expected the {size} characters the server sent":
        "{called} 返回了 {got} 个字符，期望服务器发送的 {size} 个字符",
    "the server received {got}, expected nothing":
        "服务器收到了 {got}，期望它什么也没收到",
    "{called} returned {value}, expected 'Received: '":
        "{called} 返回了 {value}，期望 'Received: '",
    "<2 MiB of text>":
        "<2 MiB 的文本>",
    "all {size} bytes of the request":
        "请求的全部 {size} 个字节",
    "the server received only the first {size} bytes":
        "服务器只收到了前 {size} 个字节",
    "The server did not read for a moment, so send() could pass only what fit in "
    "the buffers; the rest was never sent.":
        "服务器有一会儿没有读取数据，所以 send() 只能交出缓冲区装得下的部分；其余的数据根本没有发出去。",
    "{called}: the server received {got} bytes that differ from the "
    "{size} bytes of the request":
        "{called}：服务器收到了 {got} 个字节，与请求的 {size} 个字节不一致",
    "{called} returned {value}, expected 'Received {size} bytes'":
        "{called} 返回了 {value}，期望 'Received {size} bytes'",
    "{called}: the server never saw the end of the request. Notes: {notes}":
        "{called}：服务器一直没有看到请求结束。记录：{notes}",
    "{called}: the server must see the end of the request before it replies":
        "{called}：服务器必须先看到请求结束，然后才回复",
    "a connection to port {port}, where a server listens":
        "连接到端口 {port}，那里有服务器在监听",
    "that server saw no connection and your code raised {exc}":
        "那个服务器没有看到任何连接，而你的代码抛出了 {exc}",
    "a connection to port {port}":
        "连接到端口 {port}",
    "that server saw no connection; tcp_request returned {value}":
        "那个服务器没有看到任何连接；tcp_request 返回了 {value}",
    "{called} returned {value} although the server never answered: "
    "expected TimeoutError":
        "服务器从未回复，{called} 却返回了 {value}：期望抛出 TimeoutError",
    "The server waits 5 s before answering: with sock.settimeout(timeout) recv() "
    "raises TimeoutError after 0.5 s.":
        "服务器要等 5 秒才回复：设置了 sock.settimeout(timeout) 后，recv() 会在 0.5 秒后抛出 TimeoutError。",
}
