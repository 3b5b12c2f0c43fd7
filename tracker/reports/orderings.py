"""The sortable columns of the reports list, declared once: the reports page's order and the
API's `?ordering=` read the same keys."""

from core.ordering import Ordering

REPORT_ORDERING = Ordering(fields={"created_at": "created_at", "id": "id"}, default="-created_at")
