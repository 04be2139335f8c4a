"""Sentences of ``netlings export canvas|moodle|csv OUT`` (en/zh): help, results, errors.

Keys start with ``export.``. The files themselves speak no language of ours: their column
names are the ones Canvas and Moodle expect (see :mod:`grader.report.exports`), so only
what the command prints comes from here.
"""

MESSAGES: dict[str, dict[str, str]] = {
    # -- help -------------------------------------------------------------------------------------
    "export.help": {
        "en": "write the gradebook of a graded folder for Canvas, Moodle or as a plain CSV",
        "zh": "将已评分文件夹的成绩册导出为 Canvas、Moodle 或普通 CSV 格式",
    },
    "export.help.format": {
        "en": "canvas: Canvas's Gradebook import; moodle: Moodle's CSV grade import; csv: a plain CSV",
        "zh": "canvas：Canvas 成绩册导入格式；moodle：Moodle 的 CSV 成绩导入格式；csv：普通 CSV",
    },
    "export.help.out": {
        "en": "the folder written by `netlings grade ... --out OUT`",
        "zh": "由 `netlings grade ... --out OUT` 写出的文件夹",
    },
    "export.help.assignment": {
        "en": "the assignment's name in the LMS (Canvas: its exact title, or \"Title (id)\"; "
              "default: {default})",
        "zh": "作业在学习平台中的名称（Canvas：完全一致的标题，或 \"标题 (id)\"；默认：{default}）",
    },
    "export.help.output": {
        "en": "the file to write (default: OUT/export-canvas.csv, OUT/export-moodle.csv or OUT/export.csv)",
        "zh": "要写入的文件（默认：OUT/export-canvas.csv、OUT/export-moodle.csv 或 OUT/export.csv）",
    },
    "export.help.key": {
        "en": "Moodle only: the column Moodle matches students on, idnumber (the roster's SIS id) or email "
              "(default: idnumber when the roster gives one)",
        "zh": "仅用于 Moodle：Moodle 用来匹配学生的列，idnumber（名单中的 SIS 学号）或 email"
              "（默认：名单提供学号时用 idnumber）",
    },
    # -- results ----------------------------------------------------------------------------------
    "export.wrote": {
        "en": "wrote {path}: {count} students, {absent} on the roster without a submission",
        "zh": "已写入 {path}：{count} 名学生，其中 {absent} 名在名单上但没有提交",
    },
    "export.moodle_wrote": {
        "en": "wrote {path}: {count} students; in Moodle's import, map from \"{column}\" to \"{field}\"",
        "zh": "已写入 {path}：{count} 名学生；在 Moodle 导入时，请将 \"{column}\" 映射到 \"{field}\"",
    },
    "export.moodle_no_key": {
        "en": "Not in the Moodle file, having no {column} to match on (Moodle would give their grade "
              "to another student): {students}",
        "zh": "以下学生没有可用于匹配的 {column}，未写入 Moodle 文件"
              "（否则 Moodle 会把其成绩记到另一名学生名下）：{students}",
    },
    "export.moodle_absent": {
        "en": "Not in the Moodle file, having no submission (an empty grade would erase a grade entered "
              "in Moodle): {students}",
        "zh": "以下名单条目没有提交，未写入 Moodle 文件（空成绩会清除在 Moodle 中录入的成绩）：{students}",
    },
    # -- errors -----------------------------------------------------------------------------------
    "export.not_graded": {
        "en": "{path} is not a graded folder (it has no students/ folder): "
              "run `netlings grade ... --out {path}` first.",
        "zh": "{path} 不是已评分的文件夹（其中没有 students/ 文件夹）："
              "请先运行 `netlings grade ... --out {path}`。",
    },
    "export.no_results": {
        "en": "{path} holds no result.json that could be read: there is no grade to export.",
        "zh": "{path} 中没有可读取的 result.json：没有可导出的成绩。",
    },
    "export.moodle_none": {
        "en": "No graded student has an {column} for Moodle to match on: give the class a roster "
              "(`netlings grade --roster FILE.csv`) with that column, or choose the other with --key.",
        "zh": "没有任何已评分学生具有可供 Moodle 匹配的 {column}：请为全班提供包含该列的名单"
              "（`netlings grade --roster FILE.csv`），或用 --key 选择另一列。",
    },
    "export.cannot_write": {
        "en": "Cannot write {path}: {error}",
        "zh": "无法写入 {path}：{error}",
    },
}
