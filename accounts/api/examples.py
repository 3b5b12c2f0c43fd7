"""Request and response examples shown in the OpenAPI schema for the accounts endpoints."""

from drf_spectacular.utils import OpenApiExample

GROUP = {
    "id": 2,
    "name": "Lashkar-e-Tayyiba",
    "aliases": ["LeT", "Lashkar-e-Toiba", "لشکر طیبہ"],
    "country": "Pakistan",
    "notes": "",
    "designations": [
        {
            "id": 5,
            "authority": "un",
            "reference": "QDe.118",
            "name_as_listed": "LASHKAR-E-TAYYIBA",
            "listed_on": "2005-05-02",
            "delisted_on": None,
            "is_current": True,
            "programs": [],
            "source_url": "https://scsanctions.un.org/resources/xml/en/consolidated.xml",
            "source_record_id": "110133",
        }
    ],
    "created_at": "2026-01-10T09:00:00Z",
}

DESIGNATION = {
    **GROUP["designations"][0],
    "group": 2,
    "group_name": "Lashkar-e-Tayyiba",
}

ACCOUNT = {
    "id": 1042,
    "platform": "telegram",
    "handle": "sada_e_haq",
    "handle_normalized": "sada_e_haq",
    "platform_account_id": "",
    "profile_url": "https://t.me/sada_e_haq",
    "display_name": "Sada-e-Haq",
    "bio": "",
    "status": "active",
    "groups": [{"id": 2, "name": "Lashkar-e-Tayyiba"}],
    "tags": ["recruitment"],
    "first_seen_at": "2026-02-01T08:15:00Z",
    "last_checked_at": None,
    "removed_at": None,
    "flagged_by": "analyst",
    "mirror_of": None,
    "notes": "",
    "created_at": "2026-02-01T08:16:02Z",
    "updated_at": "2026-02-01T08:16:02Z",
}

EVIDENCE = {
    "id": 77,
    "account": 1042,
    "kind": "file",
    "original_name": "screenshot.png",
    "content_type": "image/png",
    "size": 48213,
    "url": "",
    "text": "",
    "note": "Profile page as captured",
    "sha256": "9f2c1d0c6a1f4c0b8e2f3a4d5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8",
    "captured_by": "analyst",
    "captured_at": "2026-02-01T08:17:40Z",
}

ACCOUNT_REF = {
    "id": 1042,
    "platform": "telegram",
    "handle": "sada_e_haq2",
    "display_name": "Sada-e-Haq",
    "status": "active",
    "removed_at": None,
}

MIRROR = {
    "id": 9,
    "account": ACCOUNT_REF,
    "removed_account": {
        **ACCOUNT_REF,
        "id": 880,
        "handle": "sada_e_haq",
        "status": "removed",
        "removed_at": "2026-01-30T11:00:00Z",
    },
    "score": 0.9,
    "strong": True,
    "model_version": 1,
    "features": [
        {"name": "handle", "value": 1.0, "contribution": 6.5},
        {"name": "display_name", "value": 1.0, "contribution": 3.5},
        {"name": "avatar", "value": 0.0, "contribution": 0.0},
        {"name": "contact", "value": 0.0, "contribution": 0.0},
        {"name": "groups", "value": 0.0, "contribution": 0.0},
        {"name": "same_platform", "value": 1.0, "contribution": 0.4},
        {"name": "recent_removal", "value": 0.94, "contribution": 0.75},
    ],
    "status": "suggested",
    "created_at": "2026-02-01T08:16:02Z",
    "decided_by": None,
    "decided_at": None,
}

HISTORY = [
    {
        "id": 3120,
        "at": "2026-02-03T10:00:00Z",
        "type": "changed",
        "user": "supervisor",
        "reason": "reported in TR-000311",
        "changes": [{"field": "status", "old": "active", "new": "reported"}],
    }
]


def example(name: str, value, *, request: bool = False, summary: str = "") -> OpenApiExample:
    """A named example, for the request body or (by default) the response."""
    return OpenApiExample(
        name,
        value=value,
        summary=summary,
        request_only=request,
        response_only=not request,
    )


ACCOUNT_ANSWER = {**ACCOUNT, "mirror_candidates": [MIRROR]}

MIRROR_CHECK_REQUEST = {
    "handle": "https://t.me/sada_e_haq_2",
    "display_name": "Sada-e-Haq",
    "bio": "Join t.me/sada_e_haq · +92 333 1234567",
    "groups": [2],
}

MIRROR_CHECK = {
    "candidates": [
        {
            "removed_account": MIRROR["removed_account"],
            "score": 0.9987,
            "strong": True,
            "model_version": 1,
            "features": [
                {
                    "name": "handle",
                    "value": 1.0,
                    "contribution": 6.5,
                    "detail": {"similarity": 1.0, "keys": ["sadaehaq", "sadaehaq"]},
                },
                {"name": "display_name", "value": 1.0, "contribution": 3.5, "detail": {}},
                {"name": "avatar", "value": 0.0, "contribution": 0.0, "detail": {}},
                {
                    "name": "contact",
                    "value": 1.0,
                    "contribution": 8.0,
                    "detail": {"shared": ["tg:sada_e_haq"]},
                },
                {"name": "groups", "value": 1.0, "contribution": 0.8, "detail": {"shared": [2]}},
                {"name": "same_platform", "value": 1.0, "contribution": 0.4, "detail": {}},
                {
                    "name": "recent_removal",
                    "value": 0.94,
                    "contribution": 0.75,
                    "detail": {"days": 1.9},
                },
            ],
        }
    ]
}
