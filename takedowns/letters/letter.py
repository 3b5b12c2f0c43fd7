"""The letter to the platform as a PDF: header fields, the template's wording, then every
account with its URL, platform id and the SHA-256 of each evidence item."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.pdf import Document

from ..deadlines import deadline_hours
from ..models import TakedownItem, TakedownRequest
from .models import LetterTemplate
from .rendering import render_text

LETTER_LANGUAGE = "en"  # platforms' law-enforcement desks read English


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M %Z") if moment else ""


def letter_context(
    *, takedown: TakedownRequest, template: LetterTemplate, now, item_count: int
) -> dict[str, str | int]:
    """The values a template may use: plain strings and numbers, nothing else."""
    hours = deadline_hours(
        platform=takedown.platform, kind=takedown.kind, priority=takedown.priority
    )
    platform = takedown.platform
    if takedown.due_at:
        deadline = _when(takedown.due_at)
    else:
        deadline = _("within %(hours)s hours of receipt") % {"hours": hours}
    return {
        "reference": takedown.reference,
        "platform": platform.name,
        "platform_portal": platform.submission_url or platform.submission_email,
        "kind": str(takedown.get_kind_display()),
        "priority": str(takedown.get_priority_display()),
        "legal_basis": takedown.legal_basis,
        "deadline": deadline,
        "deadline_hours": hours,
        "account_count": item_count,
        "issuing_unit": template.issuing_unit,
        "date": timezone.localtime(now).strftime("%d %B %Y"),
        "ticket": takedown.platform_ticket,
    }


def letter_pdf(
    *, takedown: TakedownRequest, template: LetterTemplate, items: list[TakedownItem], now
) -> bytes:
    """The letter's PDF bytes (a few pages even for hundreds of accounts)."""
    with translation.override(LETTER_LANGUAGE):
        context = letter_context(
            takedown=takedown, template=template, now=now, item_count=len(items)
        )
        doc = Document(
            title=f"{takedown.reference} {context['platform']}",
            footer=f"{context['issuing_unit']} · {takedown.reference}",
        )
        doc.heading(template.issuing_unit, size=13)
        doc.set_font("sans", size=9.5)
        doc.cell(0, 5, context["date"], new_x="LMARGIN", new_y="NEXT")
        doc.ln(3)
        doc.heading(render_text(template.subject, context), size=12)
        doc.fields(
            [
                (_("Reference"), takedown.reference),
                (_("To"), f"{context['platform']} {context['platform_portal']}".strip()),
                (_("Kind"), context["kind"]),
                (_("Priority"), context["priority"]),
                (_("Legal basis"), takedown.legal_basis or "—"),
                (_("Deadline"), context["deadline"]),
                *(
                    [(_("Platform ticket"), takedown.platform_ticket)]
                    if takedown.platform_ticket
                    else []
                ),
            ]
        )
        doc.paragraph(render_text(template.body, context))
        doc.subheading(_("Accounts (%(count)s)") % {"count": len(items)})
        doc.data_table(
            [
                _("No."),
                _("Account and URL"),
                _("Platform account id"),
                _("Display name"),
                _("Groups"),
            ],
            [
                [
                    str(n),
                    f"{item.account.handle}\n{item.account.profile_url}".strip(),
                    item.account.platform_account_id or "—",
                    item.account.display_name or "—",
                    "\n".join(group.name for group in item.account.groups.all()) or "—",
                ]
                for n, item in enumerate(items, 1)
            ],
            widths=(8, 66, 30, 35, 35),
        )
        doc.subheading(_("Evidence (SHA-256 of each item)"))
        evidence_rows = [
            [str(n), item.account.handle, evidence.get_kind_display(), evidence.sha256]
            for n, item in enumerate(items, 1)
            for evidence in item.account.evidence.all()
        ]
        if evidence_rows:
            doc.data_table(
                [_("No."), _("Account"), _("Kind"), _("SHA-256")],
                evidence_rows,
                widths=(8, 42, 16, 104),
                size=7.5,
            )
        else:
            doc.paragraph(_("No evidence is attached to these accounts."))
        closing = render_text(template.closing, context)
        if closing:
            doc.ln(2)
            doc.paragraph(closing)
        return bytes(doc.output())
