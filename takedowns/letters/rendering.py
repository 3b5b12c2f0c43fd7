"""Letter wording rendered by Django's template engine from a safe context.

The engine has no loaders (no {% include %} or {% extends %} of files) and the context holds
plain strings and numbers only, so an edited template can reach no model, method or setting.
Output is text for a PDF, so nothing is HTML-escaped.
"""

from django.template import Context, Engine, Library, Template, defaultfilters, defaulttags

# The built-in tags and filters less those that reach outside the context: {% debug %}
# (prints the loaded modules), {% url %}, {% load %}, {% csrf_token %}, and the loader tags
# ({% include %}, {% extends %}) which are left out altogether.
_UNSAFE_TAGS = {"debug", "url", "load", "csrf_token"}
_tags = Library()
_tags.tags = {n: tag for n, tag in defaulttags.register.tags.items() if n not in _UNSAFE_TAGS}
_ENGINE = Engine(loaders=[], autoescape=False, debug=False, libraries={})
_ENGINE.template_builtins = [_tags, defaultfilters.register]


def compile_template(source: str) -> Template:
    """The template object; raises TemplateSyntaxError for a malformed one."""
    return _ENGINE.from_string(source)


def render_text(source: str, context: dict[str, str | int]) -> str:
    """Render one template field with plain values only."""
    safe = {key: value for key, value in context.items() if isinstance(value, str | int)}
    return compile_template(source).render(Context(safe, autoescape=False)).strip()
