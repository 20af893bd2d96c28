"""The review workflow as data: every allowed move, from which statuses, to which, by whom."""

from dataclasses import dataclass

from declarations.domain.choices import Status

DECLARANT, REVIEWER = "declarant", "reviewer"


@dataclass(frozen=True)
class Move:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    role: str
    comment_required: bool = False


MOVES = {
    move.action: move
    for move in (
        Move("submit", "提交审核", (Status.DRAFT, Status.RETURNED), Status.SUBMITTED, DECLARANT),
        Move("withdraw", "取消送审", (Status.SUBMITTED,), Status.DRAFT, DECLARANT),
        Move(
            "return",
            "退回修改",
            (Status.SUBMITTED,),
            Status.RETURNED,
            REVIEWER,
            comment_required=True,
        ),
        Move("approve", "审核通过", (Status.SUBMITTED,), Status.APPROVED, REVIEWER),
    )
}
