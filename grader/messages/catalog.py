"""The message catalogue itself: key → {"en": ..., "zh": ...}. Add both languages together."""

CATALOG: dict[str, dict[str, str]] = {
    "not_implemented": {
        "en": "{func}() is not implemented yet: open {path} and replace the TODOs "
              "(stuck? `netlings hint {exercise}`).",
        "zh": "{func}() 还没有实现：打开 {path}，按 TODO 注释一步步完成（需要提示？运行 `netlings hint {exercise}`）。",
    },
    "raised": {
        "en": "{call} raised {error}\n\nYour traceback:\n{traceback}",
        "zh": "{call} 抛出了异常 {error}\n\n你的代码的回溯信息：\n{traceback}",
    },
    "timeout": {
        "en": "Timed out after {seconds:.1f} s waiting for {call} to return. {awaiting}",
        "zh": "等待 {call} 返回超时（{seconds:.1f} 秒）。{awaiting}",
    },
    "timeout_default_awaiting": {
        "en": "Is it waiting for data that never comes (a recv with no timeout, a loop that never ends)?",
        "zh": "是不是在等待永远不会到来的数据（recv 没有设置超时，或者循环永远不会结束）？",
    },
    "exited": {
        "en": "{call} ended the process (exit code {code}) instead of returning: "
              "don't call sys.exit()/os._exit() in library code.",
        "zh": "{call} 没有返回，而是结束了整个进程（退出码 {code}）：函数里不要调用 sys.exit()/os._exit()。",
    },
    "import_failed": {
        "en": "Could not import {path}: {error}\n{traceback}",
        "zh": "无法导入 {path}：{error}\n{traceback}",
    },
    "expected_exception": {
        "en": "{call} returned {value} but should have raised {expected}.",
        "zh": "{call} 返回了 {value}，但应该抛出 {expected}。",
    },
    "wrong_exception": {
        "en": "{call} raised {error} but should have raised {expected}.\n\nYour traceback:\n{traceback}",
        "zh": "{call} 抛出了 {error}，但应该抛出 {expected}。\n\n你的代码的回溯信息：\n{traceback}",
    },
    "output_dropped": {
        "en": "... {count} more bytes of output were dropped ...",
        "zh": "……另有 {count} 字节的输出被丢弃……",
    },
    "transcript_heading": {
        "en": "what the {server} server saw (C: your code, S: the server)",
        "zh": "{server} 服务器看到的通信记录（C: 你的代码，S: 服务器）",
    },
    "your_output": {
        "en": "Your output:",
        "zh": "你的程序输出：",
    },
    "no_socket": {
        "en": "{call} finished without giving the test a socket to connect to: did it return the socket it made?",
        "zh": "{call} 执行结束了，但没有提供可以连接的套接字：是否返回了创建的套接字？",
    },
}
