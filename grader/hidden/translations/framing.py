"""Chinese for grader/hidden/02_tcp/test_framing_hidden.py (see grader.messages.texts)."""

ZH: dict[str, str] = {
    # -- descriptions --------------------------------------------------------------------------
    "An empty frame and a 1 MB frame go out exactly and both answers come back whole.":
        "一个空帧和一个 1 MB 的帧都被准确发出，两个回复都被完整收回。",
    "Payloads of 1, 255, 256 and 65,537 bytes get the headers 00000001, 000000ff, 00000100, 00010001.":
        "1、255、256 和 65,537 字节的载荷分别得到头部 00000001、000000ff、00000100、00010001。",
    "A 2 MB frame to a server that is slow to read arrives complete (header and every payload byte).":
        "发给一个读取缓慢的服务器的 2 MB 帧能完整到达（头部和载荷的每一个字节）。",
    "A 1 MB frame is returned whole: one recv() returns only what has arrived so far.":
        "1 MB 的帧被完整返回：一次 recv() 只返回目前已经到达的数据。",
    "Two frames that arrive together are returned one per recv_frame call, nothing lost or mixed.":
        "一起到达的两个帧由每次 recv_frame 调用各返回一个，既不丢失也不混淆。",
    'recv_exactly(conn, 0) returns b"" at once and leaves the bytes that follow for the next call.':
        'recv_exactly(conn, 0) 立即返回 b""，并把后面的字节留给下一次调用。',
    "recv_frame raises ConnectionError when the other side closes in the middle of a frame.":
        "对方在一个帧的中途关闭连接时，recv_frame 抛出 ConnectionError。",
    "A header announcing 4 GB (more than MAX_FRAME) makes recv_frame raise ValueError, not allocate it.":
        "头部声明 4 GB（超过 MAX_FRAME）时，recv_frame 抛出 ValueError，而不是去分配这么多内存。",
    # -- assertions ----------------------------------------------------------------------------
    "Once the other side has closed, recv() returns b'' at once, again and again. ":
        "对方关闭连接后，recv() 每次都会立即返回 b''。",
    "the frame server received {size} bytes starting {start}, expected "
    "{want}: b'\\x00\\x00\\x00\\x00' (the empty frame), then "
    "{header!r} ({big} as 4 bytes big-endian) and the payload":
        "帧服务器收到了 {size} 个字节，开头是 {start}，期望 {want} 个字节：先是 b'\\x00\\x00\\x00\\x00'"
        "（空帧），然后是 {header!r}（{big} 的 4 字节大端序表示）和载荷",
    "the whole answer, {size} bytes":
        "完整的回复，共 {size} 个字节",
    "{received} bytes":
        "{received} 个字节",
    "A 1 MB payload arrives in many pieces: loop in recv_exactly until you have n bytes.":
        "1 MB 的载荷会分成很多段到达：请在 recv_exactly 中循环，直到收齐 n 个字节。",
    "Both frames went out; the frame server answered each one. ":
        "两个帧都已发出；帧服务器对每个帧都作了回复。",
    "recv_frame(conn) returned {value} for the empty frame's answer, expected b'Received: '":
        "对于空帧的回复，recv_frame(conn) 返回了 {value}，期望 b'Received: '",
    "recv_frame(conn) returned {size} bytes for the 1 MB frame's answer, expected {want}":
        "对于 1 MB 帧的回复，recv_frame(conn) 返回了 {size} 个字节，期望 {want} 个",
    "send_frame(conn, <{size} bytes>): the header on the wire was {header!r}, "
    "expected {want!r} "
    "(struct.pack('!I', len(payload)): 4 bytes, big-endian, unsigned)":
        "send_frame(conn, <{size} bytes>)：实际发出的头部是 {header!r}，期望 {want!r}"
        "（struct.pack('!I', len(payload))：4 个字节、大端序、无符号）",
    "send_frame(conn, <{size} bytes>): the payload on the wire differs":
        "send_frame(conn, <{size} bytes>)：实际发出的载荷与给定的载荷不同",
    "after the four frames the test received {extra} more bytes: send_frame must "
    "send the header and the payload, nothing else":
        "在四个帧之后，测试又多收到了 {extra} 个字节：send_frame 只能发送头部和载荷，不能有别的",
    "all {size} bytes of the frame":
        "这个帧的全部 {size} 个字节",
    "the server received only the first {size} bytes":
        "服务器只收到了前 {size} 个字节",
    "The server did not read for a moment, so send() could pass only what fit in "
    "the buffers; the rest was never sent.":
        "服务器有一会儿没有读取数据，所以 send() 只能交出缓冲区装得下的部分；其余的数据根本没有发出去。",
    "the server received {size} bytes, not the {want} bytes of the frame":
        "服务器收到了 {size} 个字节，而不是这个帧的 {want} 个字节",
    "recv_frame(conn) returned {value}, expected the server's answer {want!r}":
        "recv_frame(conn) 返回了 {value}，期望服务器的回复 {want!r}",
    "the {size}-byte payload":
        "{size} 字节的载荷",
    "only its first {size} bytes":
        "只有它的前 {size} 个字节",
    "recv_frame(conn) returned {got} bytes, expected the {size}-byte payload":
        "recv_frame(conn) 返回了 {got} 个字节，期望 {size} 字节的载荷",
    "recv_frame(conn) raised {exc}: the 4-byte header was not 4 bytes. Two frames arrived "
    "in one piece, so one recv() can return more than you asked for if you ask for too "
    "much: ask for at most the bytes still missing, recv(n - len(received)).\n\n"
    "Your traceback:\n{traceback}":
        "recv_frame(conn) 抛出了 {exc}：读到的 4 字节头部并不是 4 个字节。两个帧是一起到达的，"
        "如果请求的字节数太多，一次 recv() 就可能返回超出所需的数据：请求的字节数最多只能是还缺少的字节数，"
        "即 recv(n - len(received))。\n\n"
        "你的代码的回溯信息：\n{traceback}",
    "Both frames were sent at once: did the first recv_frame read more than its frame?":
        "两个帧是一次性发送的：第一次 recv_frame 是不是读取了超出它那个帧的数据？",
    "the frames {first!r} and {second!r} were sent in one piece; recv_frame(conn) returned "
    "{one} then {two}. Ask recv() for at most the bytes still missing "
    "(n - len(received)), so the next frame stays in the socket.":
        "帧 {first!r} 和 {second!r} 被一次性发送；recv_frame(conn) 先后返回了 {one} 和 {two}。"
        "向 recv() 请求的字节数最多只能是还缺少的字节数（n - len(received)），这样下一个帧才会留在套接字里。",
    "{what} raised {exc}: with n = 0 there is nothing to read; recv(0) returns b'' "
    "without meaning end of stream. Loop only while len(received) < n.":
        "{what} 抛出了 {exc}：n = 0 时没有什么要读的；recv(0) 返回 b''，但这并不表示流已结束。"
        "只在 len(received) < n 时才循环。",
    "recv_exactly(conn, 0) then recv_exactly(conn, 3) returned {values}, expected [b'', b'xyz']":
        "recv_exactly(conn, 0) 和随后的 recv_exactly(conn, 3) 返回了 {values}，期望 [b'', b'xyz']",
    "before any frame":
        "在任何帧之前",
    "inside the 4-byte header":
        "在 4 字节头部的中途",
    "inside the payload (5 of 10 bytes)":
        "在载荷的中途，10 个字节只发了 5 个",
    "{what} returned {value} although the connection closed {where} "
    "(the test sent {sent!r}): expected ConnectionError":
        "{what} 返回了 {value}，但连接已经关闭（{where}；测试发送了 {sent!r}）：期望抛出 ConnectionError",
    "The test sent {sent!r} and closed {where}. ":
        "测试发送了 {sent!r}，然后关闭了连接（{where}）。",
    "{what} returned {value} for a frame announcing 4294967295 bytes: "
    "expected ValueError (more than MAX_FRAME)":
        "对于声明长度为 4294967295 字节的帧，{what} 返回了 {value}：期望抛出 ValueError（超过了 MAX_FRAME）",
    "Check the announced length against MAX_FRAME before reading the payload.":
        "读取载荷之前，先把声明的长度与 MAX_FRAME 比较。",
}
