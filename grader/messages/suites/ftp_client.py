"""Chinese for exercises/03_ftp/test_ftp_client.py (see grader.messages.texts)."""

ZH: dict[str, str] = {
    # -- descriptions --------------------------------------------------------------------------
    "parse_ftp_url splits a URL into (host, port, directory, filename); port 21 when none is given.":
        "parse_ftp_url 把 URL 拆成 (host, port, directory, filename)；没有给出端口时为 21。",
    "list_files lists the public folder as the anonymous user and then says QUIT.":
        "list_files 以匿名用户身份列出公共文件夹，然后发送 QUIT。",
    "list_files logs in with the user and password it is given, and changes to the directory.":
        "list_files 用传入的用户名和密码登录，并切换到指定目录。",
    "download saves data.bin byte for byte (binary mode, TYPE I) and returns the local path.":
        "download 逐字节保存 data.bin（二进制模式，TYPE I），并返回本地路径。",
    "download of a missing file raises FileNotFoundError, leaves no local file and still quits.":
        "下载不存在的文件时，download 抛出 FileNotFoundError，不留下本地文件，并且仍然发送 QUIT。",
    "upload stores a binary file in the student's home folder, byte for byte, and returns its name.":
        "upload 把二进制文件逐字节存入 student 用户的主目录，并返回文件名。",
    "upload as anonymous (read-only) raises PermissionError and nothing is stored.":
        "以 anonymous（只读）身份上传时，upload 抛出 PermissionError，服务器上不保存任何文件。",
    # -- assertions ----------------------------------------------------------------------------
    "the server never received QUIT (commands seen: {commands}); "
    "call ftp.quit() in a finally block so the session ends properly, even after an error":
        "服务器始终没有收到 QUIT（收到的命令：{commands}）；"
        "请在 finally 块中调用 ftp.quit()，这样即使出错，会话也能正常结束",
    "parse_ftp_url({url!r}) returned {value!r}, expected {expected!r}. "
    "urllib.parse.urlparse(url) gives .hostname, .port (None when absent: use 21) and .path; "
    "split the path at its LAST '/' into directory and filename":
        "parse_ftp_url({url!r}) 返回了 {value!r}，期望 {expected!r}。"
        "urllib.parse.urlparse(url) 给出 .hostname、.port（没有端口时为 None：请用 21）和 .path；"
        "在路径的最后一个 '/' 处把它拆成目录和文件名",
    "list_files(...) must return a list of names, got {names!r}":
        "list_files(...) 必须返回由名称组成的列表，实际得到 {names!r}",
    "list_files({host!r}, port, '/') returned {names!r}, expected the names {expected} "
    "(in any order, without a directory part); ftp.nlst() gives them":
        "list_files({host!r}, port, '/') 返回了 {names!r}，期望名称 {expected}"
        "（顺序不限，不带目录部分）；ftp.nlst() 可以给出它们",
    "log in as 'anonymous' by default; commands sent: {commands}":
        "默认应以 'anonymous' 登录；发送的命令：{commands}",
    "list_files({host!r}, port, '/docs', 'guest', 'guest-pass') returned {names!r}, "
    "expected ['guide.txt']: log in with the given account, ftp.cwd(directory), then ftp.nlst()":
        "list_files({host!r}, port, '/docs', 'guest', 'guest-pass') 返回了 {names!r}，"
        "期望 ['guide.txt']：用传入的账号登录，调用 ftp.cwd(directory)，再调用 ftp.nlst()",
    "the server never saw 'USER guest'; commands sent: {commands}":
        "服务器始终没有收到 'USER guest'；发送的命令：{commands}",
    "expected CWD /docs before listing; commands sent: {commands}":
        "列目录之前应先发送 CWD /docs；发送的命令：{commands}",
    "download(...) returned {path!r}, expected the local path {expected!r} "
    "(local_dir joined with the file name)":
        "download(...) 返回了 {path!r}，期望本地路径 {expected!r}（local_dir 与文件名拼接而成）",
    "no file {path} after the download":
        "下载之后没有文件 {path}",
    "the downloaded data.bin differs from the server's file: {got_size} bytes instead of "
    "{want_size}, first difference at byte {first}: got {got!r}, expected {want!r}. "
    "Use ftp.retrbinary (not retrlines) and open the "
    'local file with "wb": text mode changes \\r\\n and cannot hold every byte':
        "下载的 data.bin 与服务器上的文件不同：得到 {got_size} 个字节，而不是 {want_size} 个，"
        "第一个不同之处在第 {first} 个字节：得到 {got!r}，期望 {want!r}。"
        '请使用 ftp.retrbinary（不要用 retrlines），并用 "wb" 打开本地文件：'
        "文本模式会改动 \\r\\n，而且无法保存所有字节",
    "the transfer was not in binary mode (no 'TYPE I' sent; commands: {commands}); "
    "ftp.retrbinary switches to TYPE I for you":
        "传输没有使用二进制模式（没有发送 'TYPE I'；命令：{commands}）；"
        "ftp.retrbinary 会自动切换到 TYPE I",
    "expected 'RETR data.bin'; commands sent: {commands}":
        "期望收到 'RETR data.bin'；发送的命令：{commands}",
    "a failed download left {left} in the local folder: remove the partial file "
    "(the server answered 550, so nothing was downloaded)":
        "下载失败后，本地文件夹里留下了 {left}：请删除这个不完整的文件"
        "（服务器回复了 550，所以什么也没有下载）",
    "the server never saw RETR; commands sent: {commands}":
        "服务器始终没有收到 RETR；发送的命令：{commands}",
    "upload(...) returned {name!r}, expected the remote name 'report.bin' "
    "(the local file's own name, os.path.basename(local_path))":
        "upload(...) 返回了 {name!r}，期望远程文件名 'report.bin'"
        "（即本地文件自己的名字，os.path.basename(local_path)）",
    "expected 'STOR report.bin' (the file's name only, not its local path); commands sent: {commands}":
        "期望 'STOR report.bin'（只用文件名，不带本地路径）；发送的命令：{commands}",
    "report.bin did not arrive in {home} on the server; commands sent: {commands}":
        "report.bin 没有出现在服务器的 {home} 中；发送的命令：{commands}",
    "the uploaded file differs: the server got {stored_size} bytes {stored!r}..., "
    'you had {size} bytes {data!r}...; use ftp.storbinary and open the file with "rb"':
        "上传的文件不一致：服务器收到 {stored_size} 个字节 {stored!r}...，"
        '而你的文件有 {size} 个字节 {data!r}...；请使用 ftp.storbinary，并用 "rb" 打开文件',
    "upload in binary mode (TYPE I); commands sent: {commands}":
        "请以二进制模式（TYPE I）上传；发送的命令：{commands}",
    "hello.txt was stored, yet the server refused it":
        "服务器拒绝了上传，hello.txt 却被保存了下来",
}
