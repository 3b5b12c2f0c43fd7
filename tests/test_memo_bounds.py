"""Memo caches in the product's code are bounded, and the text-key ones by one source.

A `functools.cache` or an `lru_cache` of a large size on a function of names or handles keeps
what every import, export and check met alive for the life of the worker or web process
(core/memo.py). This reads the code: any `functools.cache` / `lru_cache(maxsize=None)` or an
`lru_cache` above core.memo.TEXT_KEY_CACHE fails, except on a function of no argument (built
once) or of a few fixed inputs listed in FIXED_INPUTS.
"""

import ast
from pathlib import Path

from core.memo import TEXT_KEY_CACHE, text_key_memo

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("accounts", "core", "sharing", "takedowns", "tracker")
# Functions whose inputs are a handful of constants, cached whole on purpose.
FIXED_INPUTS = {("accounts/mirrors/features.py", "_common_folded")}  # kind: "name" or "handle"


def _cache_decorators():
    for package in PRODUCT:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(), str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    for decorator in node.decorator_list:
                        if _arguments(node):
                            yield str(path.relative_to(ROOT)), node.name, decorator


def _arguments(function) -> int:
    args = function.args
    return len(args.posonlyargs + args.args + args.kwonlyargs) + bool(args.vararg or args.kwarg)


def _unbounded_or_large(decorator) -> str | None:
    text = ast.unparse(decorator)
    if text in ("functools.cache", "cache"):
        return "unbounded @cache"
    if text in ("functools.lru_cache", "lru_cache"):
        return "lru_cache of the default 128 entries: say its bound"
    if isinstance(decorator, ast.Call) and ast.unparse(decorator.func).endswith("lru_cache"):
        given = [k.value for k in decorator.keywords if k.arg == "maxsize"] + decorator.args[:1]
        for node in given:
            try:
                value = ast.literal_eval(node)
            except ValueError:
                return f"lru_cache(maxsize={ast.unparse(node)}): a bound the rule cannot read"
            if value is None or value > TEXT_KEY_CACHE:
                return f"lru_cache(maxsize={value})"
    return None


def test_no_unbounded_or_oversized_memo_cache():
    found = [
        f"{path}:{name}: {why}"
        for path, name, decorator in _cache_decorators()
        if (why := _unbounded_or_large(decorator)) and (path, name) not in FIXED_INPUTS
    ]
    assert found == []


def test_the_rule_sees_a_large_cache():
    tree = ast.parse("@functools.lru_cache(maxsize=200_000)\ndef f(x): pass\n")
    assert _unbounded_or_large(tree.body[0].decorator_list[0]) == "lru_cache(maxsize=200000)"
    tree = ast.parse("@functools.cache\ndef f(x): pass\n")
    assert _unbounded_or_large(tree.body[0].decorator_list[0]) == "unbounded @cache"
    tree = ast.parse("@functools.lru_cache(100_000)\ndef f(x): pass\n")
    assert _unbounded_or_large(tree.body[0].decorator_list[0]) == "lru_cache(maxsize=100000)"
    tree = ast.parse("@functools.lru_cache(maxsize=SIZE)\ndef f(x): pass\n")
    assert "cannot read" in _unbounded_or_large(tree.body[0].decorator_list[0])


def test_a_text_key_memo_holds_at_most_its_bound():
    seen = text_key_memo(lambda text: text.upper())
    for number in range(TEXT_KEY_CACHE + 500):
        seen(f"name {number}")
    assert seen.cache_info().currsize == TEXT_KEY_CACHE
