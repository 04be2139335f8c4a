"""Sentences of the nbgrader export: notebook text and the output of the test cells (en/zh)."""

MESSAGES: dict[str, dict[str, str]] = {
    # -- what the notebooks say ----------------------------------------------------------
    "nbgrader.how_graded": {
        "en": "## How this notebook works\n"
              "1. Run the first code cell once (it loads netlings).\n"
              "2. Write your code in each cell that starts with `%%netlings <file>`: that line saves "
              "the cell as the file the tests run, so keep it. Running the cell also defines your "
              "functions here, to try them in a cell of your own.\n"
              "3. Run the test cell below each exercise: it runs the visible tests against your saved code "
              "and prints what passed and what failed. Hidden tests run when your notebook is graded.\n"
              "4. Points are the course's: each exercise is worth its share of the course's 100 points, "
              "split between its test cells, so a cell may be worth 2.95 points.",
        "zh": "## 如何使用本笔记本\n"
              "1. 先运行第一个代码单元格一次（它会加载 netlings）。\n"
              "2. 在每个以 `%%netlings <文件>` 开头的单元格里写代码：这一行会把单元格保存为测试要运行的文件，"
              "请保留它。运行该单元格也会在这里定义你的函数，你可以在自己新建的单元格里试用。\n"
              "3. 运行每个练习下面的测试单元格：它会用你保存的代码运行公开测试，并显示哪些通过、哪些失败。"
              "隐藏测试会在批改笔记本时运行。\n"
              "4. 分数按课程总分计算：每个练习占课程 100 分中的一部分，并分配到它的各个测试单元格，"
              "所以一个单元格可能是 2.95 分。",
    },
    "nbgrader.exercise_intro": {
        "en": "Write {functions} in the cell below ({points} points).",
        "zh": "在下面的单元格中完成 {functions}（{points} 分）。",
    },
    "nbgrader.hint_label": {
        "en": "Hint {number}",
        "zh": "提示 {number}",
    },
    "nbgrader.setup_comment": {
        "en": "# netlings: saves the code of each %%netlings cell and runs the course's tests on it.",
        "zh": "# netlings：保存每个 %%netlings 单元格的代码，并用课程的测试检查它。",
    },
    "nbgrader.hidden_comment": {
        "en": "# Hidden tests ({points} points): they run when your notebook is graded.",
        "zh": "# 隐藏测试（{points} 分）：批改笔记本时运行。",
    },
    # -- what the test cells print -------------------------------------------------------------
    "nbgrader.kind_visible": {"en": "Visible tests", "zh": "公开测试"},
    "nbgrader.kind_hidden": {"en": "Hidden tests", "zh": "隐藏测试"},
    "nbgrader.cell_heading": {
        "en": "{kind} for {path}: {earned}/{possible} points ({passed} of {total} tests passed)",
        "zh": "{path} 的{kind}：{earned}/{possible} 分（{total} 个测试中通过 {passed} 个）",
    },
    "nbgrader.hidden_summary": {
        "en": "{passed} of {total} tests with hidden details passed ({earned}/{possible} points).",
        "zh": "{total} 个不显示细节的测试中通过了 {passed} 个（{earned}/{possible} 分）。",
    },
    "nbgrader.hidden_not_here": {
        "en": "Hidden tests ({points} points) run when your notebook is graded.",
        "zh": "隐藏测试（{points} 分）会在批改笔记本时运行。",
    },
    "nbgrader.module_missing": {
        "en": "No code saved for {path} yet, so no test could run: run the cell that starts with "
              "`%%netlings {path}` (keep that first line), then run this cell again.",
        "zh": "还没有保存 {path} 的代码，所以无法运行任何测试：请先运行以 `%%netlings {path}` 开头的单元格"
              "（保留这一行），然后再运行本单元格。",
    },
    "nbgrader.suite_error": {
        "en": "The tests could not start, so no points were given; please tell your instructor:\n{error}",
        "zh": "测试无法启动，因此没有给分；请告诉你的老师：\n{error}",
    },
    "nbgrader.internal_error": {
        "en": "The test cell failed inside netlings ({error}); no points were given. "
              "Please tell your instructor.",
        "zh": "测试单元格在 netlings 内部出错（{error}）；没有给分。请告诉你的老师。",
    },
    "nbgrader.bad_module_path": {
        "en": "%%netlings needs the file this cell is, like `%%netlings 01_udp/udp_server.py`; got {line!r}.",
        "zh": "%%netlings 需要写明本单元格对应的文件，例如 `%%netlings 01_udp/udp_server.py`；"
              "实际是 {line!r}。",
    },
    "nbgrader.bad_tests_line": {
        "en": "%%netlings_tests needs: TEST_FILE --exercise UNIT/MODULE --points N [--timeout SECONDS]; "
              "got {line!r}.",
        "zh": "%%netlings_tests 的格式是：TEST_FILE --exercise UNIT/MODULE --points N [--timeout SECONDS]；"
              "实际是 {line!r}。",
    },
    "nbgrader.output_cut": {
        "en": "... {count} more lines not shown ...",
        "zh": "……另有 {count} 行未显示……",
    },
}
