"""Account list files for the tests: CSV in each encoding, XLSX workbooks (hostile ones too)."""

import io
import zipfile

from openpyxl import Workbook

GROUPS = ["Lashkar-e-Tayyiba", "Islamic State Khorasan Province"]


def csv_bytes(lines: list[str], encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows: list[list], *, formulas: dict | None = None) -> bytes:
    """A workbook of these rows; `formulas` maps a cell (e.g. "B2") to a formula to write."""
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for cell, formula in (formulas or {}).items():
        sheet[cell] = formula
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewrite_zip(data: bytes, change) -> bytes:
    """The workbook with its parts passed through change(name, bytes) -> bytes | None (None
    drops the part); change may add parts by returning them from change(None, None) as a dict."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = change(info.filename, source.read(info.filename))
            if content is not None:
                target.writestr(info.filename, content)
        for name, content in (change(None, None) or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def many_rows(count: int, *, start: int = 0) -> list[list]:
    """`count` distinct, valid account rows (heading first) across platforms and groups."""
    platforms = ["x", "telegram", "facebook", "instagram", "youtube", "tiktok"]
    rows = [["handle", "platform", "groups", "tags", "first_seen_at"]]
    for i in range(start, start + count):
        rows.append([f"@listacct{i:05d}", platforms[i % len(platforms)], GROUPS[i % 2],
                     "batch-one; urdu", f"2026-01-{1 + i % 28:02d}"])  # fmt: skip
    return rows


def with_cell(data: bytes, ref: str, xml: bytes) -> bytes:
    """The workbook with the first sheet's cell `ref` replaced by raw XML (a formula cell)."""
    import re

    pattern = re.compile(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)')

    def change(name, content):
        if name != "xl/worksheets/sheet1.xml":
            return content
        changed, count = pattern.subn(xml, content, count=1)
        assert count == 1, f"no cell {ref} in the sheet"
        return changed

    return rewrite_zip(data, change)
