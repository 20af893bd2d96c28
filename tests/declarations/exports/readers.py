"""Reading exported files back for tests: Excel through openpyxl, PDF through pypdf."""

import re
import zipfile
from dataclasses import dataclass
from io import BytesIO

from openpyxl import load_workbook
from pypdf import PdfReader

WHITESPACE = re.compile(r"\s+")


def squeeze(text: str) -> str:
    return WHITESPACE.sub("", text)


@dataclass
class Sheet:
    cells: dict[str, object]  # coordinate -> value, non-empty cells only
    merged: set[str]
    worksheet: object
    xml: str

    def texts(self) -> list[str]:
        return [v for v in self.cells.values() if isinstance(v, str)]

    def row_of(self, text: str) -> int:
        for coordinate, value in self.cells.items():
            if value == text:
                return self.worksheet[coordinate].row
        raise KeyError(text)

    def row_values(self, row: int) -> list:
        return [c.value for c in self.worksheet[row] if c.value is not None]


def read_xlsx(data: bytes) -> Sheet:
    workbook = load_workbook(BytesIO(data))
    sheet = workbook.active
    cells = {
        cell.coordinate: cell.value
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }
    with zipfile.ZipFile(BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    return Sheet(cells, {str(r) for r in sheet.merged_cells.ranges}, sheet, xml)


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def pdf_fonts(data: bytes) -> list[dict]:
    """Every font of every page: its name and whether its program is embedded."""
    fonts = {}
    for page in PdfReader(BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (
                descendants[0].get_object()["/FontDescriptor"]
                if descendants
                else font.get("/FontDescriptor")
            ).get_object()
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[font["/BaseFont"]] = {"name": str(font["/BaseFont"]), "embedded": embedded}
    return list(fonts.values())
