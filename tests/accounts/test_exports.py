import pytest

from accounts.imports.exports import COLUMNS, account_row, accounts_csv
from accounts.selectors import account_list
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("risky", ["=1+1", "+92300", "-2", "@SUM(A1)"])
def test_cells_a_spreadsheet_would_run_are_defused(risky, platforms):
    account = AccountFactory(platform=platforms["x"], display_name=risky)
    row = account_row(account_list().get(pk=account.pk))
    assert row[COLUMNS.index("display_name")] == "'" + risky


def test_csv_starts_with_a_bom_and_the_header(platforms):
    lines = list(accounts_csv([]))
    assert lines == ["\ufeff" + ",".join(COLUMNS) + "\r\n"]
