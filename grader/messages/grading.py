"""Sentences of grading a class (en/zh): verdicts on a whole submission, grader notes, notices,
``netlings grade`` / ``netlings gradescope`` output and errors, per-test verdicts the collect
plugin gives (timeouts, errors outside the test body).

Keys start with ``grade.`` so they never meet another part's keys. The verdicts are
worded for the student (they land in feedback.md), the notes and notices for the
instructor; the English is the one the README quotes.
"""

MESSAGES: dict[str, dict[str, str]] = {
    # -- verdicts on a whole submission (grader/grade/runner.py, batch.py) ---------------------
    "grade.no_files": {
        "en": "No exercise files were found in your submission, so no test could run.",
        "zh": "你的提交中没有找到练习文件，因此没有运行任何测试。",
    },
    "grade.no_test_could_run": {
        "en": "No test could run: {problem}",
        "zh": "无法运行任何测试：{problem}",
    },
    "grade.forged": {
        "en": "Grading stopped: the results file was changed by something other than the grader. "
              "No test counts as passed.",
        "zh": "评分已停止：结果文件被评分程序以外的程序改动过。所有测试都不算通过。",
    },
    "grade.while_running": {"en": " while running {test}", "zh": "（当时正在运行 {test}）"},
    "grade.timeout": {
        "en": "Grading stopped: testing your submission took longer than {seconds} s (the limit for "
              "one submission) and was stopped{where}. No test counts as passed. Look for code that "
              "waits forever or loops without end.",
        "zh": "评分已停止：测试你的提交用时超过了 {seconds} 秒（每份提交的时间上限），已被终止{where}。"
              "所有测试都不算通过。请检查有没有永远等待或者无限循环的代码。",
    },
    "grade.crashed": {
        "en": "Grading stopped: the test run ended unexpectedly (exit code {code}){where}. "
              "No test counts as passed.",
        "zh": "评分已停止：测试运行意外结束（退出码 {code}）{where}。所有测试都不算通过。",
    },
    "grade.did_not_run": {
        "en": "This test did not run: the grading run stopped before reaching it.",
        "zh": "这个测试没有运行：评分在运行到它之前就停止了。",
    },
    "grade.grader_failed": {
        "en": "The grader failed on this submission ({error}); ask your instructor.",
        "zh": "评分程序在处理这份提交时出错（{error}）；请联系你的老师。",
    },
    "grade.prepare_failed": {
        "en": "could not prepare this submission: {error}",
        "zh": "无法准备这份提交：{error}",
    },
    # -- notes for the instructor, kept in result.json ------------------------------------------
    "grade.note.forged": {
        "en": "the results file's signature did not match: results were forged",
        "zh": "结果文件的签名不匹配：结果是伪造的",
    },
    "grade.note.timeout": {
        "en": "stopped after {seconds} s (the per-submission limit){where}",
        "zh": "{seconds} 秒后被终止（每份提交的时间上限）{where}",
    },
    "grade.note.crashed": {
        "en": "the pytest process ended without results (exit code {code}){where}",
        "zh": "pytest 进程结束时没有留下结果（退出码 {code}）{where}",
    },
    "grade.note.grader_failed": {
        "en": "internal grader error: {error}",
        "zh": "评分程序内部错误：{error}",
    },
    "grade.note.report_failed": {
        "en": "writing this submission's feedback failed, so it counts as not graded: {error}",
        "zh": "写入这份提交的反馈时出错，因此按未评分处理：{error}",
    },
    "grade.note.cleanup_failed": {
        "en": "this submission's temporary files could not all be removed, so it counts as not graded: "
              "{error}",
        "zh": "这份提交的临时文件未能全部删除，因此按未评分处理：{error}",
    },
    # -- per-test verdicts of the collect plugin (grader/report/collect.py) ----------------------
    "grade.test_timeout": {
        "en": "This test was stopped after {seconds} s, the time limit for one test. "
              "Is your code waiting for something that never comes?",
        "zh": "这个测试在 {seconds} 秒后被终止，这是单个测试的时间上限。"
              "你的代码是不是在等待永远不会到来的东西？",
    },
    "grade.no_exception": {
        "en": "the test failed during {when} without an exception",
        "zh": "测试在 {when} 阶段失败了，但没有抛出异常",
    },
    "grade.assertion_failed": {"en": "an assertion failed", "zh": "断言失败"},
    "grade.error_in_phase": {
        "en": "error in the test's {when}: {error}",
        "zh": "测试的 {when} 阶段出错：{error}",
    },
    # -- the suite (grader/grade/runner.py): errors that stop a batch ------------------------------
    "grade.suite.not_found": {"en": "test suite path not found: {path}", "zh": "找不到测试套件路径：{path}"},
    "grade.suite.none": {"en": "no test suite given", "zh": "没有指定测试套件"},
    "grade.suite.collect_failed": {
        "en": "collecting the test suite failed (exit code {code}):\n{log}",
        "zh": "收集测试套件失败（退出码 {code}）：\n{log}",
    },
    "grade.suite.does_not_collect": {
        "en": "the test suite does not collect:\n{errors}",
        "zh": "测试套件无法收集：\n{errors}",
    },
    "grade.suite.no_tests": {
        "en": "the test suite has no tests: {paths}\n{log}",
        "zh": "测试套件中没有测试：{paths}\n{log}",
    },
    # -- notices, said once per run (grader/grade/batch.py) ----------------------------------------
    "grade.unsafe.refused": {
        "en": "Not grading: {reason}, and without it a student's code could read the hidden tests and the "
              "solutions, and read, change or stop what belongs to other students graded on this machine. "
              "Install bubblewrap (or allow user namespaces), or accept that risk with --unsafe-shared-host.",
        "zh": "不进行评分：{reason}；没有沙箱时，学生的代码可以读取隐藏测试和参考答案，也可以读取、修改或中止"
              "在这台机器上同时评分的其他学生的内容。请安装 bubblewrap（或允许用户命名空间），"
              "或者用 --unsafe-shared-host 明确接受这一风险。",
    },
    "grade.notice.unsafe": {
        "en": "grading WITHOUT a sandbox (--unsafe-shared-host): {reason}; a student's code can read "
              "the hidden tests and the solutions, and read, change or stop what belongs to students "
              "graded on this host",
        "zh": "正在没有沙箱的情况下评分（--unsafe-shared-host）：{reason}；"
              "学生的代码可以读取隐藏测试和参考答案，"
              "也可以读取、修改或中止在这台机器上评分的其他学生的内容",
    },
    "grade.users.lock_dir": {
        "en": "cannot claim worker users: the lock folder {path} cannot be trusted ({why})",
        "zh": "无法占用评分用户：锁文件夹 {path} 不可信（{why}）",
    },
    "grade.users.not_root_owned": {
        "en": "it is not a folder that only root can write",
        "zh": "它不是只有 root 才能写入的文件夹",
    },
    "grade.users.too_few": {
        "en": "cannot claim {jobs} worker user(s) of their own from the ids {start}-{stop}: other "
              "batches hold them, or this system cannot switch to them; grade with fewer jobs (-j) "
              "or when those batches end",
        "zh": "无法从用户 ID {start}-{stop} 中占用 {jobs} 个专用评分用户：它们被其他批次占用，"
              "或者系统无法切换到这些用户；请减少并行数（-j），或等那些批次结束后再评分",
    },
    "grade.progress": {"en": "grading", "zh": "评分中"},
    "grade.progress_eta": {"en": "ETA", "zh": "剩余"},
    # -- netlings grade (grader/cli/grade.py) ------------------------------------------------------
    "grade.cli.for_instructors": {
        "en": "grading a class is for instructors; in the student edition, "
              "`netlings grade --self` grades your own exercises",
        "zh": "批改全班作业是老师用的功能；在学生版中，`netlings grade --self` 可以为你自己的练习评分",
    },
    "grade.cli.usage": {
        "en": "give the submissions and --out DIR (or --self to grade your own exercises)",
        "zh": "请给出要评分的提交和 --out 目录（或者用 --self 为你自己的练习评分）",
    },
    "grade.cli.no_suite": {
        "en": "no test suite found (no grader/hidden/, no exercises/*/test_*.py); use --suite PATH",
        "zh": "找不到测试套件（没有 grader/hidden/，也没有 exercises/*/test_*.py）；请用 --suite 路径 指定",
    },
    "grade.cli.no_such_submission": {"en": "no such submission: {paths}", "zh": "找不到提交：{paths}"},
    "grade.cli.no_submissions": {"en": "no submissions found", "zh": "没有找到任何提交"},
    "grade.cli.self_usage": {
        "en": "--self grades your own exercises: give no SUBMISSION and no --out (use --root DIR)",
        "zh": "--self 为你自己的练习评分：不要给出提交，也不要给出 --out（可以用 --root 目录）",
    },
    "grade.cli.visible_only": {
        "en": "visible tests only (no hidden tests here): your course's grade also counts hidden tests",
        "zh": "只运行了公开测试（这里没有隐藏测试）：课程成绩还会计入隐藏测试",
    },
    "grade.cli.self_score": {
        "en": "score {score}/{max_score}{again}; feedback: {feedback}",
        "zh": "得分 {score}/{max_score}{again}；反馈：{feedback}",
    },
    "grade.cli.unchanged": {"en": " (unchanged since the last run)", "zh": "（自上次运行以来没有变化）"},
    # -- netlings grade --help (in the current language: --lang comes too late for it) -----------
    "grade.help": {
        "en": "grade submissions (folders or .zip files) into a gradebook; --self: your own exercises",
        "zh": "把提交（文件夹或 .zip 文件）批改成成绩表；--self：为你自己的练习评分",
    },
    "grade.help.submissions": {
        "en": "a student's folder or .zip, or a folder of them",
        "zh": "一个学生的文件夹或 .zip 文件，或者装着它们的文件夹",
    },
    "grade.help.out": {"en": "where results go", "zh": "结果写到哪里"},
    "grade.help.self": {
        "en": "grade your own exercises/ (feedback in .netlings/feedback.md)",
        "zh": "为你自己的 exercises/ 评分（反馈写在 .netlings/feedback.md）",
    },
    "grade.help.root": {
        "en": "with --self: the exercises folder (or the folder holding it); default: here",
        "zh": "与 --self 一起使用：练习文件夹（或包含它的文件夹）；默认：当前文件夹",
    },
    "grade.help.jobs": {"en": "submissions graded in parallel", "zh": "同时评分的提交数"},
    "grade.help.unsafe_shared_host": {
        "en": "grade even where no sandbox can be had (no bubblewrap, no user namespaces, macOS, Windows): "
              "students' code can then read the hidden tests and reach each other",
        "zh": "即使无法使用沙箱（没有 bubblewrap、不允许用户命名空间、macOS、Windows）也进行评分："
              "此时学生的代码可以读取隐藏测试，也能互相影响",
    },
    "grade.help.force": {"en": "re-grade even unchanged submissions", "zh": "没有改动的提交也重新评分"},
    "grade.help.suite": {
        "en": "test file or folder to run (repeatable; default: hidden + visible tests)",
        "zh": "要运行的测试文件或文件夹（可以重复给出；默认：隐藏测试 + 公开测试）",
    },
    "grade.help.timeout": {
        "en": "wall-clock limit for one submission (default 300)",
        "zh": "每份提交的时间上限（默认 300 秒）",
    },
    "grade.help.test_timeout": {
        "en": "limit for one test (default {seconds})",
        "zh": "单个测试的时间上限（默认 {seconds} 秒）",
    },
    "grade.help.progress": {
        "en": "show a progress bar even when stderr is not a terminal",
        "zh": "即使 stderr 不是终端也显示进度条",
    },
    "grade.help.no_progress": {"en": "never show a progress bar", "zh": "从不显示进度条"},
    "grade.gradescope.help": {
        "en": "build or run a Gradescope autograder",
        "zh": "构建或运行 Gradescope 自动评分程序",
    },
    "grade.gradescope.help.build": {
        "en": "write autograder.zip for Gradescope",
        "zh": "为 Gradescope 写出 autograder.zip",
    },
    "grade.gradescope.help.suite": {
        "en": "test file or folder (repeatable; default: hidden + visible tests)",
        "zh": "测试文件或文件夹（可以重复给出；默认：隐藏测试 + 公开测试）",
    },
    "grade.gradescope.help.run": {
        "en": "grade <root>/submission into <root>/results/results.json",
        "zh": "为 <root>/submission 评分，结果写入 <root>/results/results.json",
    },
    "grade.gradescope.help.root": {
        "en": "autograder root (default: ${env} or {default})",
        "zh": "自动评分程序的根目录（默认：${env} 或 {default}）",
    },
    # -- netlings grade --self (grader/grade/selfgrade.py) --------------------------------------
    "grade.self.visible_only_note": {
        "en": "Graded with the visible tests only (the student edition has no hidden tests): "
              "your course's grade also counts hidden tests that try more cases.",
        "zh": "本次只用公开测试评分（学生版没有隐藏测试）：课程成绩还会计入尝试更多情况的隐藏测试。",
    },
    "grade.self.no_exercises": {
        "en": "no exercises found in {folder}: run this in your netlings folder, or name it with --root",
        "zh": "在 {folder} 中找不到练习：请在你的 netlings 文件夹中运行，或者用 --root 指定它",
    },
    # -- netlings gradescope (grader/cli/gradescope.py) -------------------------------------------
    "grade.gradescope.suite_missing": {
        "en": "suite path not found: {path}",
        "zh": "找不到测试套件路径：{path}",
    },
    "grade.gradescope.wrote": {
        "en": "wrote {path} (upload it as the autograder of a Gradescope programming assignment)",
        "zh": "已写入 {path}（把它上传为 Gradescope 编程作业的自动评分程序）",
    },
    "grade.gradescope.failed": {
        "en": "The autograder could not grade this submission ({error}). Please tell your instructor.",
        "zh": "自动评分程序无法为这份提交评分（{error}）。请告诉你的老师。",
    },
    "grade.gradescope.written": {"en": "score {score} written to {path}", "zh": "得分 {score} 已写入 {path}"},
}
