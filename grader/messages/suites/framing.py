"""Chinese for exercises/02_tcp/test_framing.py (see grader.messages.texts)."""

ZH: dict[str, str] = {
    # -- descriptions --------------------------------------------------------------------------
    'recv_exactly(conn, 5) then recv_exactly(conn, 6) split b"hello world" into b"hello" and b" world".':
        'recv_exactly(conn, 5) 和随后的 recv_exactly(conn, 6) 把 b"hello world" 分成 b"hello" 和 b" world"。',
    "recv_exactly(conn, 5) raises ConnectionError when the peer closes after only 3 bytes.":
        "对端只发送 3 个字节就关闭连接时，recv_exactly(conn, 5) 抛出 ConnectionError。",
    'send_frame sends 300 bytes as b"\\x00\\x00\\x01\\x2c" + payload, and b"" as four zero bytes.':
        'send_frame 把 300 个字节发送为 b"\\x00\\x00\\x01\\x2c" + 载荷，把 b"" 发送为四个零字节。',
    "recv_frame returns each payload of two frames, even when they arrive one byte at a time.":
        "即使两个帧一次只到达一个字节，recv_frame 也能返回每个帧的载荷。",
    "send_frame then recv_frame with a frame server: it gets exactly one frame, its answer comes back.":
        "与帧服务器之间先 send_frame 再 recv_frame：服务器正好收到一个帧，它的回复也能收回来。",
    # -- assertions ----------------------------------------------------------------------------
    "the test sent b'hello world' one byte at a time; {what} returned {first!r}, expected b'hello'. "
    "Call recv() in a loop, asking only for the bytes still missing.":
        "测试把 b'hello world' 一次一个字节地发送；{what} 返回了 {first!r}，期望 b'hello'。"
        "请循环调用 recv()，每次只请求还缺少的字节数。",
    "the next recv_exactly(conn, 6) returned {second!r}, expected b' world'":
        "接下来的 recv_exactly(conn, 6) 返回了 {second!r}，期望 b' world'",
    "recv() returning b'' means the peer closed: raise ConnectionError.":
        "recv() 返回 b'' 表示对端已经关闭了连接：请抛出 ConnectionError。",
    "Only 3 of the 5 bytes will ever come and recv() now returns b''. ":
        "5 个字节中只会到达 3 个，recv() 现在返回 b''。",
    "{what}: the first 4 bytes were {header!r}, expected the length 300 as 4 bytes "
    "big-endian: {want!r} (struct.pack('!I', len(payload)))":
        "{what}：前 4 个字节是 {header!r}，期望长度 300 的 4 字节大端序表示：{want!r}"
        "（struct.pack('!I', len(payload))）",
    "{what} then send_frame(conn, b''): the test received {size} bytes, expected "
    "{want}: the 300-byte frame, then b'\\x00\\x00\\x00\\x00' (an empty payload)":
        "{what} 之后又调用 send_frame(conn, b'')：测试收到了 {size} 个字节，期望 {want} 个："
        "先是 300 字节的帧，然后是 b'\\x00\\x00\\x00\\x00'（空载荷）",
    "two frames (payloads b'hello' and {second!r}) were sent one byte at a time; recv_frame(conn) "
    "returned {one!r} then {two!r}. Read the 4-byte length with recv_exactly, then exactly "
    "that many bytes.":
        "两个帧（载荷为 b'hello' 和 {second!r}）被一次一个字节地发送；recv_frame(conn) 先后返回了 "
        "{one!r} 和 {two!r}。请先用 recv_exactly 读取 4 字节的长度，再正好读取这么多字节。",
    "the connection to the frame server was never closed":
        "与帧服务器的连接一直没有关闭",
    "the frame server received {got!r}, expected exactly one frame {want!r}":
        "帧服务器收到了 {got!r}，期望正好一个帧 {want!r}",
    "recv_frame(conn) returned {value!r}, expected the server's answer {want!r}":
        "recv_frame(conn) 返回了 {value!r}，期望服务器的回复 {want!r}",
}
