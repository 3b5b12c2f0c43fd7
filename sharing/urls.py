"""Pages of the sharing app (exports, the feeds page): included at /sharing/."""

from django.urls import path  # noqa: F401

app_name = "sharing"

urlpatterns: list = []
