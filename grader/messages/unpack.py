"""Sentences about unpacking a submission and cleaning up after it (grader/sandbox/extract.py, cleanup.py)."""

MESSAGES: dict[str, dict[str, str]] = {
    "problem_too_deep": {
        "en": "{path} was skipped: it lies {depth} folders deep, deeper than the limit of {limit}.",
        "zh": "已跳过 {path}：它位于第 {depth} 层文件夹中，超过了 {limit} 层的限制。",
    },
    "problem_folder_too_deep": {
        "en": "{path} was skipped with everything in it: "
              "what it holds would lie more than {limit} folders deep.",
        "zh": "已跳过 {path} 及其中的全部内容：里面的文件所在的文件夹层数会超过 {limit} 层的限制。",
    },
    "problem_zip_directory_too_large": {
        "en": "{path} has a table of contents of {size}, more than the limit of {limit} "
              "(far too many entries), so it was not graded.",
        "zh": "{path} 的目录区有 {size}，超过了 {limit} 的限制（条目太多），因此没有评分。",
    },
    "problem_unsupported_compression": {
        "en": "{path} was skipped: it is compressed with {method}, which the grader does not unpack. "
              "Make the zip again with the usual compression (Deflate).",
        "zh": "已跳过 {path}：它使用 {method} 压缩，评分程序不解压这种格式。"
              "请用常见的压缩方式（Deflate）重新打包 zip。",
    },
    "problem_more_skipped": {
        "en": "{count} more files were skipped as well (only the first {shown} are listed).",
        "zh": "另外还有 {count} 个文件也被跳过了（只列出了前 {shown} 个）。",
    },
    "problem_workdir_not_cleared": {
        "en": "the grader could not clear its work folder for this submission ({error}), "
              "so it was not graded.",
        "zh": "评分程序无法清空这份提交的工作文件夹（{error}），因此没有评分。",
    },
    "cleanup_failed": {
        "en": "could not remove {path}: {error}",
        "zh": "无法删除 {path}：{error}",
    },
    "cleanup_moved": {
        "en": "stopped removing {path}: a folder in it was moved or replaced while it was being removed.",
        "zh": "已停止删除 {path}：删除过程中，其中的一个文件夹被移动或替换了。",
    },
    "cleanup_more": {
        "en": "{count} more files or folders could not be removed.",
        "zh": "另外还有 {count} 个文件或文件夹无法删除。",
    },
}
