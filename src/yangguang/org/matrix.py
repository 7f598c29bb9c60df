"""The post × action matrix rendered as Markdown, for the README."""

from django.utils import translation

from yangguang.org.enums import PostCode
from yangguang.org.rules import ADMIN_SITE_POSTS, MATRIX


def matrix_markdown() -> str:
    with translation.override("zh-hans"):
        posts = list(PostCode)
        header = "| " + " | ".join(["action", *[str(p.label) for p in posts]]) + " |"
        rule = "|" + "---|" * (len(posts) + 1)
        lines = [header, rule]
        rows = [(f"`{action.value}` {action.label}", allowed) for action, allowed in MATRIX.items()]
        rows.append(("`access_admin` 系统配置（Django admin）", ADMIN_SITE_POSTS))
        for label, allowed in rows:
            cells = ["✔" if post in allowed else "" for post in posts]
            lines.append("| " + " | ".join([label, *cells]) + " |")
    return "\n".join(lines) + "\n"
