"""A report's figures as a PDF (tables and charts drawn with fpdf2) and as a CSV."""

import csv
import io

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.pdf import Document

from .figures import BUCKETS, OUTCOMES

REPORT_LANGUAGE = "en"


def _pct(share) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"


def _num(value) -> str:
    return "—" if value is None else f"{value:g}"


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"


def _outcome_labels() -> dict[str, str]:
    return {
        "actioned": _("Actioned"),
        "partially_actioned": _("Partially actioned"),
        "rejected": _("Rejected"),
        "withdrawn": _("Withdrawn"),
        "open": _("Open"),
    }


def _bucket_labels() -> list[str]:
    edges = (0, *BUCKETS)
    labels = [f"{low}-{high} h" for low, high in zip(edges, BUCKETS, strict=False)]
    return [*labels, f"{BUCKETS[-1]}+ h"]


def report_title(*, start, last_day, platform_name: str | None) -> str:
    """ "Compliance report, <scope>, <first day> to <last day>"."""
    return _("Compliance report, %(scope)s, %(start)s to %(last)s") % {
        "scope": platform_name or _("all platforms"),
        "start": start.isoformat(),
        "last": last_day.isoformat(),
    }


def report_pdf(figures: dict) -> bytes:
    """The report as PDF bytes: summary, charts, then the detail tables."""
    with translation.override(REPORT_LANGUAGE):
        title = report_title(
            start=figures["period"]["start"],
            last_day=figures["period"]["last_day"],
            platform_name=figures["platform_name"],
        )
        doc = Document(title=title, footer=title)
        doc.heading(title, size=14)
        doc.set_font("sans", size=8.5)
        doc.cell(0, 5, _("Built %(when)s") % {"when": _when(figures["generated_at"])})
        doc.ln(7)
        deadline, took, accounts, mirrors = (
            figures["deadline"],
            figures["time_to_action"],
            figures["accounts"],
            figures["mirrors"],
        )
        doc.subheading(_("Summary"))
        doc.fields(
            [
                (_("Requests sent"), str(figures["requests"]["total"])),
                (
                    _("Actioned within deadline"),
                    f"{_pct(deadline['share'])} ({deadline['within']} / {deadline['decided']})",
                ),
                (_("Median time to action"), f"{_num(took['median_hours'])} h"),
                (_("90th percentile"), f"{_num(took['p90_hours'])} h"),
                (
                    _("Removal rate"),
                    f"{_pct(accounts['removal_rate'])} "
                    f"({accounts['removed']} / {accounts['answered']})",
                ),
                (_("Accounts reported"), str(accounts["reported"])),
                (_("Rejected requests"), str(len(figures["rejections"]))),
                (_("Restored accounts"), str(len(figures["restored"]))),
                (_("Mirrors detected"), str(mirrors["detected"])),
                (
                    _("Median time to reappearance"),
                    f"{_num(mirrors['median_hours_to_reappearance'])} h",
                ),
            ],
            label_width=60,
        )
        labels = _outcome_labels()
        by_kind = figures["requests"]["by_kind"]
        doc.subheading(_("Requests"))
        if by_kind:
            doc.bar_chart(
                title=_("Requests by kind and outcome"),
                categories=[k["label"] for k in by_kind],
                series=[(labels[o], [k[o] for k in by_kind]) for o in OUTCOMES],
            )
        doc.data_table(
            [_("Kind"), *labels.values(), _("Total")],
            [[k["label"], *(str(k[o]) for o in OUTCOMES), str(k["total"])] for k in by_kind]
            or [[_("No requests were sent in this period."), "", "", "", "", "", ""]],
            widths=(40, 22, 26, 20, 22, 18, 22),
        )
        doc.bar_chart(
            title=_("Time to action of actioned requests"),
            categories=_bucket_labels(),
            series=[(_("Requests"), took["histogram"])],
            height=40,
        )
        _detail_tables(doc, figures)
        return bytes(doc.output())


def _detail_tables(doc: Document, figures: dict) -> None:
    doc.subheading(_("Rejections and their reasons"))
    doc.data_table(
        [_("Request"), _("Platform"), _("Resolved"), _("Reasons")],
        [
            [r["reference"], r["platform"], _when(r["resolved_at"]), "\n".join(r["reasons"]) or "—"]
            for r in figures["rejections"]
        ]
        or [["—", "", "", ""]],
        widths=(26, 26, 32, 90),
    )
    doc.subheading(_("Restored accounts"))
    doc.data_table(
        [_("Account"), _("Platform"), _("Restored")],
        [[r["handle"], r["platform"], _when(r["restored_at"])] for r in figures["restored"]]
        or [["—", "", ""]],
        widths=(80, 40, 54),
    )
    doc.subheading(_("Mirrors detected"))
    doc.data_table(
        [_("Mirror"), _("Platform"), _("Re-creates"), _("First seen"), _("Hours after removal")],
        [
            [
                m["handle"],
                m["platform"],
                m["original"],
                _when(m["first_seen_at"]),
                _num(m["hours_to_reappearance"]),
            ]
            for m in figures["mirrors"]["accounts"]
        ]
        or [["—", "", "", "", ""]],
        widths=(42, 24, 42, 34, 32),
    )


def report_csv(figures: dict) -> bytes:
    """The figures in long form: section, item, measure, value (one row each)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["section", "item", "measure", "value"])
    period = figures["period"]
    writer.writerow(["scope", "period", "start", period["start"].isoformat()])
    writer.writerow(["scope", "period", "end_exclusive", period["end"].isoformat()])
    writer.writerow(["scope", "platform", "slug", figures["platform"] or "all"])
    for kind in figures["requests"]["by_kind"]:
        for outcome in (*OUTCOMES, "total"):
            writer.writerow(["requests", kind["kind"], outcome, kind[outcome]])
    for key in ("decided", "within", "share"):
        writer.writerow(["deadline", "all", key, figures["deadline"][key]])
    took = figures["time_to_action"]
    for key in ("count", "median_hours", "p90_hours"):
        writer.writerow(["time_to_action", "actioned", key, took[key]])
    accounts = figures["accounts"]
    for key in ("reported", "answered", "removed", "removal_rate"):
        writer.writerow(["accounts", "all", key, accounts[key]])
    for outcome, n in accounts["by_outcome"].items():
        writer.writerow(["accounts", outcome, "count", n])
    for r in figures["rejections"]:
        writer.writerow(["rejection", r["reference"], "reasons", " | ".join(r["reasons"])])
    for r in figures["restored"]:
        writer.writerow(["restored", r["handle"], "restored_at", r["restored_at"].isoformat()])
    mirrors = figures["mirrors"]
    for key in ("detected", "median_hours_to_reappearance", "p90_hours_to_reappearance"):
        writer.writerow(["mirrors", "all", key, mirrors[key]])
    for m in mirrors["accounts"]:
        writer.writerow(
            ["mirror", m["handle"], "hours_to_reappearance", m["hours_to_reappearance"]]
        )
    return ("\ufeff" + out.getvalue()).encode()
