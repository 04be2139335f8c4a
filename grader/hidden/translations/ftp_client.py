"""Chinese for grader/hidden/03_ftp/test_ftp_client_hidden.py (see grader.messages.texts)."""

ZH: dict[str, str] = {
    # -- descriptions --------------------------------------------------------------------------
    "parse_ftp_url handles a port with a deep path, %20 escapes and a URL that ends in '/'.":
        "parse_ftp_url 能处理带端口和多层路径的 URL、%20 转义，以及以 '/' 结尾的 URL。",
    "parse_ftp_url raises ValueError for a non-FTP URL, a URL without host and a bad port.":
        "遇到不是 FTP 的 URL、没有主机的 URL 或不合法的端口时，parse_ftp_url 抛出 ValueError。",
    "As guest, list_files sees the public folder as '/', cannot enter /home, and quits each time.":
        "以 guest 身份登录时，list_files 把公共文件夹看作 '/'，进不了 /home，并且每次都发送 QUIT。",
    "list_files of an empty directory returns [] (not an error).":
        "对空目录，list_files 返回 []（而不是报错）。",
    "list_files of a missing directory raises FileNotFoundError and still ends the session with QUIT.":
        "对不存在的目录，list_files 抛出 FileNotFoundError，并且仍然以 QUIT 结束会话。",
    "A wrong password raises ftplib.error_perm (530), not FileNotFoundError, and the session still quits.":
        "密码错误时抛出 ftplib.error_perm（530），而不是 FileNotFoundError，并且会话仍然发送 QUIT。",
    "list_files as the real user lists its home directory.":
        "以真实用户身份登录时，list_files 列出该用户的主目录。",
    "The functions hand ftplib text (str): directory, file and user names are not bytes.":
        "这些函数交给 ftplib 的是文本（str）：目录名、文件名和用户名都不是 bytes。",
    "download of a text file (docs/guide.txt) keeps its bytes exactly, CRLF line endings included.":
        "下载文本文件（docs/guide.txt）时，download 原样保留它的字节，包括 CRLF 换行符。",
    "download of data.bin transfers in binary mode: no TYPE A RETR, no retrlines, bytes identical.":
        "download 以二进制模式传输 data.bin：没有 TYPE A 下的 RETR，不用 retrlines，字节完全相同。",
    "download of a 192 KiB binary file gets every byte, in order.":
        "下载 192 KiB 的二进制文件时，download 按顺序拿到每一个字节。",
    "A failed download (550) leaves no new local file, keeps the files already there, and quits.":
        "下载失败（550）时不留下新的本地文件，保留原有的文件，并且发送 QUIT。",
    "download from a missing remote directory raises FileNotFoundError, leaves no file, and quits.":
        "从不存在的远程目录下载时，download 抛出 FileNotFoundError，不留下文件，并且发送 QUIT。",
    "upload as guest (read-only) raises PermissionError, stores nothing, and quits.":
        "以 guest（只读）身份上传时，upload 抛出 PermissionError，不保存任何文件，并且发送 QUIT。",
    "upload into a missing remote directory raises FileNotFoundError and quits.":
        "上传到不存在的远程目录时，upload 抛出 FileNotFoundError，并且发送 QUIT。",
    "upload of a 192 KiB binary file into a subfolder stores it byte for byte under its own name.":
        "把 192 KiB 的二进制文件上传到子文件夹时，upload 以文件自己的名字逐字节保存它。",
    # -- evidence ------------------------------------------------------------------------------
    "What the server saw:":
        "服务器看到的通信记录：",
    "TYPE A, then {command}":
        "先 TYPE A，然后 {command}",
    "QUIT as the last command of every session (also after an error)":
        "每次会话的最后一条命令都是 QUIT（出错之后也一样）",
    "no QUIT on {missing} of {total} connection(s); commands: {commands}":
        "{total} 个连接中有 {missing} 个没有 QUIT；命令：{commands}",
    "{got_size} bytes instead of {want_size}, first difference at byte {at}: got {got!r}, expected {want!r}":
        "得到 {got_size} 个字节，而不是 {want_size} 个，第一个不同之处在第 {at} 个字节："
        "得到 {got!r}，期望 {want!r}",
    "the file's bytes, transferred with TYPE I (binary)":
        "文件的原始字节，用 TYPE I（二进制）传输",
    "{error} (transfers: {transfers})":
        "{error}（传输记录：{transfers}）",
    "none completed":
        "没有一次完成",
    "str arguments to ftplib (commands, names, users)":
        "传给 ftplib 的参数是 str（命令、名称、用户名）",
    "{what}: no local file {path} after the download; {transcript}":
        "{what}：下载之后没有本地文件 {path}；{transcript}",
    "{size} bytes, identical to the server's file":
        "{size} 个字节，与服务器上的文件完全相同",
    "{difference}; transferred as ASCII: {notes}":
        "{difference}；以 ASCII 方式传输：{notes}",
    "{what}: the local file differs from the server's: {difference}":
        "{what}：本地文件与服务器上的文件不同：{difference}",
    # -- assertions ----------------------------------------------------------------------------
    "parse_ftp_url({url!r}) returned {value!r}, expected {expected!r}. Use urllib.parse.urlparse "
    "(.hostname, .port), urllib.parse.unquote the path, and split it at its LAST '/'":
        "parse_ftp_url({url!r}) 返回了 {value!r}，期望 {expected!r}。请使用 urllib.parse.urlparse"
        "（.hostname、.port），用 urllib.parse.unquote 处理路径，再在最后一个 '/' 处拆分",
    "list_files(..., '/', 'guest', 'guest-pass') returned {names!r}, expected {expected}":
        "list_files(..., '/', 'guest', 'guest-pass') 返回了 {names!r}，期望 {expected}",
    "log in with the user you are given; commands: {commands}":
        "请用传入的用户名登录；命令：{commands}",
    "{call} twice":
        "{call}（调用两次）",
    "list_files(..., '/empty') returned {names!r}, expected [] for an empty directory":
        "list_files(..., '/empty') 返回了 {names!r}，空目录应返回 []",
    "{what}: the server never saw CWD; commands: {commands}":
        "{what}：服务器始终没有收到 CWD；命令：{commands}",
    "expected the server's 530 reply in the error, got {error}":
        "异常中应包含服务器的 530 回复，实际得到 {error}",
    "list_files(..., {directory!r}, 'student', ...) returned {names!r}, "
    "expected ['draft.bin', 'notes.txt'] (names only, no directory part)":
        "list_files(..., {directory!r}, 'student', ...) 返回了 {names!r}，"
        "期望 ['draft.bin', 'notes.txt']（只要名称，不带目录部分）",
    "commands like 'CWD /docs', 'USER guest'":
        "类似 'CWD /docs'、'USER guest' 的命令",
    "the server received {mangled}":
        "服务器收到的是 {mangled}",
    "A bytes object formatted into a str shows up as b'...' on the wire.":
        "把 bytes 对象格式化进 str 后，线路上传输的就是 b'...'。",
    "list_files(..., '/docs', 'guest', ...) returned {value!r}":
        "list_files(..., '/docs', 'guest', ...) 返回了 {value!r}",
    "RETR in TYPE I (binary)":
        "在 TYPE I（二进制）下执行 RETR",
    "the server sent the file as ASCII: {notes}":
        "服务器以 ASCII 方式发送了文件：{notes}",
    "{what} returned {value!r}, expected {expected!r}":
        "{what} 返回了 {value!r}，期望 {expected!r}",
    "no local file for a file the server lacks":
        "服务器上没有的文件，本地也不应有",
    "{left} left in the local folder":
        "本地文件夹里留下了 {left}",
    "{what} changed or removed keep.txt, a file that was already in the local folder":
        "{what} 修改或删除了 keep.txt，这是本地文件夹里原有的文件",
    "no local file":
        "没有本地文件",
    "{what}: the public folder changed from {before} to {after}, yet the server refused the upload":
        "{what}：公共文件夹从 {before} 变成了 {after}，但服务器拒绝了这次上传",
    "{what}: expected a STOR (refused with 550 by the server); commands: {commands}":
        "{what}：期望有一条 STOR（被服务器以 550 拒绝）；命令：{commands}",
    "{what}: notes.txt was stored in the home":
        "{what}：notes.txt 被保存到了主目录中",
    "{what}: big.bin did not arrive in /home/student/reports; {transcript}":
        "{what}：big.bin 没有出现在 /home/student/reports 中；{transcript}",
    "{what}: the server stored different bytes: {difference}. Use storbinary with the file opened 'rb'":
        "{what}：服务器保存的字节不一样：{difference}。请使用 storbinary，并用 'rb' 打开文件",
}
