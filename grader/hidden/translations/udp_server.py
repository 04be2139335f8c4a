"""Chinese for grader/hidden/01_udp/test_udp_server_hidden.py (see grader.messages.texts)."""

ZH: dict[str, str] = {
    # -- descriptions --------------------------------------------------------------------------
    "make_udp_socket binds the port passed to it: two sockets on port 0 differ, a chosen port is used.":
        "make_udp_socket 绑定传给它的端口：用端口 0 创建的两个套接字端口不同，指定的端口被原样使用。",
    "make_udp_socket raises OSError when the port is already taken (no silent fallback to another port).":
        "端口已被占用时，make_udp_socket 抛出 OSError（不会悄悄改用别的端口）。",
    "A datagram of tens of kilobytes is echoed back whole (recvfrom needs a big enough buffer).":
        "几十 KB 的数据报被完整地回显（recvfrom 需要足够大的缓冲区）。",
    "Chinese text and emoji are decoded, returned as text, and echoed back as UTF-8 bytes.":
        "中文和 emoji 被解码、作为文本返回，并以 UTF-8 字节串回显。",
    'An empty datagram is a datagram too: it gets the reply b"echo: " and serve_once returns "".':
        '空数据报也是数据报：它得到回复 b"echo: "，serve_once 返回 ""。',
    "serve(sock, 5) answers every datagram, even after three that are not UTF-8, then returns.":
        "serve(sock, 5) 回复每一个数据报（即使前面有三个不是 UTF-8 的），然后返回。",
    "serve(sock, 2) answers exactly two datagrams and returns; a third one gets no reply.":
        "serve(sock, 2) 恰好回复两个数据报后返回；第三个数据报得不到回复。",
    # -- assertions ----------------------------------------------------------------------------
    "no reply datagram arrived: your server raised {error}":
        "没有收到回复数据报：你的服务器抛出了 {error}",
    "make_udp_socket('127.0.0.1', 0) twice":
        "make_udp_socket('127.0.0.1', 0)（调用两次）",
    "two sockets, each on its own free port (port 0 = let the OS choose)":
        "两个套接字，各自使用一个空闲端口（端口 0 表示由操作系统选择）",
    "the first was bound to {where!r}, the second failed: {error}":
        "第一个绑定在 {where!r}，第二个失败了：{error}",
    "Bind (host, port) from the arguments, not a fixed port.":
        "请绑定参数传入的 (host, port)，而不是固定的端口。",
    "make_udp_socket returned {value!r}: expected an open, bound socket":
        "make_udp_socket 返回了 {value!r}：期望一个打开的、已绑定的套接字",
    "two different free ports":
        "两个不同的空闲端口",
    "both bound to {first!r} and {second!r}":
        "两个套接字分别绑定在 {first!r} 和 {second!r}",
    "a socket bound to ('127.0.0.1', {port})":
        "绑定在 ('127.0.0.1', {port}) 的套接字",
    "a socket bound to {laddr!r}":
        "绑定在 {laddr!r} 的套接字",
    "A client sending to the port it was told would never reach this server.":
        "客户端按照被告知的端口发送数据，永远到达不了这个服务器。",
    "three free ports in a row were taken by someone else before the test could use them":
        "连续三个空闲端口都在测试使用之前被其他程序占用了",
    "serve_once(sock) with one datagram of {size} bytes":
        "serve_once(sock)（收到一个 {size} 字节的数据报）",
    "{total} bytes: b'echo: ' + the {size} bytes sent":
        "{total} 个字节：b'echo: ' 加上发送的 {size} 个字节",
    "no reply: your server raised {error}":
        "没有回复：你的服务器抛出了 {error}",
    "{size} bytes: {shown}":
        "{size} 个字节：{shown}",
    "Your server received only the first {size} bytes of the datagram.":
        "你的服务器只收到了数据报的前 {size} 个字节。",
    "{what}: expected the reply {expected}, got {got}":
        "{what}：期望回复 {expected}，实际：{got}",
    "no reply":
        "没有回复",
    "{what} returned {shown} ({count} characters), expected the {size} characters received":
        "{what} 返回了 {shown}（{count} 个字符），期望返回收到的 {size} 个字符",
    "serve_once(sock) with {data}":
        "serve_once(sock)（收到 {data}）",
    "{what}: the reply was {got}, expected {want} (encode the reply with 'utf-8')":
        "{what}：回复是 {got}，期望 {want}（请用 'utf-8' 编码回复）",
    "{what} returned {value!r}, expected {text!r}":
        "{what} 返回了 {value!r}，期望 {text!r}",
    "serve_once(sock) with an empty datagram b''":
        "serve_once(sock)（收到空数据报 b''）",
    "{what}: the reply was {got}, expected b'echo: '. In UDP b'' is a real (empty) datagram, "
    "not the end of anything: answer it like any other.":
        "{what}：回复是 {got}，期望 b'echo: '。在 UDP 中，b'' 是一个真实存在的（空）数据报，"
        "并不表示任何东西结束了：像其他数据报一样回复它。",
    "{what} returned {value!r}, expected ''":
        "{what} 返回了 {value!r}，期望 ''",
    "replies {replies}; then your server stopped with {error}":
        "收到的回复是 {replies}；随后你的服务器因 {error} 停止了",
    "replies {replies}: no reply after the first datagram that is not UTF-8":
        "收到的回复是 {replies}：第一个不是 UTF-8 的数据报之后就再也没有回复",
    "The datagram after the bad ones must still be answered.":
        "错误数据报之后的数据报仍然必须得到回复。",
    "serve(sock, 5) should return after 5 datagrams (the bad ones count too).":
        "serve(sock, 5) 应该在处理 5 个数据报之后返回（错误的数据报也要计数）。",
    "{what}: datagram {n} ({data}) got the reply {got}, expected {want}":
        "{what}：第 {n} 个数据报（{data}）得到的回复是 {got}，期望 {want}",
    " (a datagram that is not UTF-8 gets b'error: not UTF-8')":
        "（不是 UTF-8 的数据报应得到回复 b'error: not UTF-8'）",
    "{what} answered a third datagram ({third}): it should return after 2. "
    "Count the datagrams you handled and stop when the count reaches max_datagrams.":
        "{what} 回复了第三个数据报（{third}）：它应该在处理 2 个数据报之后返回。"
        "请统计已处理的数据报个数，达到 max_datagrams 时停止。",
    "serve(sock, 2) should return after answering 2 datagrams.":
        "serve(sock, 2) 应该在回复 2 个数据报之后返回。",
    "{what}: the replies were {got}, expected [b'echo: one', b'echo: two']":
        "{what}：收到的回复是 {got}，期望 [b'echo: one', b'echo: two']",
}
