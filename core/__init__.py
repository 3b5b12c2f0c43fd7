"""The ground floor: what every app needs and no app owns (domain errors, permission checks,
UI helpers, ordering declarations). `core` imports no app of this project."""
