"""Chinese for exercises/01_udp/test_udp_client.py (see grader.messages.texts)."""

ZH: dict[str, str] = {
    # -- descriptions --------------------------------------------------------------------------
    'udp_request sends "hello" as one datagram and returns the decoded reply "echo: hello".':
        'udp_request 把 "hello" 作为一个数据报发送，并返回解码后的回复 "echo: hello"。',
    "Chinese text goes out as UTF-8 and the reply comes back decoded.":
        "中文文本以 UTF-8 编码发出，回复解码后返回。",
    "When the server never answers, udp_request raises TimeoutError after `timeout` seconds.":
        "服务器一直不回答时，udp_request 在 `timeout` 秒后抛出 TimeoutError。",
    'udp_ping sends "PING 1 <time>" … "PING 3 <time>" and returns 3 round-trip times in seconds.':
        'udp_ping 依次发送 "PING 1 <time>" … "PING 3 <time>"，并返回 3 个以秒为单位的往返时间。',
    "When ping 2 gets no reply, udp_ping puts None in its place and carries on with ping 3 and 4.":
        "ping 2 没有收到回复时，udp_ping 在它的位置放 None，然后继续发送 ping 3 和 ping 4。",
    # -- assertions ----------------------------------------------------------------------------
    "the server expected one datagram b'hello', it received {got!r}. "
    "Send text.encode('utf-8') with sock.sendto(data, (host, port)).":
        "服务器期望收到一个数据报 b'hello'，实际收到 {got!r}。"
        "请用 sock.sendto(data, (host, port)) 发送 text.encode('utf-8')。",
    "udp_request returned {value!r}, expected 'echo: hello' (the reply, decoded as UTF-8)":
        "udp_request 返回了 {value!r}，期望 'echo: hello'（即按 UTF-8 解码后的回复）",
    "the server received {got!r}, expected the UTF-8 bytes of {text!r}":
        "服务器收到了 {got!r}，期望的是 {text!r} 的 UTF-8 字节串",
    "udp_request returned {value!r}, expected {expected!r}":
        "udp_request 返回了 {value!r}，期望 {expected!r}",
    "No reply will ever come. {suspect}":
        "永远不会有回复。{suspect}",
    "the server should have received b'anyone there?', it received {got!r}":
        "服务器应该收到 b'anyone there?'，实际收到 {got!r}",
    "udp_ping(count={count}) should send {count} datagrams, the server received {received}: {datagrams!r}":
        "udp_ping(count={count}) 应该发送 {count} 个数据报，服务器收到了 {received} 个：{datagrams!r}",
    "ping {seq} was {data!r}: expected 'PING {seq} <time>'":
        "ping {seq} 发送的是 {data!r}：期望 'PING {seq} <time>'",
    "ping {seq} was {data!r}: the third field should be a time (a number)":
        "ping {seq} 发送的是 {data!r}：第三个字段应该是时间（一个数字）",
    "udp_ping(count={count}) returned {value!r}: expected a list of {count} entries":
        "udp_ping(count={count}) 返回了 {value!r}：期望一个包含 {count} 项的列表",
    "round-trip time of ping {seq} is {rtt!r}: expected a float in seconds, between 0 and "
    "the timeout (time.perf_counter() after the reply minus before sending)":
        "ping {seq} 的往返时间是 {rtt!r}：期望一个以秒为单位的 float，介于 0 和超时时间之间"
        "（收到回复后的 time.perf_counter() 减去发送前的值）",
    "Ping 2 gets no reply. {suspect}":
        "ping 2 收不到回复。{suspect}",
    "ping 2 was lost (no reply), so entry 2 should be None, got {got!r}":
        "ping 2 丢失了（没有回复），所以第 2 项应该是 None，实际是 {got!r}",
    "ping {seq} was answered, so entry {seq} should be its round-trip time in seconds, got {rtt!r}":
        "ping {seq} 收到了回复，所以第 {seq} 项应该是它以秒为单位的往返时间，实际是 {rtt!r}",
}
