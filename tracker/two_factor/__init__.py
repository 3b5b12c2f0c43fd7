"""The second factor: TOTP with one-time backup codes (django-otp), who needs it, and its pages."""
