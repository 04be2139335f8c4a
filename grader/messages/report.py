"""Sentences of the grading reports (en/zh): feedback.md/html, summary.md, Gradescope's text,
the summary line after a run.

Keys start with ``report.`` so they never meet another part's keys. Why here and not in
the writers: the instructor picks the class's language at grading time (``--lang`` /
``NETLINGS_LANG``), and a student's feedback must be in one language from heading to
verdict; the numbers and identifiers around these sentences never change with it.
"""

MESSAGES: dict[str, dict[str, str]] = {
    # -- feedback.md / feedback.html ----------------------------------------------------------
    "report.html_lang": {"en": "en", "zh": "zh-CN"},
    "report.feedback_title": {"en": "Feedback for {student}", "zh": "{student} 的评分反馈"},
    "report.score": {"en": "Score: {score}/{max_score}", "zh": "得分：{score}/{max_score}"},
    "report.problems_heading": {"en": "Problems found before testing", "zh": "测试前发现的问题"},
    "report.notes_heading": {"en": "Notes from the grader", "zh": "评分程序的说明"},
    "report.heading_colon": {"en": "{heading}:", "zh": "{heading}："},
    "report.exercise_score": {
        "en": "{exercise}: {earned}/{possible} points",
        "zh": "{exercise}：{earned}/{possible} 分",
    },
    "report.test_points": {"en": "({points})", "zh": "（{points}）"},
    "report.test_points_note": {"en": "({points}, {note})", "zh": "（{points}，{note}）"},
    "report.note_separator": {"en": ", ", "zh": "，"},
    "report.not_counted": {"en": "not counted", "zh": "不计分"},
    "report.skipped": {"en": "skipped", "zh": "已跳过"},
    "report.skipped_because": {"en": "skipped: {reason}", "zh": "已跳过：{reason}"},
    "report.timed_out": {"en": "timed out", "zh": "超时"},
    "report.error": {"en": "error", "zh": "出错"},
    "report.hidden_until_due_date": {
        "en": "details hidden until the due date",
        "zh": "详情在截止日期之后显示",
    },
    "report.hidden_until_published": {
        "en": "details hidden until grades are published",
        "zh": "详情在成绩公布之后显示",
    },
    "report.same_as_above": {"en": "same message as above", "zh": "信息同上"},
    "report.details_as_above": {"en": "details as above", "zh": "详情同上"},
    "report.hidden_summary": {
        "en": "hidden tests: {passed} of {total} passed ({earned}/{possible} points)",
        "zh": "隐藏测试：{total} 项中通过 {passed} 项（{earned}/{possible} 分）",
    },
    # -- Gradescope's overall output ------------------------------------------------------------
    "report.gradescope_later": {
        "en": "{count} test(s) show their details after the due date.",
        "zh": "{count} 项测试的详情将在截止日期之后显示。",
    },
    # -- summary.md -------------------------------------------------------------------------------
    "report.summary.title": {"en": "Class summary", "zh": "全班汇总"},
    "report.summary.none": {"en": "No submissions.", "zh": "没有提交。"},
    "report.summary.submissions_one": {"en": "{count} submission", "zh": "{count} 份提交"},
    "report.summary.submissions_many": {"en": "{count} submissions", "zh": "{count} 份提交"},
    "report.summary.overview": {
        "en": "{submissions}; mean score {mean}/{best}; full marks: {full}.",
        "zh": "{submissions}；平均分 {mean}/{best}；满分：{full} 份。",
    },
    "report.summary.per_exercise": {"en": "Per exercise", "zh": "各练习"},
    "report.summary.exercise_columns": {
        "en": "| exercise | mean | max | full marks |",
        "zh": "| 练习 | 平均分 | 满分值 | 满分份数 |",
    },
    "report.summary.per_test": {"en": "Per test (most failed first)", "zh": "各测试（失败最多的在前）"},
    "report.summary.test_columns": {
        "en": "| test | exercise | failed | not started | most common messages |",
        "zh": "| 测试 | 练习 | 未通过 | 未开始 | 最常见的信息 |",
    },
    "report.summary.not_started": {
        "en": "*Not started* counts the students for whom the test found the function still "
              "\"not implemented yet\" or its file missing: work not reached, not a mistake, so it is not "
              "in *failed*.",
        "zh": "“未开始”统计的是函数仍“还没有实现”或文件缺失的学生："
              "那是还没做到的部分，不是错误，所以不计入“未通过”。",
    },
    "report.summary.status": {"en": "({status})", "zh": "（{status}）"},
    "report.status.fail": {"en": "fail", "zh": "未通过"},
    "report.status.error": {"en": "error", "zh": "出错"},
    "report.status.timeout": {"en": "timeout", "zh": "超时"},
    "report.summary.with_problems": {"en": "Submissions with problems", "zh": "有问题的提交"},
    "report.summary.problem_separator": {"en": "; ", "zh": "；"},
    "report.summary.student_problems": {"en": "- {student}: {problems}", "zh": "- {student}：{problems}"},
    # -- the line printed after every `netlings grade` ----------------------------------------
    "report.line.graded_one": {"en": "graded {count} submission", "zh": "已评分 {count} 份提交"},
    "report.line.graded_many": {"en": "graded {count} submissions", "zh": "已评分 {count} 份提交"},
    "report.line.kept": {"en": "{count} unchanged (kept)", "zh": "{count} 份未改动（沿用上次结果）"},
    "report.line.problems": {"en": "{count} with problems", "zh": "{count} 份有问题"},
    "report.line.separator": {"en": ", ", "zh": "，"},
    "report.line.done": {
        "en": "{parts} in {seconds} s; mean {mean}/{top}",
        "zh": "{parts}，用时 {seconds} 秒；平均分 {mean}/{top}",
    },
}
