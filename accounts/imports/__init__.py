"""Account lists in and out: reading a CSV or XLSX list into rows for the row validator
(`files`), writing accounts as CSV or XLSX in the columns the reader takes back (`exports`),
and the uploads kept between the steps of the upload page (`uploads`)."""

from .exports import accounts_csv, accounts_xlsx
from .files import FileRow, read_account_rows, read_table

__all__ = ["FileRow", "accounts_csv", "accounts_xlsx", "read_account_rows", "read_table"]
