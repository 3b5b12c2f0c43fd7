"""Compliance reports: figures for a period and one platform or all, as PDF (with charts) and
CSV, built on demand or monthly by a scheduled job, stored and listed."""
