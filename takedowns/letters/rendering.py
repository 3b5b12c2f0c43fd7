"""Letter wording rendered by Django's template engine from a safe context.

The engine has no loaders (no {% include %} or {% extends %} of files) and the context holds
plain strings and numbers only, so an edited template can reach no model, method or setting.
Only the tags and filters a letter needs are loaded: none reaches outside the context, none
pads or repeats text without bound ({% lorem %}, |ljust, |join, |stringformat are left out),
and every {% for %} draws on one small budget of iterations per rendering. Output is text for
a PDF, so nothing is HTML-escaped.
"""

from django.template import Context, Engine, Library, Template, defaultfilters, defaulttags
from django.template.defaulttags import ForNode

# The tags and filters a letter may use; everything else is unknown to the engine, so a
# template using it does not compile.
LETTER_TAGS = frozenset(
    {"if", "for", "with", "comment", "firstof", "now", "spaceless", "verbatim", "templatetag"}
)
LETTER_FILTERS = frozenset(
    {
        "add",
        "capfirst",
        "cut",
        "date",
        "default",
        "default_if_none",
        "first",
        "last",
        "length",
        "lower",
        "pluralize",
        "slugify",
        "time",
        "title",
        "truncatechars",
        "truncatewords",
        "upper",
        "wordcount",
        "yesno",
    }
)
# How many loop iterations one rendering of one field may run, nested loops included.
LOOP_BUDGET = 500


class LetterRenderError(Exception):
    """A template that compiles but cannot be rendered within the letter's limits."""


class BudgetedForNode(ForNode):
    """{% for %} that counts its iterations against LOOP_BUDGET before running them."""

    def render(self, context):
        values = self.sequence.resolve(context, ignore_failures=True)
        spent = context.render_context.get("letter_loop_iterations", 0)
        if values is not None and not hasattr(values, "__len__"):
            raise LetterRenderError(f"“{self.sequence.token}” is not a list to loop over")
        spent += len(values) if values is not None else 0
        if spent > LOOP_BUDGET:
            raise LetterRenderError(f"more than {LOOP_BUDGET} loop iterations")
        context.render_context["letter_loop_iterations"] = spent
        return super().render(context)


def _budgeted_for(parser, token):
    node = defaulttags.do_for(parser, token)
    node.__class__ = BudgetedForNode
    return node


_library = Library()
_library.tags = {n: t for n, t in defaulttags.register.tags.items() if n in LETTER_TAGS}
_library.tags["for"] = _budgeted_for
_library.filters = {n: f for n, f in defaultfilters.register.filters.items() if n in LETTER_FILTERS}
_ENGINE = Engine(loaders=[], autoescape=False, debug=False, libraries={})
_ENGINE.template_builtins = [_library]


def compile_template(source: str) -> Template:
    """The template object; raises TemplateSyntaxError for a malformed one."""
    return _ENGINE.from_string(source)


def render_text(source: str, context: dict[str, str | int]) -> str:
    """Render one template field with plain values only; LetterRenderError past the limits."""
    safe = {key: value for key, value in context.items() if isinstance(value, str | int)}
    return compile_template(source).render(Context(safe, autoescape=False)).strip()
