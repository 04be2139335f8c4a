"""Sentences of the class dashboard (``summary.html``) and of summary.md's one-scale parts (en/zh).

Keys start with ``dashboard.``. Why a module of their own: the dashboard is read by the
instructor in the class's language (the one the batch was graded in), like summary.md,
and its charts' labels and tooltips are sentences too, so none is written in the writer.
"""

MESSAGES: dict[str, dict[str, str]] = {
    "dashboard.title": {"en": "Class dashboard", "zh": "全班成绩概览"},
    "dashboard.none": {"en": "No submissions were graded.", "zh": "没有评分的提交。"},
    "dashboard.see_also": {
        "en": "Per test details: summary.md; the gradebook: grades.csv.",
        "zh": "各测试的详情见 summary.md；成绩表见 grades.csv。",
    },
    # -- overview --------------------------------------------------------------------------------
    "dashboard.overview.heading": {"en": "Overview", "zh": "总览"},
    "dashboard.overview.students": {"en": "Students", "zh": "学生人数"},
    "dashboard.overview.mean": {"en": "Mean", "zh": "平均分"},
    "dashboard.overview.median": {"en": "Median", "zh": "中位数"},
    "dashboard.overview.full": {"en": "Full marks", "zh": "满分人数"},
    "dashboard.overview.out_of": {"en": "All grades are out of {max}.",
                                  "zh": "所有成绩均以 {max} 分为满分。"},
    # -- histogram -------------------------------------------------------------------------------
    "dashboard.histogram.heading": {"en": "Score distribution", "zh": "成绩分布"},
    "dashboard.histogram.x": {"en": "course grade (out of {max})", "zh": "课程成绩（满分 {max}）"},
    "dashboard.histogram.y": {"en": "students", "zh": "学生人数"},
    "dashboard.histogram.bar_one": {"en": "{low}–{high}: {count} student",
                                    "zh": "{low}–{high}：{count} 名学生"},
    "dashboard.histogram.bar_many": {"en": "{low}–{high}: {count} students",
                                     "zh": "{low}–{high}：{count} 名学生"},
    # -- exercises -------------------------------------------------------------------------------
    "dashboard.exercises.heading": {"en": "Exercises (difficulty)", "zh": "各练习（难度）"},
    "dashboard.exercises.explain": {
        "en": "Mean grade of each exercise as a share of its weight. Pass rate: the share of students "
              "with full marks on it.",
        "zh": "各练习的平均得分占该练习分值的比例。通过率：该练习得满分的学生所占比例。",
    },
    "dashboard.exercises.chart_x": {"en": "mean grade, % of the exercise's weight",
                                    "zh": "平均得分占练习分值的百分比"},
    "dashboard.exercises.bar": {
        "en": "{exercise}: mean {mean} of {weight}, pass rate {rate}",
        "zh": "{exercise}：平均 {mean}（满分 {weight}），通过率 {rate}",
    },
    "dashboard.col.exercise": {"en": "exercise", "zh": "练习"},
    "dashboard.col.weight": {"en": "weight", "zh": "分值"},
    "dashboard.col.mean": {"en": "mean", "zh": "平均分"},
    "dashboard.col.pass_rate": {"en": "pass rate", "zh": "通过率"},
    # -- mistakes --------------------------------------------------------------------------------
    "dashboard.mistakes.heading": {"en": "Named beginner mistakes", "zh": "常见的初学者错误"},
    "dashboard.mistakes.explain": {
        "en": "Mistakes the tests recognised, with how many students made each; a name opens that "
              "student's feedback.",
        "zh": "测试识别出的错误，以及犯每种错误的学生人数；点击学生名可打开其反馈。",
    },
    "dashboard.mistakes.none": {"en": "No named mistake was found.", "zh": "没有发现可识别的常见错误。"},
    "dashboard.col.mistake": {"en": "mistake", "zh": "错误"},
    "dashboard.col.students": {"en": "students", "zh": "学生人数"},
    "dashboard.col.who": {"en": "who", "zh": "学生"},
    # -- tests: slow and timed out ---------------------------------------------------------------
    "dashboard.slow.heading": {"en": "Slowest tests", "zh": "最慢的测试"},
    "dashboard.slow.none": {"en": "No test durations were recorded.", "zh": "没有记录测试用时。"},
    "dashboard.col.test": {"en": "test", "zh": "测试"},
    "dashboard.col.mean_duration": {"en": "mean duration", "zh": "平均用时"},
    "dashboard.col.longest": {"en": "longest", "zh": "最长用时"},
    "dashboard.seconds": {"en": "{seconds} s", "zh": "{seconds} 秒"},
    "dashboard.timeouts.heading": {"en": "Tests that timed out", "zh": "超时的测试"},
    "dashboard.timeouts.none": {"en": "No test timed out.", "zh": "没有测试超时。"},
    "dashboard.col.timed_out": {"en": "students timed out", "zh": "超时的学生人数"},
    # -- score changes ---------------------------------------------------------------------------
    "dashboard.changes.heading": {"en": "Score changed since the last run", "zh": "与上次评分相比成绩有变化"},
    "dashboard.changes.none": {"en": "No score changed since the last run.",
                               "zh": "与上次评分相比没有成绩变化。"},
    "dashboard.col.student": {"en": "student", "zh": "学生"},
    "dashboard.col.before": {"en": "before", "zh": "之前"},
    "dashboard.col.now": {"en": "now", "zh": "现在"},
    "dashboard.col.change": {"en": "change", "zh": "变化"},
    "dashboard.changes.line": {"en": "- {student}: {before} → {now} ({change})",
                               "zh": "- {student}：{before} → {now}（{change}）"},
    # -- problems --------------------------------------------------------------------------------
    "dashboard.problems.heading": {"en": "Students with problems", "zh": "有问题的学生"},
    "dashboard.problems.none": {"en": "No student had a problem.", "zh": "没有学生出现问题。"},
    "dashboard.col.submission": {"en": "submission", "zh": "提交"},
    "dashboard.col.problem": {"en": "problem", "zh": "问题"},
    "dashboard.col.detail": {"en": "detail", "zh": "详情"},
    "dashboard.problems.kinds_detail": {"en": "{kinds}: {detail}", "zh": "{kinds}：{detail}"},
    "dashboard.pass_rate": {"en": "{rate} ({full}/{count})", "zh": "{rate}（{full}/{count}）"},
    # -- summary.md on the one scale -------------------------------------------------------------
    "dashboard.md.exercise_columns": {
        "en": "| exercise | weight | mean | pass rate |",
        "zh": "| 练习 | 分值 | 平均分 | 通过率 |",
    },
}
