"""Chinese for grader/hidden/02_tcp/test_tcp_server_hidden.py (see grader.messages.texts)."""

ZH: dict[str, str] = {
    # -- descriptions --------------------------------------------------------------------------
    "Two listeners on port 0 get two different free ports, each with SO_REUSEADDR, both listening.":
        "在端口 0 上创建的两个监听套接字得到两个不同的空闲端口，都设置了 SO_REUSEADDR，并且都在监听。",
    "A server restarted on the port it just used (its last connection still in TIME_WAIT) binds again.":
        "服务器在刚用过的端口上重启（上一个连接仍处于 TIME_WAIT 状态）时，能再次绑定这个端口。",
    "After its reply, handle_client closes the connection, even while the program goes on running.":
        "回复之后，handle_client 关闭连接，即使程序还在继续运行。",
    "handle_client stops reading when recv() returns b'' (the client half-closed) and replies at once.":
        "recv() 返回 b''（客户端已半关闭）时，handle_client 停止读取并立即回复。",
    "A 200 KB request (far more than one recv(4096)) is read whole before the reply.":
        "200 KB 的请求（远超一次 recv(4096) 能读到的量）在回复之前被完整读取。",
    "A 1 MB reply to a client that is slow to read arrives complete (every byte).":
        "发给读取缓慢的客户端的 1 MB 回复完整到达（一个字节都不少）。",
    'A client that sends nothing and half-closes gets b"Received: " and handle_client returns "".':
        '什么都不发送就半关闭的客户端得到 b"Received: "，handle_client 返回 ""。',
    'Bytes that are not UTF-8 get the reply b"error: not UTF-8" (the connection still closes).':
        '不是 UTF-8 的字节串得到回复 b"error: not UTF-8"（连接照样关闭）。',
    "serve(listener) without max_clients answers three clients in a row and is still serving after them.":
        "不带 max_clients 的 serve(listener) 连续回复三个客户端，之后仍在继续服务。",
    "A client that sends half a request and then resets the connection does not stop serve(listener, 2).":
        "客户端发送了半个请求后重置连接，这不会让 serve(listener, 2) 停下来。",
    # -- assertions ----------------------------------------------------------------------------
    "The client half-closed after its request, so from then on your recv() returns b''. ":
        "客户端发完请求后已半关闭，所以此后你的 recv() 会返回 b''。",
    "The client waited {seconds:g} s and got no reply ({error}). ":
        "客户端等待了 {seconds:g} 秒，没有收到回复（{error}）。",
    "two listeners, each on its own free port (port 0 = let the OS choose)":
        "两个监听套接字，各自使用一个空闲端口（端口 0 表示由操作系统选择）",
    "the second one failed: {error}":
        "第二个失败了：{error}",
    "make_listener('127.0.0.1', 0) returned {info!r}: expected an open listening socket":
        "make_listener('127.0.0.1', 0) 返回了 {info!r}：期望一个打开的监听套接字",
    "SO_REUSEADDR = 1 on the listening socket":
        "监听套接字上 SO_REUSEADDR = 1",
    "SO_REUSEADDR = 0 (not set)":
        "SO_REUSEADDR = 0（未设置）",
    "make_listener returned a socket that is not listening":
        "make_listener 返回的套接字没有处于监听状态",
    "two different free ports":
        "两个不同的空闲端口",
    "{first!r} and {second!r}":
        "{first!r} 和 {second!r}",
    "the test's client never saw the server close the connection: {error}":
        "测试的客户端始终没有看到服务器关闭连接：{error}",
    "a new listener on port {port}, which a moment ago served a client":
        "端口 {port} 上的一个新监听套接字（这个端口刚刚服务过一个客户端）",
    "The closed connection still holds the port for a while (TIME_WAIT); "
    "SO_REUSEADDR lets a new listener bind it anyway.":
        "已关闭的连接还会占用这个端口一段时间（TIME_WAIT）；SO_REUSEADDR 让新的监听套接字照样可以绑定它。",
    "{call} returned {info!r}: expected a listener on port {port}":
        "{call} 返回了 {info!r}：期望一个在端口 {port} 上的监听套接字",
    "the reply b'Received: first', then the end of the connection":
        "先收到回复 b'Received: first'，然后连接结束",
    "the reply {reply}, then nothing for {seconds:g} s ({error})":
        "收到回复 {reply}，之后 {seconds:g} 秒内什么也没有（{error}）",
    "Here the program keeps running after handle_client returns (like a server waiting for its next "
    "client), so nothing closes the connection for you.":
        "这里 handle_client 返回后程序还在继续运行（就像服务器在等待下一个客户端），"
        "所以不会有任何东西替你关闭连接。",
    "{call}: the client sent {request!r} and got {reply}":
        "{call}：客户端发送了 {request!r}，收到的是 {reply}",
    ", expected {expected!r} then the end":
        "，期望先收到 {expected!r}，然后连接结束",
    "The client sent b'hello' and got {reply} ({error}). ":
        "客户端发送了 b'hello'，收到的是 {reply}（{error}）。",
    "no error":
        "没有错误",
    "{call}: the client got {reply} ({error}), expected b'Received: hello' and the end":
        "{call}：客户端收到的是 {reply}（{error}），期望先收到 b'Received: hello'，然后连接结束",
    "{call} returned {value}, expected 'hello'":
        "{call} 返回了 {value}，期望 'hello'",
    "a reply to all {size} bytes":
        "对全部 {size} 个字节的回复",
    "a reply to the first {size} bytes only":
        "只对前 {size} 个字节的回复",
    "; then it stopped reading: {error}":
        "；之后服务器不再读取：{error}",
    "{call}: a {size}-byte request got {got} bytes back ({start}...), "
    "expected b'Received: ' + the request ({error})":
        "{call}：{size} 字节的请求得到了 {got} 个字节的回复（{start}...），"
        "期望 b'Received: ' 加上请求本身（{error}）",
    "{call} did not return the whole request as text":
        "{call} 没有把完整的请求作为文本返回",
    "client role, slow reader":
        "client role，读取缓慢的客户端",
    "a reply of {size} bytes":
        "{size} 个字节的回复",
    "the client received only the first {size} bytes":
        "客户端只收到了前 {size} 个字节",
    "The client did not read for a moment, so send() could pass only what fit in the buffers; "
    "the rest was never sent.":
        "客户端有一会儿没有读取，所以 send() 只能交出缓冲区装得下的部分；其余的数据根本没有发出去。",
    "{call}: the client received {got} bytes, expected the {size} bytes of b'Received: ' + the request {error}":
        "{call}：客户端收到了 {got} 个字节，期望 b'Received: ' 加上请求共 {size} 个字节 {error}",
    "{call}: the empty request got {reply} ({error}), expected b'Received: '":
        "{call}：空请求得到的是 {reply}（{error}），期望 b'Received: '",
    "{call} returned {value}, expected ''":
        "{call} 返回了 {value}，期望 ''",
    "{call}: the request {bad!r} got {reply} ({error}), expected b'error: not UTF-8'. "
    "Catch UnicodeDecodeError and reply with the error.":
        "{call}：请求 {bad!r} 得到的是 {reply}（{error}），期望 b'error: not UTF-8'。"
        "请捕获 UnicodeDecodeError 并回复这条错误。",
    "the reply, then the end of the connection for client {n}":
        "客户端 {n} 先收到回复，然后连接结束",
    "Your serve raised {error} after the first client.":
        "你的 serve 在第一个客户端之后抛出了 {error}。",
    "Your serve returned after the first client.":
        "你的 serve 在第一个客户端之后就返回了。",
    "client {n} answered like client 1":
        "客户端 {n} 像客户端 1 一样得到回复",
    "client 1 was answered, client {n} got: {error}":
        "客户端 1 得到了回复，客户端 {n} 得到的是：{error}",
    "{what}: client {n} sent {request!r} and got {reply} ({error})":
        "{what}：客户端 {n} 发送了 {request!r}，收到的是 {reply}（{error}）",
    "{what} returned after 3 clients: without max_clients it must serve forever":
        "{what} 在 3 个客户端之后返回了：没有 max_clients 时，它必须一直服务下去",
    "client role, resets":
        "client role，重置连接的客户端",
    "{what} stopped when the first client reset its connection: {error}\n\n"
    "The next client got {reply} ({talk_error}). Catch OSError (ConnectionResetError, "
    "BrokenPipeError, TimeoutError) around handle_client(conn), close that connection, "
    "and go on with the next client.\n\nYour traceback:\n{traceback}":
        "第一个客户端重置连接时，{what} 停止了：{error}\n\n"
        "下一个客户端收到的是 {reply}（{talk_error}）。请在 handle_client(conn) 外面捕获 OSError"
        "（ConnectionResetError、BrokenPipeError、TimeoutError），关闭那个连接，然后继续服务下一个客户端。"
        "\n\n你的代码的回溯信息：\n{traceback}",
    "{what}: after a client reset its connection, the next client got {reply} ({error}), "
    "expected b'Received: polite'":
        "{what}：一个客户端重置连接之后，下一个客户端收到的是 {reply}（{error}），期望 b'Received: polite'",
    "{what} should return after the two clients.":
        "{what} 应该在两个客户端之后返回。",
    "{call} returned {value} without replying: the client sent its request, half-closed "
    "and got nothing in {seconds:g} s ({error})":
        "{call} 没有回复就返回了 {value}：客户端发送了请求并半关闭了连接，{seconds:g} 秒内什么也没收到（{error}）",
    "{what} returned {value} before its first client could send a request ({error}): "
    "it must accept and answer max_clients clients, then return":
        "{what} 在第一个客户端发出请求之前就返回了 {value}（{error}）："
        "它必须接受并回复 max_clients 个客户端，然后才返回",
}
