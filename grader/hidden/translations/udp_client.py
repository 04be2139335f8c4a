"""Chinese for grader/hidden/01_udp/test_udp_client_hidden.py (see grader.messages.texts)."""

ZH: dict[str, str] = {
    # -- descriptions --------------------------------------------------------------------------
    "udp_request sends the text as its UTF-8 bytes: exactly those bytes arrive, nothing more.":
        "udp_request 把文本按 UTF-8 字节串发送：服务器收到的正好是这些字节，一个也不多。",
    "udp_request sends to the host and port it is given: two servers on two random ports both hear it.":
        "udp_request 发往传给它的主机和端口：两个随机端口上的两个服务器都能收到。",
    "A reply in Chinese with an emoji comes back as the same text (decoded from UTF-8).":
        "带表情符号的中文回复返回时仍是原来的文本（按 UTF-8 解码）。",
    "A server that never answers makes udp_request raise TimeoutError after `timeout` seconds.":
        "服务器从不回答时，udp_request 要在 `timeout` 秒后抛出 TimeoutError。",
    "With timeout=0.2, a reply that comes 1.5 s later is too late: udp_request raises TimeoutError.":
        "timeout=0.2 时，1.5 秒后才到的回复已经太迟：udp_request 抛出 TimeoutError。",
    "A request and its echo of tens of kilobytes each travel whole (recvfrom needs a big buffer).":
        "几十 KB 的请求和它的回显都完整送达（recvfrom 需要足够大的缓冲区）。",
    "udp_ping waits for each PONG before sending the next PING, and measures the RTT in seconds.":
        "udp_ping 等收到每个 PONG 之后才发送下一个 PING，并以秒为单位测量 RTT。",
    "Pings 1, 3 and 5 get no reply: udp_ping returns [None, rtt, None, rtt, None] and sends all 5.":
        "ping 1、3、5 收不到回复：udp_ping 返回 [None, rtt, None, rtt, None]，并且 5 个 ping 都要发出。",
    'While waiting for ping 2, a reply "PONG 1 ..." is not ping 2\'s: entry 2 is None, 1 and 3 are RTTs.':
        '等待 ping 2 时收到的 "PONG 1 ..." 不是 ping 2 的回复：第 2 项是 None，第 1、3 项是 RTT。',
    "Every PONG comes after its ping's 0.5 s timeout: all None, even one landing while later pings wait.":
        "每个 PONG 都晚于对应 ping 的 0.5 秒超时才到：全部是 None，在等待后面的 ping 时到达的回复也不算。",
    # -- assertions ----------------------------------------------------------------------------
    "Send with sock.sendto(data, (host, port)), the host and port given to the function.":
        "请用 sock.sendto(data, (host, port)) 发送，host 和 port 就是传给函数的那两个参数。",
    "the server received nothing: your code raised {exc}":
        "服务器什么也没收到：你的代码抛出了 {exc}",
    "the server on port {port} received nothing":
        "端口 {port} 上的服务器什么也没收到",
    "; your code raised {exc}":
        "；你的代码抛出了 {exc}",
    "str(data) writes the repr b'...' as text: send text.encode('utf-8') itself.":
        "str(data) 会把 repr 形式 b'...' 当成文本写出：请直接发送 text.encode('utf-8')。",
    "{what}: the server should have received one datagram {expected}, it received {got}":
        "{what}：服务器应该收到一个数据报 {expected}，实际收到 {got}",
    "{what} returned {value!r}, expected {expected!r}":
        "{what} 返回了 {value!r}，期望 {expected!r}",
    "one datagram {data} at 127.0.0.1:{port}":
        "127.0.0.1:{port} 收到一个数据报 {data}",
    "the two calls returned {values!r}, expected ['echo: to server 1', 'echo: to server 2']":
        "两次调用返回了 {values!r}，期望 ['echo: to server 1', 'echo: to server 2']",
    "udp_request returned {value!r}, the server replied {reply}: "
    "expected {answer!r} (decode the reply with 'utf-8')":
        "udp_request 返回了 {value!r}，服务器的回复是 {reply}：期望 {answer!r}（请用 'utf-8' 解码回复）",
    "The server never answers: a 0.3 s timeout should have ended the wait. {suspect}":
        "服务器永远不会回答：0.3 秒的超时本应结束等待。{suspect}",
    "the server should have received b'hello?', it received {got}":
        "服务器应该收到 b'hello?'，实际收到 {got}",
    "TimeoutError after about 0.2 s":
        "大约 0.2 秒后抛出 TimeoutError",
    "returned {value} after {seconds:.1f} s: it waited for the late reply":
        "{seconds:.1f} 秒后返回了 {value}：它一直在等那个迟到的回复",
    "The timeout must be the one given: sock.settimeout(timeout) before recvfrom().":
        "超时必须用传入的那个值：在 recvfrom() 之前调用 sock.settimeout(timeout)。",
    "one datagram of {size} bytes":
        "一个 {size} 字节的数据报",
    "the whole reply: {size} characters, 'echo: 0123456789...'":
        "完整的回复：{size} 个字符，'echo: 0123456789...'",
    "your code raised {exc}":
        "你的代码抛出了 {exc}",
    "{size} characters: {value}":
        "{size} 个字符：{value}",
    "The server sent {size} bytes in one datagram; recvfrom(n) keeps only n.":
        "服务器在一个数据报中发送了 {size} 字节；recvfrom(n) 只保留 n 字节。",
    "{what}: the server should have received one datagram of {size} bytes, it received {sizes} bytes":
        "{what}：服务器应该收到一个 {size} 字节的数据报，实际收到 {sizes} 字节",
    "{what} returned {value}, expected {expected}":
        "{what} 返回了 {value}，期望 {expected}",
    "{count} datagrams 'PING <seq> <time>' at 127.0.0.1:{port}":
        "127.0.0.1:{port} 收到 {count} 个数据报 'PING <seq> <time>'",
    "udp_ping(count={count}) should send exactly {count} datagrams, the server received {received}: "
    "{pings}":
        "udp_ping(count={count}) 应该正好发送 {count} 个数据报，服务器收到了 {received} 个：{pings}",
    "ping {seq} was {data}: expected 'PING {seq} <time>' (three fields separated by spaces)":
        "ping {seq} 发送的是 {data}：期望 'PING {seq} <time>'（三个字段，用空格分隔）",
    "ping {seq} was {data}: the third field should be a time (a number)":
        "ping {seq} 发送的是 {data}：第三个字段应该是时间（一个数字）",
    "ping {seq} was sent before the reply to ping {previous} came: send one ping, wait for its "
    "reply (or its timeout), then send the next. The server saw: {seen}":
        "ping {previous} 的回复还没到，ping {seq} 就发出去了：应该发一个 ping，等到它的回复（或超时），"
        "再发下一个。服务器看到的顺序：{seen}",
    "round-trip time of ping {seq} is {rtt!r}: the server waits 0.1 s before each reply, so "
    "expected a float in seconds between 0.1 and the timeout 1.0 (perf_counter after the reply "
    "minus before sending)":
        "ping {seq} 的往返时间是 {rtt!r}：服务器每次回复前会等 0.1 秒，所以期望一个以秒为单位、"
        "介于 0.1 和超时时间 1.0 之间的 float（收到回复后的 perf_counter 减去发送前的值）",
    "Pings 1, 3 and 5 get no reply. {suspect}":
        "ping 1、3、5 收不到回复。{suspect}",
    "ping {seq} got no reply, so entry {seq} should be None, got {rtt!r}":
        "ping {seq} 没有收到回复，所以第 {seq} 项应该是 None，实际是 {rtt!r}",
    "entry 2 is {got!r}, expected None: the only reply during ping 2's wait was "
    "{stale}, a reply to ping 1. Compare the sequence number in the reply with yours.":
        "第 2 项是 {got!r}，期望 None：等待 ping 2 期间收到的唯一回复是 {stale}，它是对 ping 1 的回复。"
        "请把回复中的序号和你发出的序号比较一下。",
    "ping {seq} was answered, so entry {seq} should be its round-trip time, got {rtt!r}":
        "ping {seq} 收到了回复，所以第 {seq} 项应该是它的往返时间，实际是 {rtt!r}",
    "udp_ping returned {value!r}, expected [None, None, None]: every reply came after its ping's "
    "{timeout} s timeout. A late 'PONG 1' that arrives while you wait for ping 2 is not ping 2's reply, "
    "and it does not give ping 2 more time: each ping waits at most {timeout} s from when it was sent.":
        "udp_ping 返回了 {value!r}，期望 [None, None, None]：每个回复都晚于对应 ping 的 {timeout} 秒超时才到。"
        "等待 ping 2 时到达的迟到的 'PONG 1' 不是 ping 2 的回复，也不会让 ping 2 多等：每个 ping 从发出起"
        "最多等待 {timeout} 秒。",
}
