"""Account lists in and out: reading a CSV or XLSX list into rows for the row validator
(`account_files`) and writing accounts as CSV in the columns the reader takes back (`exports`).
Designation lists have their own parsers in `accounts.importers`."""

from .account_files import FileRow, read_account_rows
from .exports import accounts_csv

__all__ = ["FileRow", "accounts_csv", "read_account_rows"]
