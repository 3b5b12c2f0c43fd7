"""Request packages: the letter to the platform (from an editable template), the accounts as
CSV and the evidence files, in one ZIP whose SHA-256 goes into the request's timeline."""
