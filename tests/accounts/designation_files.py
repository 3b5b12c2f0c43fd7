"""Where the tests find designation-list files: the real published lists, which live beside the
repository in shared/fixtures/designations and are never copied into it, and our own samples."""

from pathlib import Path

from django.conf import settings

from tests.conftest import need

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures/designations"


def _shared_dir() -> Path:
    # shared/ sits beside the repository; a git worktree (wt/<branch>/) is one level deeper.
    root = Path(settings.BASE_DIR)
    for folder in root.parents:
        candidate = folder / "shared/fixtures/designations"
        if candidate.is_dir():
            return candidate
    return root.parent / "shared/fixtures/designations"


REAL = _shared_dir()
REAL_UN = REAL / "un_consolidated_2026-02-27.xml"
REAL_SDN = REAL / "ofac_sdn_2019_terror_orgs.csv"
REAL_ALT = REAL / "ofac_alt_2019_terror_orgs.csv"


def real(path: Path) -> Path:
    """A real published list; skips locally and fails in CI when it is missing."""
    need(path.is_file(), f"the published list {path}")
    return path


def sample(name: str) -> Path:
    """One of the project's own sample files."""
    return SAMPLES / name
