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
        "en": "what the {server} server saw (C: client, S: server; in a connection marked "
              "'client role' the test was the client and your code the server)",
        "zh": "{server} 服务器看到的通信记录（C: 客户端，S: 服务器；标有 'client role' 的连接中，"
              "测试是客户端，你的代码是服务器）",
    },
    "your_traceback": {
        "en": "Your traceback:\n{traceback}",
        "zh": "你的代码的回溯信息：\n{traceback}",
    },
    "your_output": {
        "en": "Your output:",
        "zh": "你的程序输出：",
    },
    # -- harness: values too large, event channel tampered with (grader/harness/runner.py) --------
    "value_too_large": {
        "en": "returned {size}; the limit for a returned value is {limit}",
        "zh": "返回了 {size} 的数据；返回值的上限是 {limit}",
    },
    "value_too_large_call": {
        "en": "{call} {error}. Return only what the exercise asks for: large data belongs in a file or "
              "on a socket, not in a return value.",
        "zh": "{call} {error}。只返回练习要求的内容：大量数据应该写入文件或通过套接字发送，而不是作为返回值。",
    },
    "events_tampered": {
        "en": "{call}: the channel that carries your code's results back to the tests was tampered with "
              "({reason}). Nothing this run reported can be trusted, so the test fails. Your code must not "
              "write to file descriptors it did not open itself.",
        "zh": "{call}：把你的代码的结果传回测试的通道被篡改了（{reason}）。这次运行报告的任何内容都不可信，"
              "因此该测试不通过。你的代码不能向不是它自己打开的文件描述符写入数据。",
    },
    "tamper_too_much": {
        "en": "more than {limit} of events",
        "zh": "事件数据超过了 {limit}",
    },
    "tamper_line_too_long": {
        "en": "an event line longer than {limit}",
        "zh": "一行事件数据超过了 {limit}",
    },
    "tamper_not_an_event": {
        "en": "data that is not an event of this run",
        "zh": "不属于这次运行的事件的数据",
    },
    "tamper_too_deep": {
        "en": "an event nested deeper than {depth} levels",
        "zh": "事件的嵌套超过了 {depth} 层",
    },
    "tamper_malformed": {
        "en": "a malformed event",
        "zh": "格式错误的事件",
    },
    "tamper_after_end": {
        "en": "an event after the run's final one",
        "zh": "在运行的最后一个事件之后又出现了事件",
    },
    "tamper_out_of_order": {
        "en": "an event out of order",
        "zh": "顺序错误的事件",
    },
    "tamper_unknown_event": {
        "en": "an event of an unknown kind",
        "zh": "未知类型的事件",
    },
    "tamper_reader_failed": {
        "en": "reading the events failed with {error}",
        "zh": "读取事件时出错：{error}",
    },
    # -- sandbox: limits hit by graded code (grader/harness/runner.py) -------------------------
    "limit_cpu": {
        "en": "the CPU-time limit ({limit}) was used up: is there a loop that never ends, or one that polls without ever waiting?",
        "zh": "用完了 CPU 时间限制（{limit}）：是不是有一个永不结束的循环，或者在不停地轮询而从不等待？",
    },
    "limit_memory": {
        "en": "the memory limit ({limit}) was exceeded: is something reading or building far more data than it needs?",
        "zh": "超出了内存限制（{limit}）：是不是读取或构造了远超需要的数据？",
    },
    "limit_fsize": {
        "en": "the file-size limit ({limit}) was exceeded: a file your code wrote grew too large.",
        "zh": "超出了文件大小限制（{limit}）：你的代码写入的文件太大了。",
    },
    "limit_nofile": {
        "en": "the open-files limit ({limit}) was exceeded: are files or sockets opened and never closed (use `with`)?",
        "zh": "超出了同时打开文件数的限制（{limit}）：是不是打开了文件或套接字却从不关闭（请使用 `with`）？",
    },
    "limit_nproc": {
        "en": "the process limit ({limit}) was exceeded: your code started too many processes or threads.",
        "zh": "超出了进程数限制（{limit}）：你的代码启动了太多进程或线程。",
    },
    # -- sandbox: what isolation is missing (said once per grading run) -----------------------
    "isolation_unavailable": {
        "en": "the sandbox is not available: {reason}.",
        "zh": "无法使用沙箱：{reason}。",
    },
    "user_drop_unavailable": {
        "en": "running graded code as the unprivileged user {user!r} is not available: {reason}.",
        "zh": "无法以非特权用户 {user!r} 的身份运行被评分的代码：{reason}。",
    },
    "reason_not_linux": {
        "en": "it needs Linux namespaces (this is {platform})",
        "zh": "需要 Linux 的命名空间功能（当前系统是 {platform}）",
    },
    "reason_not_posix": {
        "en": "it needs a POSIX system (this is {platform})",
        "zh": "需要 POSIX 系统（当前系统是 {platform}）",
    },
    "reason_not_root": {
        "en": "the grader is not running as root",
        "zh": "评分程序没有以 root 身份运行",
    },
    "reason_no_bwrap": {
        "en": "bubblewrap (`bwrap`) is not installed (Debian/Ubuntu: `apt-get install bubblewrap`)",
        "zh": "没有安装 bubblewrap（`bwrap`）（Debian/Ubuntu：`apt-get install bubblewrap`）",
    },
    "reason_bwrap_failed": {
        "en": "bubblewrap could not build the sandbox here ({error}); as an ordinary user it needs user namespaces",
        "zh": "bubblewrap 无法在这里建立沙箱（{error}）；以普通用户运行时需要内核允许用户命名空间",
    },
    "reason_no_user_configured": {
        "en": "no user was configured",
        "zh": "没有配置用户",
    },
    "reason_no_such_user": {
        "en": "there is no user {user!r} on this system",
        "zh": "系统中没有用户 {user!r}",
    },
    "reason_no_python": {
        "en": "no Python interpreter (3.10 or newer) is readable by {user!r}; {python} is not",
        "zh": "没有 {user!r} 可以读取的 Python 解释器（3.10 或更新版本）；{python} 不可读",
    },
    # -- preparing a submission (grader/sandbox/) ---------------------------------------------
    "problem_missing": {
        "en": "{path} is missing: it was not found in the submission.",
        "zh": "缺少 {path}：提交的内容中没有找到这个文件。",
    },
    "problem_syntax": {
        "en": "{path} does not compile: {error} (line {line})\n{text}",
        "zh": "{path} 无法编译：{error}（第 {line} 行）\n{text}",
    },
    "problem_encoding": {
        "en": "{path} is not valid {encoding} (byte {byte} on line {line}): save it as UTF-8.",
        "zh": "{path} 不是合法的 {encoding} 编码（第 {line} 行的字节 {byte}）：请以 UTF-8 编码保存。",
    },
    "problem_bad_coding": {
        "en": "{path} cannot be read as Python source: {error}",
        "zh": "{path} 无法作为 Python 源代码读取：{error}",
    },
    "problem_shadows_stdlib": {
        "en": "{path} has the name of the standard library module `{module}`: in your own runs `import {module}` loads your file instead. It was not used for grading; rename it.",
        "zh": "{path} 与标准库模块 `{module}` 同名：你自己运行时，`import {module}` 会导入你的文件而不是标准库。评分时没有使用这个文件，请给它改名。",
    },
    "problem_ignored": {
        "en": "{path} was ignored: grading uses its own tests and configuration, never those in a submission.",
        "zh": "已忽略 {path}：评分使用自己的测试和配置，从不使用提交中的。",
    },
    "problem_unsafe_path": {
        "en": "{path} was skipped: its path points outside the submission (absolute or with `..`).",
        "zh": "已跳过 {path}：它的路径指向提交内容之外（绝对路径或含有 `..`）。",
    },
    "problem_symlink": {
        "en": "{path} was skipped: it is a symbolic link, and links are never followed.",
        "zh": "已跳过 {path}：它是符号链接，评分时从不跟随链接。",
    },
    "problem_special_file": {
        "en": "{path} was skipped: it is not a regular file.",
        "zh": "已跳过 {path}：它不是普通文件。",
    },
    "problem_duplicate": {
        "en": "{path} was skipped: the archive holds it twice (or a file and a folder of that name).",
        "zh": "已跳过 {path}：压缩包里有两个同名条目（或同名的文件和文件夹）。",
    },
    "problem_bad_name": {
        "en": "a file whose name is neither UTF-8 nor GBK was skipped: {path}",
        "zh": "已跳过一个文件名既不是 UTF-8 也不是 GBK 编码的文件：{path}",
    },
    "problem_file_too_large": {
        "en": "{path} was skipped: it is larger than {limit}.",
        "zh": "已跳过 {path}：文件超过了 {limit}。",
    },
    "problem_too_many_files": {
        "en": "the submission holds more than {limit} files (a virtual environment or node_modules inside?), so it was not graded.",
        "zh": "提交的内容超过了 {limit} 个文件（是不是包含了虚拟环境或 node_modules？），因此没有评分。",
    },
    "problem_too_large_total": {
        "en": "the submission unpacks to more than {limit}, so it was not graded.",
        "zh": "提交的内容解压后超过了 {limit}，因此没有评分。",
    },
    "problem_zip_bomb": {
        "en": "{path} would expand {ratio}-fold (to {size}): that looks like a zip bomb, so the submission was not graded.",
        "zh": "{path} 解压后会膨胀 {ratio} 倍（达到 {size}）：这看起来像是压缩炸弹，因此没有评分。",
    },
    "problem_bad_archive": {
        "en": "{path} is not a readable zip file ({error}), so it was not graded.",
        "zh": "{path} 不是可读取的 zip 文件（{error}），因此没有评分。",
    },
    "problem_not_a_submission": {
        "en": "{path} is neither a folder nor a .zip file.",
        "zh": "{path} 既不是文件夹，也不是 .zip 文件。",
    },
    "problem_not_found": {
        "en": "no exercise folder was found in the submission: expected unit folders such as {example}.",
        "zh": "提交的内容中没有找到练习文件夹：应当包含类似 {example} 的单元文件夹。",
    },
    "no_socket": {
        "en": "{call} finished without giving the test a socket to connect to: did it return the socket it made?",
        "zh": "{call} 执行结束了，但没有提供可以连接的套接字：是否返回了创建的套接字？",
    },
    "problem_unwritable": {
        "en": "{path} was skipped: it cannot be written on this system ({error}).",
        "zh": "已跳过 {path}：无法在当前系统上写入（{error}）。",
    },
    "mistake_report": {
        "en": "Likely mistake: {title}\nCalled: {call}\nExpected: {expected}\nActually: {actual}\nHint: {hint}",
        "zh": "可能的错误：{title}\n调用：{call}\n期望：{expected}\n实际：{actual}\n提示：{hint}",
    },
    "mistake_suspected": {
        "en": "Likely mistake: {title}\nHint: {hint}",
        "zh": "可能的错误：{title}\n提示：{hint}",
    },
}
