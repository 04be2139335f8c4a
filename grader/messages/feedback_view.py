"""Sentences of the per-student views' overview (en/zh): feedback.md/html's table and mistakes.

Keys start with ``feedback_view.``; the older feedback sentences stay in :mod:`report`.
"""

MESSAGES: dict[str, dict[str, str]] = {
    "feedback_view.overview_heading": {"en": "Overview", "zh": "概览"},
    "feedback_view.column_exercise": {"en": "Exercise", "zh": "练习"},
    "feedback_view.column_grade": {"en": "Grade", "zh": "得分"},
    "feedback_view.column_tests": {"en": "Tests passed", "zh": "通过的测试"},
    "feedback_view.mistakes_heading": {
        "en": "Beginner mistakes the tests recognised",
        "zh": "测试识别出的常见初学者错误",
    },
    "feedback_view.named_by_one": {"en": "named by {count} test", "zh": "{count} 项测试指出"},
    "feedback_view.named_by_many": {"en": "named by {count} tests", "zh": "{count} 项测试指出"},
    "feedback_view.same_transcript": {
        "en": "{title}: same transcript as above",
        "zh": "{title}：通信记录同上",
    },
}
