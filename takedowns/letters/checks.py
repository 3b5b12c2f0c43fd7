"""What an edited letter template must pass before it is saved: it compiles, names only the
letter's variables, reaches no attribute, and renders within its field's length."""

from django.template import Node, TemplateSyntaxError, Variable
from django.template.base import FilterExpression
from django.template.defaulttags import ForNode, TemplateLiteral, WithNode
from django.utils.translation import gettext as _

from .rendering import LetterRenderError, compile_template, render_text

# Every variable a letter may use, with a value as long as a real letter's (the check renders
# with these); letter.letter_context gives the same names.
LETTER_SAMPLE = {
    "reference": "TR-000123",
    "platform": "Telegram Messenger",
    "platform_portal": "https://telegram.org/support/law-enforcement-requests",
    "kind": "Removal",
    "priority": "Urgent",
    "legal_basis": "Section 11W, Anti-Terrorism Act 1997 and PECA 2016, section 37",
    "deadline": "2026-12-03 09:30 PKT",
    "deadline_hours": 48,
    "account_count": 250,
    "issuing_unit": "Counter-Terrorism Department, Cyber Wing, Punjab",
    "date": "01 December 2026",
    "ticket": "LE-2026-118822",
}
# {{ forloop.counter }} and its kin are the one attribute lookup allowed, inside a loop.
FORLOOP_ATTRIBUTES = frozenset(
    {"counter", "counter0", "revcounter", "revcounter0", "first", "last"}
)
# The longest a field may render to.
MAX_RENDERED = {"subject": 300, "body": 20_000, "closing": 2_000}


def _variables(value):
    """The Variables in a node attribute: filter expressions, their arguments, conditions."""
    if isinstance(value, Variable):
        yield value
    elif isinstance(value, FilterExpression):
        yield from _variables(value.var)
        for _func, args in value.filters:
            yield from (arg for lookup, arg in args if lookup)
    elif isinstance(value, TemplateLiteral):
        yield from _variables(value.value)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _variables(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _variables(item)
    elif hasattr(value, "first") and hasattr(value, "second"):  # an {% if %} operator
        yield from _variables(value.first)
        yield from _variables(value.second)


def _lookup_problem(variable: Variable, bound: set[str]) -> str | None:
    if variable.lookups is None:  # a literal
        return None
    name, *attributes = variable.lookups
    if name == "forloop" and len(attributes) == 1 and attributes[0] in FORLOOP_ATTRIBUTES:
        return None
    if attributes:
        return _(
            "“%(name)s” reaches into an attribute; a letter may use its variables only as "
            "they are, with filters."
        ) % {"name": variable.var}
    if name not in LETTER_SAMPLE and name not in bound:
        return _("Unknown variable “%(name)s”. The variables are: %(known)s.") % {
            "name": name,
            "known": ", ".join(LETTER_SAMPLE),
        }
    return None


def template_problem(source: str, *, field: str) -> str | None:
    """Why this field's template may not be saved, or None."""
    try:
        template = compile_template(source)
    except TemplateSyntaxError as error:
        if "underscores" in str(error):
            return _("A letter may not use names starting with an underscore: %(error)s") % {
                "error": error
            }
        return _("Not a valid template: %(error)s") % {"error": error}
    nodes = template.nodelist.get_nodes_by_type(Node)
    bound = {name for node in nodes if isinstance(node, ForNode) for name in node.loopvars}
    bound |= {n for node in nodes if isinstance(node, WithNode) for n in node.extra_context}
    for node in nodes:
        for variable in _variables(list(vars(node).values())):
            problem = _lookup_problem(variable, bound)
            if problem:
                return problem
    try:
        rendered = render_text(source, LETTER_SAMPLE)
    except LetterRenderError as error:
        return _("This template cannot be rendered within a letter's limits: %(error)s.") % {
            "error": error
        }
    except Exception as error:  # a filter or loop that fails on the letter's values
        return _("This template cannot be rendered: %(error)s") % {"error": error}
    limit = MAX_RENDERED[field]
    if len(rendered) > limit:
        return _(
            "This template renders to %(length)s characters; the most a %(field)s may be is "
            "%(limit)s."
        ) % {"length": len(rendered), "field": field, "limit": limit}
    return None
