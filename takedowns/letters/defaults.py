"""The wording installed as the default letter template (any platform, any kind); the data
migration and the tests read it from here."""

DEFAULT_TEMPLATE = {
    "name": "Default letter",
    "issuing_unit": "Counter-Terrorism Cell, Cyber Wing",
    "subject": "{{ kind }} request {{ reference }}: {{ account_count }} account"
    "{{ account_count|pluralize }} run by proscribed organisations",
    "body": (
        "To the law-enforcement response team of {{ platform }},\n\n"
        "The accounts listed below are operated on behalf of organisations proscribed under "
        "the law of Pakistan and designated by the United Nations Security Council. Under "
        "{{ legal_basis|default:'the applicable law' }}, we request {{ kind|lower }} of "
        "{{ account_count }} account{{ account_count|pluralize }} ({{ priority|lower }} "
        "priority), to be actioned {{ deadline }}.\n\n"
        "Each account is listed with its profile URL and, where known, your platform's "
        "account id. The SHA-256 of every evidence item lets you verify the files enclosed "
        "in this package. Please quote {{ reference }} in your reply."
    ),
    "closing": "Yours faithfully,\n\n{{ issuing_unit }}\n{{ date }}",
}
