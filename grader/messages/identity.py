"""Sentences of who-is-who (en/zh): student ids, ``--roster``, empty submissions, and the
class's problems table printed at the end of ``netlings grade``.

Keys start with ``identity.``, ``roster.`` or ``class_problems.``. The short labels under
``class_problems.kind.`` name a kind of problem in one or two words: they sit in a table
cell on the instructor's terminal and on the class dashboard, so they must stay short.
"""

MESSAGES: dict[str, dict[str, str]] = {
    # -- identity: problems recorded in a student's result -----------------------------------------
    "identity.collision": {
        "en": "The submissions {others} would have had the same student id as this one ({student}); "
              "each got a distinct id that stays the same on every run. Check they are different students.",
        "zh": "提交 {others} 本会与这份提交得到相同的学生 ID（{student}）；"
              "每份都得到了一个在每次运行中保持不变的不同 ID。请确认它们属于不同的学生。",
    },
    "identity.empty": {
        "en": "{submission} holds no Python file at all: it was not graded.",
        "zh": "{submission} 中没有任何 Python 文件：未评分。",
    },
    # -- roster ---------------------------------------------------------------------------------------
    "roster.not_on_roster": {
        "en": "The submission {submission} matches no entry of the roster.",
        "zh": "提交 {submission} 与名单中的任何条目都不匹配。",
    },
    "roster.ambiguous_entries": {
        "en": "The submission {submission} matches more than one roster entry ({entries}); "
              "none of them was used.",
        "zh": "提交 {submission} 与名单中的多个条目匹配（{entries}）；没有使用其中任何一个。",
    },
    "roster.shared_entry": {
        "en": "The roster entry {entry} matches more than one submission ({submissions}); "
              "it was used for none of them, each keeps an id of its own.",
        "zh": "名单条目 {entry} 与多份提交匹配（{submissions}）；"
              "没有用于其中任何一份，每份提交保留自己的 ID。",
    },
    "roster.absent": {
        "en": "No submission matched this roster entry.",
        "zh": "没有提交与这个名单条目匹配。",
    },
    "roster.error.unreadable": {
        "en": "The roster {path} cannot be read: {error}.",
        "zh": "无法读取名单 {path}：{error}。",
    },
    "roster.error.too_large": {
        "en": "The roster {path} is larger than {size}: it is not a class list.",
        "zh": "名单 {path} 大于 {size}：这不是一份班级名单。",
    },
    "roster.error.no_submission_column": {
        "en": "The roster {path} has no 'submission' column in its first line (it has: {columns}).",
        "zh": "名单 {path} 的第一行没有 'submission' 列（现有的列：{columns}）。",
    },
    "roster.error.bad_pattern": {
        "en": "The roster {path}, line {line}: the pattern {pattern} is not a valid regular expression "
              "({error}).",
        "zh": "名单 {path} 第 {line} 行：模式 {pattern} 不是有效的正则表达式（{error}）。",
    },
    "roster.error.empty_submission": {
        "en": "The roster {path}, line {line}: the 'submission' cell is empty.",
        "zh": "名单 {path} 第 {line} 行：'submission' 单元格是空的。",
    },
    "roster.help": {
        "en": "a CSV file (columns: submission, and optionally id, name, sis_id, login_id, section) "
              "mapping submission names, globs or re:regexes to students",
        "zh": "一个 CSV 文件（列：submission，可选 id、name、sis_id、login_id、section），"
              "把提交名称、通配符或 re:正则表达式对应到学生",
    },
    # -- the class's problems table -------------------------------------------------------------------
    "class_problems.heading": {
        "en": "Students with problems:",
        "zh": "有问题的学生：",
    },
    "class_problems.col.student": {"en": "Student", "zh": "学生"},
    "class_problems.col.submission": {"en": "Submission", "zh": "提交"},
    "class_problems.col.kinds": {"en": "Problems", "zh": "问题"},
    "class_problems.col.detail": {"en": "Detail", "zh": "详情"},
    "class_problems.separator": {"en": ", ", "zh": "，"},
    "class_problems.timed_out_tests": {
        "en": "{count} test(s) timed out, first: {test}",
        "zh": "{count} 个测试超时，第一个：{test}",
    },
    "class_problems.kind.missing": {"en": "missing files", "zh": "缺少文件"},
    "class_problems.kind.syntax": {"en": "syntax error", "zh": "语法错误"},
    "class_problems.kind.encoding": {"en": "bad encoding", "zh": "编码错误"},
    "class_problems.kind.ignored": {"en": "ignored files", "zh": "已忽略的文件"},
    "class_problems.kind.shadows_stdlib": {"en": "shadows stdlib", "zh": "与标准库同名"},
    "class_problems.kind.too_large": {"en": "too large", "zh": "文件过大"},
    "class_problems.kind.bad_archive": {"en": "unreadable archive", "zh": "无法读取的压缩包"},
    "class_problems.kind.not_found": {"en": "no exercises found", "zh": "未找到练习"},
    "class_problems.kind.unsafe": {"en": "unsafe files", "zh": "不安全的文件"},
    "class_problems.kind.timeout": {"en": "timed out", "zh": "超时"},
    "class_problems.kind.crashed": {"en": "crashed", "zh": "崩溃"},
    "class_problems.kind.forged": {"en": "forged results", "zh": "伪造结果"},
    "class_problems.kind.empty": {"en": "empty submission", "zh": "空提交"},
    "class_problems.kind.not_on_roster": {"en": "not on roster", "zh": "不在名单中"},
    "class_problems.kind.absent": {"en": "no submission", "zh": "未提交"},
    "class_problems.kind.id_collision": {"en": "id collision", "zh": "ID 冲突"},
    "class_problems.kind.roster_ambiguous": {"en": "roster ambiguous", "zh": "名单匹配不唯一"},
    "class_problems.kind.grader_error": {"en": "grader error", "zh": "评分程序出错"},
    "class_problems.kind.other": {"en": "other problem", "zh": "其他问题"},
}
