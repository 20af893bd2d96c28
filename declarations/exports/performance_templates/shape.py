"""What a template's writer and its reader agree on: where each cell is, the hidden identity
sheet, the limits of an upload, and the few facts of a report both need."""

from decimal import Decimal

from declarations.domain.evaluation import has_weights as scoring_has_weights

MAX_UPLOAD_BYTES = 2 * 1024 * 1024  # a filled template of a hundred indicators is ~20 KB
MAX_UNPACKED_BYTES = 20 * 1024 * 1024  # what the parts of the archive may unpack to
MAX_MESSAGES = 50  # a file wrong everywhere is reported in part, and says so
IDENTITY_SHEET = "模板标识"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONITORING, EVALUATION = "monitoring", "evaluation"
KIND_LABELS = {MONITORING: "绩效监控", EVALUATION: "绩效自评"}

# Columns of the indicator rows (1-based, as openpyxl counts).
ORDER, LEVEL1, LEVEL2, NAME, TARGET = 1, 2, 3, 4, 5
M_ACTUAL, M_EXPECTED, M_LIKELIHOOD, M_CAUSE, M_NOTE = 6, 7, 8, 9, 10
E_POINTS, E_ACTUAL, E_BAND, E_SCORE, E_CAUSE = 6, 7, 8, 9, 10
LAST_COL = 10
WIDTHS = [6, 12, 14, 30, 14, 16, 16, 16, 14, 36]
TARGET_COLUMNS = {ORDER: "序号", LEVEL1: "一级指标", LEVEL2: "二级指标", NAME: "三级指标"}
TARGET_COLUMNS[TARGET] = "年度指标值"

# The rows of the fixed cells above the indicators (each value in column E, VALUE_COL) and
# the first indicator row.
M_EXECUTED_ROW, M_EXPECTED_ROW, M_MEASURES_ROW, M_FIRST_ROW = 6, 7, 8, 11
E_BUDGET_ROW, E_EXECUTED_ROW, E_RESULT_ROW, E_FIRST_ROW = 6, 7, 9, 12
VALUE_COL = 5

MONEY_PLACES = 6  # 万元 to the cent
FIGURE_PLACES = 4  # as MonitoringEntry.actual and EvaluationEntry.actual store them
SCORE_PLACES = 2
MAX_WAN = Decimal(10) ** 9  # 10^13 yuan: what an amount field (15 digits, 2 places) holds
MAX_FIGURE = Decimal(10) ** 14  # 18 digits, 4 places


def indicator_label(indicator) -> str:
    name = indicator.name or indicator.target_text
    return f"指标 {indicator.order}“{short(name)}”"


def short(text: str, length: int = 20) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= length else text[:length] + "…"


def entries_of(report) -> list:
    return list(report.entries.select_related("indicator__level1", "indicator__level2"))


def has_weights(indicators) -> bool:
    """Whether points follow the declaration's weights (and may not be edited), by the one
    rule in ``declarations.domain.evaluation``."""
    return scoring_has_weights([indicator.weight for indicator in indicators])
