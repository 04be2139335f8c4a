"""Sentences of the course tools (en/zh): ``netlings serve``'s banner, ``netlings build``'s report.

Keys start with ``serve.`` or ``build.``. What a fake server's ``describe()`` returns
(its keys and values) stays as it is: it names options and accounts, like code.
"""

MESSAGES: dict[str, dict[str, str]] = {
    # -- netlings serve (grader/cli/serve.py) ----------------------------------------------------
    "serve.listening": {
        "en": "netlings {protocol} server listening on {host}:{port} (loopback only)",
        "zh": "netlings {protocol} 服务器正在监听 {host}:{port}（仅限本机回环地址）",
    },
    "serve.try_it": {"en": "try it from another terminal:", "zh": "在另一个终端里试试："},
    "serve.live": {
        "en": "live transcript (C: client, S: server); Ctrl-C to stop",
        "zh": "实时通信记录（C: 客户端，S: 服务器）；按 Ctrl-C 停止",
    },
    "serve.stopped": {"en": "stopped.", "zh": "已停止。"},
    "serve.help": {
        "en": "start a fake server on loopback and watch what it sees",
        "zh": "在本机回环地址上启动一个模拟服务器，实时查看它收到的内容",
    },
    "serve.help.port": {
        "en": "port to listen on (default: any free port)",
        "zh": "监听的端口（默认：任意空闲端口）",
    },
    "serve.help.tls": {
        "en": "ftp: explicit FTPS; smtp: STARTTLS; pop3: STLS (a test CA is printed)",
        "zh": "ftp：显式 FTPS；smtp：STARTTLS；pop3：STLS（会打印测试用的 CA）",
    },
    "serve.help.json": {
        "en": "print the address as one JSON line, then events",
        "zh": "先用一行 JSON 打印地址，然后打印各个事件",
    },
    "serve.help.seconds": {
        "en": "stop after this long (default: Ctrl-C)",
        "zh": "运行这么多秒后停止（默认：直到按 Ctrl-C）",
    },
    # -- netlings build (grader/curriculum/build.py) ---------------------------------------------
    "build.stale": {"en": "stale: {path}", "zh": "已过期：{path}"},
    "build.wrote": {"en": "wrote: {path}", "zh": "已写入：{path}"},
    "build.out_of_date": {
        "en": "the stubs are out of date: run `netlings build`",
        "zh": "练习模板已过期：请运行 `netlings build`",
    },
    "build.up_to_date": {"en": "stubs up to date", "zh": "练习模板都是最新的"},
}
