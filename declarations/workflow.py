"""The review workflow as data, and the one entry point that performs a move.

``MOVES`` lists every allowed move: from which statuses, to which, and who may make it.
``perform`` checks the permission and the preconditions, moves the status and records who,
when, from, to and the comment, all in one transaction under a row lock, so two reviewers
clicking at once make one move, not two. A move that is not allowed changes nothing and says
why in Chinese.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from declarations.domain.choices import Status
from declarations.domain.workflow import DECLARANT, MOVES, REVIEWER, Move
from declarations.jobs import mail_later, prerender_later
from declarations.models import (
    Declaration,
    MonitoringReport,
    ReviewComment,
    SelfEvaluation,
    StatusChange,
    User,
)
from declarations.roles import is_own_declarant, is_reviewer
from declarations.scorecards import evaluation_card, evaluation_problems, monitoring_problems
from indicators.history import refresh_after_move
from indicators.rules import errors_for


def may(user: User, declaration: Declaration, move: Move) -> tuple[bool, str]:
    """Whether ``user`` may make ``move`` on ``declaration`` by role and scope (not status)."""
    if move.role == DECLARANT:
        if is_own_declarant(user, declaration):
            return True, ""
        return False, f"只有本单位的申报人可以{move.label}。"
    if is_reviewer(user) and (declaration.department.supervising_division_id == user.division_id):
        return True, ""
    return False, f"只有负责该单位的财政审核人员可以{move.label}。"


def reviewer_has_acted(declaration: Declaration) -> bool:
    return ReviewComment.objects.filter(
        declaration=declaration, review_round=declaration.review_round
    ).exists()


def available_moves(user: User, declaration: Declaration) -> list[Move]:
    """The moves to offer as buttons: allowed for the user and possible from this status."""
    moves = []
    for move in MOVES.values():
        if declaration.status in move.sources and may(user, declaration, move)[0]:
            if move.action == "withdraw" and reviewer_has_acted(declaration):
                continue
            moves.append(move)
    return moves


# What a move may be made on, and what each is called in messages. Reports carry the same
# status fields as a declaration and attach to one (its approved version).
REPORTS = {
    MonitoringReport: ("monitoring_report", "监控报告"),
    SelfEvaluation: ("self_evaluation", "绩效自评"),
}


def _locked(subject):
    """``subject`` locked for the move, and the declaration it is (or attaches to)."""
    model = type(subject)
    # Lock the row: a second reviewer's click waits here and then finds the status moved on.
    if model is Declaration:
        locked = model.objects.select_for_update().select_related("department").get(pk=subject.pk)
        return locked, locked
    locked = model.objects.select_for_update().get(pk=subject.pk)
    return locked, Declaration.objects.select_related("department").get(pk=locked.declaration_id)


def _problems(subject, declaration) -> list[str]:
    if isinstance(subject, MonitoringReport):
        return monitoring_problems(subject)
    if isinstance(subject, SelfEvaluation):
        return evaluation_problems(subject)
    return errors_for(declaration)


@transaction.atomic
def perform(subject, action: str, *, by: User, comment: str = "", grade: str = ""):
    """Make the move ``action`` on a declaration, a monitoring report or a self-evaluation;
    raise PermissionDenied or ValidationError and change nothing when it is not allowed."""
    move = MOVES.get(action)
    if move is None:
        raise ValidationError("未知的操作。")
    subject, declaration = _locked(subject)
    is_declaration = isinstance(subject, Declaration)
    what = "申报表" if is_declaration else REPORTS[type(subject)][1]
    allowed, reason = may(by, declaration, move)
    if not allowed:
        raise PermissionDenied(reason)
    if subject.status not in move.sources:
        raise ValidationError(f"该{what}当前为“{subject.get_status_display()}”，不能{move.label}。")
    comment = comment.strip()
    acted = reviewer_has_acted(subject) if is_declaration else False
    if move.comment_required and not comment and not acted:
        raise ValidationError({"comment": f"{move.label}时请填写整体意见，说明需要修改的内容。"})
    if move.action == "submit":
        errors = _problems(subject, declaration)
        if errors:
            raise ValidationError([f"{what}还有需要修改的内容，暂不能提交：", *errors])
    if move.action == "withdraw" and acted:
        raise ValidationError("审核人员已开始审核，不能取消送审。")
    if grade and (move.action != "approve" or not is_declaration):
        raise ValidationError("只有审核通过申报表时才能评级。")

    now = timezone.now()
    change = StatusChange(
        declaration=declaration,
        action=move.action,
        from_status=subject.status,
        to_status=move.target,
        by=by,
        at=now,
        comment=comment,
    )
    if not is_declaration:
        setattr(change, REPORTS[type(subject)][0], subject)
    subject.status = move.target
    subject.version += 1
    if move.action == "submit":
        subject.review_round += 1
        subject.submitted_at = now
        if isinstance(subject, SelfEvaluation):
            card = evaluation_card(subject)
            subject.total_score, subject.grade = card.total, card.grade
    elif move.action == "withdraw":
        subject.submitted_at = None
    else:
        subject.reviewed_at, subject.reviewed_by = now, by
        if is_declaration:
            subject.grade = grade if move.action == "approve" else ""
    if is_declaration and move.role == REVIEWER and comment:
        # The reviewer's word on the whole declaration is a comment like the per-indicator
        # ones: the clerk sees it where they work and answers it (not only in the history).
        overall = ReviewComment(
            declaration=subject,
            author=by,
            text=comment,
            review_round=subject.review_round,
            created_at=now,
        )
        overall.full_clean()
    else:
        overall = None
    subject.full_clean()
    subject.save()
    change.save()
    refresh_after_move(change)  # an approval enters the indicator history
    if overall is not None:
        overall.save()
    mail_later(change)
    if isinstance(subject, Declaration):
        # The printed status line changes with the move: the files of the new state, ready.
        prerender_later(subject, by=by)
    return subject


@transaction.atomic
def add_comments(
    declaration: Declaration, *, by: User, overall: str, per_indicator: dict[int, str]
) -> list[ReviewComment]:
    """Record a reviewer's comments on a submitted declaration (the whole and per indicator)."""
    declaration = Declaration.objects.select_for_update().get(pk=declaration.pk)
    allowed, reason = may(by, declaration, MOVES["return"])
    if not allowed:
        raise PermissionDenied(reason)
    if declaration.status != Status.SUBMITTED:
        raise ValidationError(
            f"该申报表当前为“{declaration.get_status_display()}”，不能填写审核意见。"
        )
    indicators = {i.pk: i for i in declaration.indicators.all()}
    comments = []
    if overall.strip():
        comments.append(
            ReviewComment(
                declaration=declaration,
                author=by,
                text=overall.strip(),
                review_round=declaration.review_round,
            )
        )
    for pk, text in per_indicator.items():
        if not text.strip():
            continue
        indicator = indicators.get(pk)
        if indicator is None:
            raise ValidationError("意见所针对的指标不属于该申报表。")
        comments.append(
            ReviewComment(
                declaration=declaration,
                indicator=indicator,
                indicator_order=indicator.order,
                indicator_name=indicator.name or indicator.target_text[:100],
                author=by,
                text=text.strip(),
                review_round=declaration.review_round,
            )
        )
    for comment in comments:
        comment.full_clean()
        comment.save()
    return comments


@transaction.atomic
def reply_to_comment(comment: ReviewComment, *, by: User, text: str) -> ReviewComment:
    """The clerk's answer to a reviewer's comment."""
    comment = (
        ReviewComment.objects.select_for_update().select_related("declaration").get(pk=comment.pk)
    )
    if not is_own_declarant(by, comment.declaration):
        raise PermissionDenied("只有本单位的申报人可以回复审核意见。")
    if not text.strip():
        raise ValidationError("回复内容不能为空。")
    comment.reply, comment.replied_by, comment.replied_at = text.strip(), by, timezone.now()
    comment.save()
    return comment
