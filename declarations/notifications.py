"""E-mail about workflow moves, through Django's e-mail framework (console by default).

Times are written in the site's time zone (settings.TIME_ZONE, Asia/Shanghai), as the pages
show them; links start with settings.SITE_URL, the address people use.
"""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import timezone

from declarations.models import StatusChange, User
from declarations.roles import REVIEWER_GROUP, STAFF_GROUP


def _recipients_for(change: StatusChange) -> list[str]:
    declaration = change.declaration
    if change.action == "submit":
        division = declaration.department.supervising_division_id
        users = (
            User.objects.filter(division_id=division, groups__name=REVIEWER_GROUP, is_active=True)
            if division
            else User.objects.none()
        )
    elif change.action in ("return", "approve"):
        submitters = declaration.status_changes.filter(action="submit").values("by")
        users = User.objects.filter(pk__in=submitters) | User.objects.filter(
            pk=declaration.created_by_id
        )
        users = users.filter(
            department_id=declaration.department_id, groups__name=STAFF_GROUP, is_active=True
        )
    else:
        return []
    return sorted({u.email for u in users.distinct() if u.email})


def notify_move(change: StatusChange) -> int:
    recipients = _recipients_for(change)
    if not recipients:
        return 0
    declaration = change.declaration
    # settings.SITE_URL: the address people use (from the environment, see kexie_perf.settings).
    report = change.report_address
    path = (
        reverse("report_page", args=report)
        if report
        else reverse("declaration_detail", args=[declaration.pk])
    )
    link = settings.SITE_URL.rstrip("/") + path
    at = timezone.localtime(change.at)
    what = "" if report is None else change.subject_label
    subject = (
        f"【绩效目标申报】{declaration.fiscal_year}年 {declaration.subject}：{what}{_verb(change)}"
    )
    lines = [
        f"单位：{declaration.department_name}",
        f"申报表：{declaration.fiscal_year}年 {declaration.subject}",
        *([f"报告：{change.subject_label}"] if report else []),
        f"操作：{_verb(change)}（{change.by}，{at:%Y-%m-%d %H:%M}）",
    ]
    if change.comment:
        lines.append(f"意见：{change.comment}")
    lines.append(f"查看：{link}")
    message = (subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, recipients)
    return send_mass_mail([message], fail_silently=False)


def _verb(change: StatusChange) -> str:
    return {
        "submit": "已提交审核",
        "withdraw": "已取消送审",
        "return": "已退回修改",
        "approve": "已审核通过",
    }[change.action]
