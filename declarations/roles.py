"""The three roles of the product and which declarations each may see.

Roles are Django groups so administrators can manage them in the admin; a user's department or
division decides the scope. Every query a request makes about declarations starts from
``declarations_visible_to`` so that another department's record is out of reach by construction.
"""

from django.db.models import QuerySet

from declarations.models import (
    Declaration,
    DeclarationDraft,
    MonitoringReport,
    SelfEvaluation,
    User,
)

STAFF_GROUP = "申报人"
REVIEWER_GROUP = "审核人"
ADMIN_GROUP = "管理员"
ROLE_GROUPS = {"staff": STAFF_GROUP, "reviewer": REVIEWER_GROUP, "administrator": ADMIN_GROUP}


def _in_group(user: User, name: str) -> bool:
    """Group membership, read once per user object: a page asks several role questions."""
    if not hasattr(user, "_kexie_groups"):
        user._kexie_groups = set(user.groups.values_list("name", flat=True))
    return name in user._kexie_groups


def is_administrator(user: User) -> bool:
    return user.is_superuser or _in_group(user, ADMIN_GROUP)


def declarations_visible_to(user: User) -> QuerySet[Declaration]:
    """Declarations ``user`` may see: all for administrators, supervised ones for reviewers,
    their own department's for staff, none for anyone else."""
    declarations = Declaration.objects.select_related("department", "project")
    if not user.is_authenticated or not user.is_active:
        return declarations.none()
    if is_administrator(user):
        return declarations
    if is_reviewer(user):
        return declarations.filter(department__supervising_division_id=user.division_id)
    if is_declarant(user):
        return declarations.filter(department_id=user.department_id)
    return declarations.none()


def is_reviewer(user: User) -> bool:
    return bool(user.division_id) and _in_group(user, REVIEWER_GROUP)


def can_export_in_bulk(user: User) -> bool:
    """Bulk downloads are for finance-bureau reviewers and administrators."""
    return user.is_authenticated and (is_administrator(user) or is_reviewer(user))


def is_declarant(user: User) -> bool:
    """Department staff who fill declarations (申报人)."""
    return user.is_authenticated and bool(user.department_id) and _in_group(user, STAFF_GROUP)


def is_own_declarant(user: User, declaration: Declaration) -> bool:
    """Whether ``user`` fills declarations for the department that ``declaration`` is of."""
    return is_declarant(user) and user.department_id == declaration.department_id


def drafts_visible_to(user: User):
    """A clerk's own unfinished wizard runs, in their own department."""
    if not is_declarant(user):
        return DeclarationDraft.objects.none()
    return DeclarationDraft.objects.filter(owner=user, department_id=user.department_id)


def monitoring_reports_visible_to(user: User):
    """Monitoring reports of the declarations ``user`` may see."""
    return MonitoringReport.objects.filter(declaration__in=declarations_visible_to(user))


def evaluations_visible_to(user: User):
    """Self-evaluations of the declarations ``user`` may see."""
    return SelfEvaluation.objects.filter(declaration__in=declarations_visible_to(user))
