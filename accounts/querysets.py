"""Reusable query pieces as QuerySet methods, shared by selectors and filtersets."""

from django.db import models
from django.db.models import Q

from .matching import name_key


class ProscribedGroupQuerySet(models.QuerySet):
    def search(self, q: str) -> "ProscribedGroupQuerySet":
        """Groups whose name or any alias contains q (any script, after transliteration), once
        each, by name."""
        q = q.strip()
        if not q:
            return self
        key = name_key(q)
        match = Q(name__icontains=q) | Q(aliases__name__icontains=q)
        if key:
            match |= Q(name_key__contains=key) | Q(aliases__name_key__contains=key)
        return self.filter(match).distinct().order_by("name")
