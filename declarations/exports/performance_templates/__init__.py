"""Excel templates in which clerks collect a monitoring report's or a self-evaluation's figures,
and reading a filled template back.

A template is the report's current state: the approved targets in grey, locked cells (the sheet
is protected without a password: it guards against slips, not against intent), what has been
saved so far in white input cells, drop-down lists of the Chinese choice labels, and a hidden
sheet naming the report, its version and its indicators so that an upload is matched to what
it was made for.

Reading never trusts the file: it refuses what is not a plain .xlsx within the size limits
(encrypted, macro-enabled, too large when unpacked), another report's template, edited targets,
added rows, formulas (the workbook is loaded with ``data_only=False`` and nothing is
evaluated), numbers that are not numbers, labels that are not choices. It returns exactly the
``values`` and ``rows`` that ``declarations.performance.save_monitoring`` / ``save_evaluation``
take, or raises one ``ValidationError`` listing every problem with its row; it saves nothing.

The report's version is recorded in the template but a template of an earlier version is not
refused: it carries the whole of the report, so uploading a corrected file a second time (after
the first upload bumped the version) must work. It does replace every input of the report,
edits made on the web after the download included.

``shape`` holds where each cell is, shared by ``writing`` (the templates) and ``reading``.
"""

from declarations.exports.performance_templates.reading import (
    read_evaluation_upload,
    read_monitoring_upload,
)
from declarations.exports.performance_templates.shape import (
    CONTENT_TYPE,
    IDENTITY_SHEET,
    MAX_UNPACKED_BYTES,
    MAX_UPLOAD_BYTES,
)
from declarations.exports.performance_templates.writing import (
    evaluation_template,
    monitoring_template,
    template_filename,
)

__all__ = [
    "CONTENT_TYPE",
    "IDENTITY_SHEET",
    "MAX_UNPACKED_BYTES",
    "MAX_UPLOAD_BYTES",
    "evaluation_template",
    "monitoring_template",
    "read_evaluation_upload",
    "read_monitoring_upload",
    "template_filename",
]
