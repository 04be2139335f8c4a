"""Sentences of the student's companion (``netlings``, ``list``, ``check``, ``watch``, ``hint``,
``reset``, ``solution``): key -> {"en": ..., "zh": ...}, the same placeholders in both.

Keys start with ``companion.`` so they can never meet another part's keys.
"""

MESSAGES: dict[str, dict[str, str]] = {
    # -- finding the exercises ------------------------------------------------------------------
    "companion.no_workspace": {
        "en": "no exercises found in {folder} or above: run netlings inside your netlings folder "
              "(the one that holds exercises/netlings.toml).",
        "zh": "在 {folder} 及其上级目录中找不到练习：请在你的 netlings 文件夹"
              "（包含 exercises/netlings.toml 的那个）里运行 netlings。",
    },
    "companion.unknown_exercise": {
        "en": "there is no exercise {name!r}. The exercises are: {known}.",
        "zh": "没有名为 {name!r} 的练习。所有练习：{known}。",
    },
    # -- statuses ---------------------------------------------------------------------------------
    "companion.status.done": {"en": "done", "zh": "已完成"},
    "companion.status.not_yet": {"en": "not yet", "zh": "未通过"},
    "companion.status.not_started": {"en": "not started", "zh": "未开始"},
    "companion.status.missing": {"en": "file missing", "zh": "文件缺失"},
    "companion.status.tests": {"en": "{passed}/{total} tests", "zh": "{passed}/{total} 项测试"},
    # -- netlings / netlings list ----------------------------------------------------------------
    "companion.list.help": {
        "en": "your progress: every exercise, done or not, and what to do next",
        "zh": "你的进度：每个练习是否完成，以及下一步做什么",
    },
    "companion.list.heading": {
        "en": "Your progress: {done} of {total} exercises done ({points} of {total_points} points)",
        "zh": "你的进度：已完成 {total} 个练习中的 {done} 个（{total_points} 分中的 {points} 分）",
    },
    "companion.list.col.unit": {"en": "unit", "zh": "单元"},
    "companion.list.col.exercise": {"en": "exercise", "zh": "练习"},
    "companion.list.col.title": {"en": "what you write", "zh": "内容"},
    "companion.list.col.status": {"en": "status", "zh": "状态"},
    "companion.list.counts": {
        "en": "{done} done · {not_yet} not yet · {not_started} not started",
        "zh": "{done} 个已完成 · {not_yet} 个未通过 · {not_started} 个未开始",
    },
    "companion.next": {
        "en": "Next: {exercise} — {title}\n"
              "  Edit {path}, then run `netlings check` (or `netlings watch` to check on every save).",
        "zh": "下一个：{exercise} — {title}\n"
              "  编辑 {path}，然后运行 `netlings check`（或者运行 `netlings watch`，每次保存时自动检查）。",
    },
    "companion.watch.next": {
        "en": "Next: {exercise} — {title}\n  Edit {path}: it is checked every time you save.",
        "zh": "下一个：{exercise} — {title}\n  编辑 {path}：每次保存都会自动检查。",
    },
    "companion.all_done": {
        "en": "All {total} exercises pass. Well done! "
              "Compare with the reference: `netlings solution EXERCISE`.",
        "zh": "全部 {total} 个练习都通过了，干得好！可以用 `netlings solution 练习名` 对照参考答案。",
    },
    # -- netlings check ---------------------------------------------------------------------------
    "companion.check.help": {
        "en": "run the visible tests of one exercise (default: the first one not done yet)",
        "zh": "运行一个练习的公开测试（默认：第一个还没完成的练习）",
    },
    "companion.check.verbose_help": {
        "en": "show whole failure messages and what the fake servers saw",
        "zh": "显示完整的失败信息，以及模拟服务器看到的通信记录",
    },
    "companion.exercise_help": {
        "en": "exercise id or path, e.g. udp_server or 01_udp/udp_server.py",
        "zh": "练习名或路径，例如 udp_server 或 01_udp/udp_server.py",
    },
    "companion.description": {
        "en": "Network-programming exercises that grade themselves.",
        "zh": "会自动评分的网络编程练习。",
    },
    "companion.lang_help": {
        "en": "language of every message: en or zh (default: NETLINGS_LANG, else the locale)",
        "zh": "所有信息使用的语言：en 或 zh（默认取 NETLINGS_LANG，否则按系统区域设置）",
    },
    "companion.checking": {
        "en": "Running the tests of {exercise} …",
        "zh": "正在运行 {exercise} 的测试……",
    },
    "companion.check.heading": {
        "en": "{exercise} — {title} ({path})",
        "zh": "{exercise} — {title}（{path}）",
    },
    "companion.check.passed": {
        "en": "All {total} tests of {exercise} pass: done!",
        "zh": "{exercise} 的全部 {total} 项测试都通过了：完成！",
    },
    "companion.check.failed": {
        "en": "{passed} of {total} tests pass.",
        "zh": "{total} 项测试中通过了 {passed} 项。",
    },
    "companion.check.stuck": {
        "en": "Stuck? `netlings hint {exercise}` gives a hint; `netlings check {exercise} --verbose` "
              "shows whole messages and what the server saw.",
        "zh": "卡住了？`netlings hint {exercise}` 给出提示；`netlings check {exercise} --verbose` "
              "显示完整信息以及服务器看到的内容。",
    },
    "companion.check.more_lines": {
        "en": "… {count} more lines (--verbose shows them)",
        "zh": "……还有 {count} 行（加 --verbose 查看）",
    },
    "companion.check.same_message": {
        "en": "(same message as above)",
        "zh": "（信息同上）",
    },
    "companion.check.error": {
        "en": "The tests of {exercise} could not run:",
        "zh": "{exercise} 的测试无法运行：",
    },
    "companion.check.timeout": {
        "en": "the tests did not finish within {seconds} s and were stopped.",
        "zh": "测试在 {seconds} 秒内没有结束，已被停止。",
    },
    "companion.check.no_result": {
        "en": "pytest reported no test (exit status {code}).",
        "zh": "pytest 没有报告任何测试结果（退出状态 {code}）。",
    },
    "companion.check.no_test_file": {
        "en": "the visible tests {path} are missing.",
        "zh": "缺少公开测试文件 {path}。",
    },
    "companion.check.untouched": {
        "en": "{path} is still the untouched stub: replace its TODOs, step by step.",
        "zh": "{path} 还是原始的练习模板：按 TODO 注释一步步替换。",
    },
    "companion.check.missing": {
        "en": "{path} does not exist: `netlings reset {exercise}` brings back the stub.",
        "zh": "{path} 不存在：运行 `netlings reset {exercise}` 可以恢复练习模板。",
    },
    # -- netlings watch ---------------------------------------------------------------------------
    "companion.watch.help": {
        "en": "check the current exercise every time you save a file; move on when it passes",
        "zh": "每次保存文件时检查当前练习；通过后自动进入下一个",
    },
    "companion.watch.poll_help": {
        "en": "look for changes by polling instead of file-system notifications",
        "zh": "通过轮询而不是文件系统通知来发现文件改动",
    },
    "companion.watch.max_runs_help": {
        "en": "stop after this many checks",
        "zh": "检查这么多次之后停止",
    },
    "companion.watch.timeout_help": {
        "en": "stop after this many seconds",
        "zh": "这么多秒之后停止",
    },
    "companion.watch.watching": {
        "en": "Watching {folder}: save a file to check {exercise} again. Ctrl-C stops.",
        "zh": "正在监视 {folder}：保存文件即可重新检查 {exercise}。按 Ctrl-C 停止。",
    },
    "companion.watch.polling": {
        "en": "(looking for changes every {interval} s: file-system notifications are not available)",
        "zh": "（每 {interval} 秒检查一次改动：文件系统通知不可用）",
    },
    "companion.watch.changed": {
        "en": "{path} changed.",
        "zh": "{path} 已改动。",
    },
    "companion.watch.stopped": {
        "en": "Stopped watching.",
        "zh": "已停止监视。",
    },
    # -- netlings hint ----------------------------------------------------------------------------
    "companion.hint.help": {
        "en": "show the next hint step for an exercise (default: the current one)",
        "zh": "显示某个练习的下一条提示（默认：当前练习）",
    },
    "companion.hint.all_help": {
        "en": "show every step at once",
        "zh": "一次显示所有提示",
    },
    "companion.hint.heading": {
        "en": "Hints for {exercise} — {title}",
        "zh": "{exercise} 的提示 — {title}",
    },
    "companion.hint.step": {
        "en": "Step {step} of {total}",
        "zh": "第 {step} 步（共 {total} 步）",
    },
    "companion.hint.more": {
        "en": "Still stuck? `netlings hint {exercise}` again shows the next step ({left} left).",
        "zh": "还是卡住了？再次运行 `netlings hint {exercise}` 查看下一步（还剩 {left} 步）。",
    },
    "companion.hint.last": {
        "en": "That was the last step. The unit's README ({readme}) explains the protocol step by step.",
        "zh": "这是最后一步了。单元说明（{readme}）一步步讲解了这个协议。",
    },
    # -- netlings reset ---------------------------------------------------------------------------
    "companion.reset.help": {
        "en": "put an exercise back to its stub (your version is kept in .netlings/backup/)",
        "zh": "把练习恢复为原始模板（你的版本会保存在 .netlings/backup/ 中）",
    },
    "companion.reset.yes_help": {
        "en": "do not ask for confirmation",
        "zh": "不再询问确认",
    },
    "companion.reset.confirm": {
        "en": "Reset {exercise}? {path} goes back to the stub; your version is kept in {backup}. [y/N] ",
        "zh": "确定要重置 {exercise} 吗？{path} 将恢复为原始模板；你的版本会保存在 {backup}。[y/N] ",
    },
    "companion.reset.done": {
        "en": "{path} is the stub again. Your previous version is in {backup}.",
        "zh": "{path} 已恢复为原始模板。你之前的版本保存在 {backup}。",
    },
    "companion.reset.restored": {
        "en": "{path} is the stub again.",
        "zh": "{path} 已恢复为原始模板。",
    },
    "companion.reset.already": {
        "en": "{path} is already the untouched stub: nothing to reset.",
        "zh": "{path} 已经是原始模板，无需重置。",
    },
    "companion.reset.cancelled": {
        "en": "Nothing changed.",
        "zh": "没有做任何改动。",
    },
    "companion.reset.no_stub": {
        "en": "no copy of the stub of {exercise} here (exercises/.stubs.json has no entry and there is no "
              "solutions/ folder): ask your instructor for the file.",
        "zh": "这里没有 {exercise} 原始模板的副本（exercises/.stubs.json 中没有记录，"
              "也没有 solutions/ 文件夹）：请向老师索取该文件。",
    },
    # -- netlings solution ------------------------------------------------------------------------
    "companion.solution.help": {
        "en": "show the reference solution of an exercise, once yours passes",
        "zh": "在你的练习通过之后，显示参考答案",
    },
    "companion.solution.locked": {
        "en": "The reference solution of {exercise} is shown once your version passes its tests: "
              "run `netlings check {exercise}`.",
        "zh": "{exercise} 的参考答案要等你的代码通过测试之后才会显示：请运行 `netlings check {exercise}`。",
    },
    "companion.solution.unavailable": {
        "en": "{exercise} passes, well done! The reference solutions are not part of your copy: "
              "your instructor has them.",
        "zh": "{exercise} 已通过，干得好！你的副本中不包含参考答案：参考答案在老师那里。",
    },
    "companion.solution.heading": {
        "en": "Reference solution of {exercise} ({path}): compare it with yours.",
        "zh": "{exercise} 的参考答案（{path}）：和你的代码对照一下。",
    },
}
