"""manage.py import_designations: its messages and exit code (accounts/management/commands)."""

import io

import pytest
from django.core.management import call_command, load_command_class
from django.core.management.base import CommandError

from accounts.models import Designation, DesignationImport, ProscribedGroup
from tests.accounts.designation_files import sample

pytestmark = pytest.mark.django_db


def test_import_prints_the_counts_and_exits_zero():
    out = io.StringIO()

    call_command("import_designations", "un", str(sample("un_sample.xml")), stdout=out)

    run = DesignationImport.objects.get()
    assert out.getvalue() == (
        f"Import un #{run.pk}: 4 new, 0 updated, 0 delisted, 0 unchanged, 1 skipped, "
        "0 sent to review.\n"
    )
    assert run.started_by is None


def test_ofac_says_it_reads_the_alt_file_beside_sdn_csv():
    out = io.StringIO()

    call_command("import_designations", "ofac", str(sample("ofac_sdn_sample.csv")), stdout=out)

    first_line = out.getvalue().splitlines()[0]
    assert first_line == (
        f"Reading the aliases of the SDN list from {sample('ofac_alt_sample.csv')}, beside "
        "ofac_sdn_sample.csv."
    )


def test_refused_file_is_a_command_error_naming_the_failed_run():
    with pytest.raises(CommandError) as exc:
        call_command("import_designations", "un", str(sample("billion_laughs.xml")))

    run = DesignationImport.objects.get()
    assert str(exc.value).startswith("The file declares a DTD or entities")
    assert str(exc.value).endswith(f"(import #{run.pk} recorded as failed)")
    assert (ProscribedGroup.objects.count(), Designation.objects.count()) == (0, 0)


def test_exit_code_is_one_with_the_message_on_stderr(capsys):
    with pytest.raises(SystemExit) as exc:
        call_command_from_argv("eu", sample("un_sample.xml"))

    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "CommandError: This file is not the EU consolidated financial sanctions list" in err
    assert "nothing was imported" in err


def test_exit_code_is_zero_on_success(capsys):
    call_command_from_argv("nacta", sample("nacta_sample.csv"))

    assert "6 new" in capsys.readouterr().out


def test_unknown_source_is_refused_by_the_argument_parser(capsys):
    with pytest.raises(SystemExit) as exc:
        call_command_from_argv("interpol", sample("un_sample.xml"))

    assert exc.value.code == 2
    assert "invalid choice: 'interpol'" in capsys.readouterr().err
    assert DesignationImport.objects.count() == 0


def call_command_from_argv(*args) -> None:
    """What `manage.py import_designations ...` runs: errors become an exit code."""
    command = load_command_class("accounts", "import_designations")
    command.run_from_argv(["manage.py", "import_designations", *map(str, args)])
