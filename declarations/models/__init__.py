"""Models of the declarations app: who declares, for which project, with what money."""

from .budgets import Budget, SpendingPlanPoint
from .declarations import Declaration, KeyTask
from .departments import Department, SupervisingDivision
from .drafts import DeclarationDraft
from .events import DeclarationEvent
from .jobs import Job
from .performance import (
    EvaluationEntry,
    MonitoringEntry,
    MonitoringReport,
    MonitoringRound,
    SelfEvaluation,
)
from .projects import Project
from .quality import DeclarationQuality
from .reviews import Grade, ReviewComment, StatusChange
from .users import User

__all__ = [
    "Budget",
    "Declaration",
    "DeclarationDraft",
    "DeclarationEvent",
    "DeclarationQuality",
    "Department",
    "EvaluationEntry",
    "Grade",
    "Job",
    "KeyTask",
    "MonitoringEntry",
    "MonitoringReport",
    "MonitoringRound",
    "Project",
    "ReviewComment",
    "SelfEvaluation",
    "SpendingPlanPoint",
    "StatusChange",
    "SupervisingDivision",
    "User",
]
