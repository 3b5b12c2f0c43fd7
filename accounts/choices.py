"""Enumerations shared by the accounts models, forms, filters and API."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    REPORTED = "reported", _("Reported")
    RESTRICTED = "restricted", _("Restricted")
    SUSPENDED = "suspended", _("Suspended")
    REMOVED = "removed", _("Removed")
    RESTORED = "restored", _("Restored")
    UNKNOWN = "unknown", _("Unknown")


class Authority(models.TextChoices):
    UN = "un", _("UN Security Council")
    US_FTO = "us_fto", _("US State Dept FTO")
    US_SDGT = "us_sdgt", _("US Treasury OFAC SDGT")
    UK_PROSCRIBED = "uk_proscribed", _("UK Home Office proscribed")
    UK_SANCTIONS = "uk_sanctions", _("UK sanctions list")
    EU = "eu", _("European Union")
    PK_NACTA = "pk_nacta", _("Pakistan NACTA")


class EvidenceKind(models.TextChoices):
    FILE = "file", _("File")
    URL = "url", _("URL")
    TEXT = "text", _("Captured text")


class MirrorStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class AdapterKind(models.TextChoices):
    MANUAL = "manual", _("Manual")
    HTTP = "http", _("HTTP API")


class DesignationSource(models.TextChoices):
    """The list files `import_designations` reads (see docs/designations.md)."""

    UN = "un", _("UN Security Council Consolidated List (XML)")
    UK = "uk", _("UK sanctions list (OFSI CSV or XML, FCDO XML)")
    OFAC = "ofac", _("US Treasury OFAC SDN list (sdn.csv with alt.csv, or SDN.XML)")
    EU = "eu", _("EU consolidated financial sanctions list (XML)")
    NACTA = "nacta", _("Simple CSV: Pakistan NACTA, UK Home Office, US State Dept FTO")


class WatchSignalKind(models.TextChoices):
    """What a watch-list row holds about a removed account (see docs/mirrors.md)."""

    HANDLE = "handle", _("Folded handle")
    NAME = "name", _("Display-name key")
    AVATAR = "avatar", _("Avatar PDQ hash")
    CONTACT = "contact", _("Contact point")
    GROUP = "group", _("Linked group")
