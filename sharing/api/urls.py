"""API routes of the sharing app, mounted under /api/v1/ by tracker/api/urls.py."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
