"""Every write to platforms, groups, designations, accounts, evidence and mirror links, split by
sub-domain. Callers import from here; the modules below import each other only downwards
(evidence -> bulk -> rows, accounts -> mirrors)."""

from .accounts import (
    account_create,
    account_set_status,
    account_update,
    accounts_bulk_set_status,
    platform_resolve,
)
from .bulk import (
    BULK_ROW_FIELDS,
    BulkCreateResult,
    account_create_from_row,
    accounts_bulk_create,
)
from .designation_imports import designation_import, group_match_decide, is_kept
from .designations import designation_record
from .evidence import account_create_with_evidence, evidence_attach, evidence_capture
from .groups import group_add_aliases, group_create
from .mirrors import MIRROR_SUGGESTION_THRESHOLD, mirror_candidates_refresh, mirror_decide
from .rows import (
    ACCOUNT_ROW_FIELDS,
    ACCOUNT_ROW_LIST_FIELDS,
    ROW_TEXT_LIMITS,
    InvalidRow,
    RowError,
    account_row_clean,
)

__all__ = [
    "ACCOUNT_ROW_FIELDS",
    "ACCOUNT_ROW_LIST_FIELDS",
    "BULK_ROW_FIELDS",
    "MIRROR_SUGGESTION_THRESHOLD",
    "ROW_TEXT_LIMITS",
    "BulkCreateResult",
    "InvalidRow",
    "RowError",
    "account_create",
    "account_create_from_row",
    "account_create_with_evidence",
    "account_row_clean",
    "account_set_status",
    "account_update",
    "accounts_bulk_create",
    "accounts_bulk_set_status",
    "designation_import",
    "designation_record",
    "evidence_attach",
    "evidence_capture",
    "group_add_aliases",
    "group_create",
    "group_match_decide",
    "is_kept",
    "mirror_candidates_refresh",
    "mirror_decide",
    "platform_resolve",
]
