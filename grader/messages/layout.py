"""Sentences about where a submission's files were found (grader/sandbox/discover.py, prepare.py)."""

MESSAGES: dict[str, dict[str, str]] = {
    "problem_empty": {
        "en": "this submission is empty: no Python file was found in it.",
        "zh": "这份提交是空的：其中没有找到任何 Python 文件。",
    },
    "problem_no_contract_file": {
        "en": "none of the exercise files was found in the submission: it holds Python files, but none "
              "with an exercise file's name ({names}). They are found by name anywhere in the submission, "
              "with or without their unit folders.",
        "zh": "提交的内容中没有找到任何练习文件：其中虽有 Python 文件，"
              "但没有一个使用练习文件的名称（{names}）。"
              "无论是否放在单元文件夹中，评分程序都会在整个提交中按文件名查找它们。",
    },
    "problem_duplicate_module": {
        "en": "{path} was found in {count} places with different content: "
              "graded {graded}, ignored {ignored}.",
        "zh": "在 {count} 个位置找到了内容不同的 {path}：评分使用的是 {graded}，忽略了 {ignored}。",
    },
    "problem_duplicate_more": {
        "en": "{listed} and {count} more",
        "zh": "{listed} 以及另外 {count} 个",
    },
    "layout_graded_from": {
        "en": "{module} was graded from {source}.",
        "zh": "{module} 的评分使用的是 {source}。",
    },
}
