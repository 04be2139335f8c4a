"""Why a TCP peer's conversation with a student's server ended early (grader/servers/peers.py).

``TalkResult.error`` keeps the English text (tests compare it, transcripts record it);
``TalkResult.error_text`` is the same sentence in the student's language, for feedback.
"""

MESSAGES: dict[str, dict[str, str]] = {
    "peer.refused": {
        "en": "connection refused",
        "zh": "连接被拒绝",
    },
    "peer.connect_timeout": {
        "en": "timeout connecting after {seconds:g} s",
        "zh": "连接 {seconds:g} 秒后超时",
    },
    "peer.connect_failed": {
        "en": "connect failed: {error}",
        "zh": "连接失败：{error}",
    },
    "peer.stopped": {
        "en": "peer stopped",
        "zh": "测试端已停止",
    },
    "peer.send_timeout": {
        "en": "timeout sending after {sent} of {total} bytes (server not reading?)",
        "zh": "发送了 {total} 个字节中的 {sent} 个后超时（服务器没有在读取？）",
    },
    "peer.closed_while_sending": {
        "en": "server closed the connection after {sent} of {total} bytes were sent ({error})",
        "zh": "发送了 {total} 个字节中的 {sent} 个后，服务器关闭了连接（{error}）",
    },
    "peer.eof_timeout": {
        "en": "timeout waiting for EOF after {got} bytes",
        "zh": "收到 {got} 个字节后，等待连接结束（EOF）超时",
    },
    "peer.reply_timeout": {
        "en": "timeout waiting for a reply ({seconds:g} s)",
        "zh": "等待回复超时（{seconds:g} 秒）",
    },
    "peer.reply_too_long": {
        "en": "reply longer than max_bytes ({limit})",
        "zh": "回复超过了 max_bytes（{limit}）",
    },
    "peer.reset": {
        "en": "reset by server after {got} bytes of reply",
        "zh": "收到 {got} 个字节的回复后，连接被服务器重置",
    },
    "peer.read_error": {
        "en": "socket error reading the reply after {got} bytes: {error}",
        "zh": "收到 {got} 个字节后，读取回复时发生套接字错误：{error}",
    },
}
