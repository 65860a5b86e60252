"""The sandbox document templates render in.

Staff edit these templates in the admin, so a template is treated as untrusted input:

- **Tags**: the built-in tags that only shape output (``if``, ``for``, ``with``, ``cycle``,
  ``now``...). Tags that read other templates, tag libraries or settings (``include``,
  ``extends``, ``block``, ``load``, ``debug``, ``url``, ``csrf_token``, ``lorem``...) are
  refused before compiling, with their line. The engine has no loaders and no libraries.
- **Data**: the context is converted to plain data (``plain``): dicts, lists, strings,
  numbers, ``Decimal``, dates. Anything else (a model, a queryset, a function) becomes its
  text or nothing, so no method with an effect is reachable; dicts and lists are read-only
  (reading a method such as ``items.clear`` stops the render with a message). There are no
  ``settings``, no request, no user in the context.
- **Bounds**: the body is at most ``BODY_LIMIT`` characters; every loop iteration checks a
  deadline (``DOCUMENT_RENDER_SECONDS``) and the output it has made
  (``DOCUMENT_HTML_MAX_MB``); filters that could blow a value up (``ljust``, ``join``,
  ``floatformat``...) refuse arguments that would; the output has at most
  ``DOCUMENT_MAX_ELEMENTS`` elements (laying out each costs time). The PDF's layout is
  bounded too (``rendering.render_pdf``: ``DOCUMENT_PDF_SECONDS``, ``DOCUMENT_MAX_PAGES``).
"""

from __future__ import annotations

import datetime
import functools
import re
import time
from decimal import Decimal

from django.conf import settings
from django.template import (
    Context,
    Engine,
    Library,
    TemplateSyntaxError,
    defaultfilters,
    defaulttags,
)
from django.template.base import Lexer, TokenType
from django.utils.functional import Promise
from django.utils.safestring import SafeData, mark_safe


class TemplateProblem(Exception):
    """A template that cannot render, with the line (of the body) and a message to act on."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self):
        return f"Line {self.line}: {self.message}" if self.line else self.message


#: Tags a document template may not use: they read other templates, files, settings or the
#: site's URLs, or make unbounded output.
FORBIDDEN_TAGS = frozenset(
    {"include", "extends", "block", "load", "ssi", "debug", "url", "csrf_token", "lorem"}
    | {"querystring", "partial", "partialdef"}
)
ALLOWED_TAGS = frozenset(
    {"autoescape", "comment", "cycle", "filter", "firstof", "for", "if", "ifchanged", "now"}
    | {"regroup", "resetcycle", "spaceless", "templatetag", "verbatim", "widthratio", "with"}
)
#: The tags, their closing tags and the branches inside them.
KNOWN_TAGS = ALLOWED_TAGS | {f"end{name}" for name in ALLOWED_TAGS} | {"else", "elif", "empty"}
#: The longest body a template may have, in characters.
BODY_LIMIT = 200_000
#: The widest argument a padding or formatting filter takes.
WIDTH_LIMIT = 1000


def time_limit() -> float:
    return float(getattr(settings, "DOCUMENT_RENDER_SECONDS", 5))


def elements_limit() -> int:
    return int(getattr(settings, "DOCUMENT_MAX_ELEMENTS", 20_000))


OPENING_TAG = re.compile(r"<[a-zA-Z]")


def size_limit() -> int:
    return int(float(getattr(settings, "DOCUMENT_HTML_MAX_MB", 5)) * 1024 * 1024)


# --- Plain data ------------------------------------------------------------------------------


def _refuse_method(obj, name: str, readable: frozenset):
    if name.startswith("__") or name in readable:
        return object.__getattribute__(obj, name)
    if hasattr(type(obj), name):
        raise TemplateProblem(
            f"“{name}” is a method: a document template reads data, it calls nothing."
        )
    raise AttributeError(name)


class PlainDict(dict):
    """A read-only mapping for templates: ``items``, ``keys`` and ``values`` only."""

    _readable = frozenset({"items", "keys", "values"})

    def __getattribute__(self, name):
        return _refuse_method(self, name, PlainDict._readable)


class PlainList(list):
    """A read-only sequence for templates: indexing and looping only."""

    _readable = frozenset()

    def __getattribute__(self, name):
        return _refuse_method(self, name, PlainList._readable)


PLAIN_SCALARS = (str, int, float, bool, Decimal, datetime.date, datetime.time, type(None))


def plain(value, depth: int = 0):
    """``value`` as plain data a template may read: containers copied read-only, strings,
    numbers and dates as they are (immutable), lazy text as text, callables as nothing and
    anything else (a model, a file) as its text."""
    if depth > 30:
        return ""
    if isinstance(value, (SafeData, *PLAIN_SCALARS)):
        return value
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dict):
        return PlainDict((str(key), plain(item, depth + 1)) for key, item in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return PlainList(plain(item, depth + 1) for item in value)
    if callable(value):
        return ""
    return str(value)


# --- Bounds ----------------------------------------------------------------------------------


class Budget:
    """What one render may still spend: time until ``deadline``, and output characters."""

    def __init__(self, seconds: float | None = None, size: int | None = None):
        self.seconds = time_limit() if seconds is None else seconds
        self.deadline = time.monotonic() + self.seconds
        self.size = size_limit() if size is None else size
        self.made = 0

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise TemplateProblem(
                f"The template took longer than {self.seconds:g} seconds and was stopped: "
                "look for loops over large ranges, or loops inside loops."
            )

    def add(self, length: int) -> None:
        self.made += length
        if self.made > self.size:
            raise TemplateProblem(too_large(self.size))


def too_large(limit: int) -> str:
    return f"The template makes more than {limit / 1024 / 1024:g} MB of HTML and was stopped."


class SandboxContext(Context):
    def __init__(self, data: dict, budget: Budget):
        super().__init__(data, autoescape=True)
        self.budget = budget


class BoundedForNode(defaulttags.ForNode):
    """Django's ``for``, checking the render's time and output on every iteration."""

    def render(self, context):
        budget = getattr(context, "budget", None) or Budget()
        parentloop = context.get("forloop", {})
        with context.push():
            values = self.sequence.resolve(context, ignore_failures=True)
            if values is None:
                values = []
            if not hasattr(values, "__len__"):
                values = list(values)
            len_values = len(values)
            if len_values < 1:
                return self.nodelist_empty.render(context)
            made = []
            if self.is_reversed:
                values = reversed(values)
            unpack = len(self.loopvars) > 1
            loop = context["forloop"] = {"parentloop": parentloop}
            for i, item in enumerate(values):
                budget.check_time()
                loop.update(
                    counter0=i,
                    counter=i + 1,
                    revcounter=len_values - i,
                    revcounter0=len_values - i - 1,
                    first=i == 0,
                    last=i == len_values - 1,
                )
                if unpack:
                    try:
                        len_item = len(item)
                    except TypeError:
                        len_item = 1
                    if len(self.loopvars) != len_item:
                        raise TemplateProblem(
                            f"The loop needs {len(self.loopvars)} values from each item; "
                            f"got {len_item}."
                        )
                    context.update(dict(zip(self.loopvars, item, strict=True)))
                else:
                    context[self.loopvars[0]] = item
                for node in self.nodelist_loop:
                    piece = node.render_annotated(context)
                    budget.add(len(piece))
                    made.append(piece)
                if unpack:
                    context.pop()
        return mark_safe("".join(made))


def do_bounded_for(parser, token):
    node = defaulttags.do_for(parser, token)
    return BoundedForNode(
        node.loopvars, node.sequence, node.is_reversed, node.nodelist_loop, node.nodelist_empty
    )


def _numbers_in(arg) -> list[int]:
    return [int(digits) for digits in re.findall(r"\d+", str(arg))[:10] if len(digits) < 10]


def _bounded_width(filter_function):
    @functools.wraps(filter_function)
    def bounded(value, arg=-1):
        if any(number > WIDTH_LIMIT for number in _numbers_in(arg)) or re.search(
            r"\d{10,}", str(arg)
        ):
            raise TemplateProblem(
                f"The filter “{filter_function.__name__}” takes widths up to {WIDTH_LIMIT}."
            )
        if filter_function is defaultfilters.floatformat:
            try:
                number = Decimal(str(value))
            except ArithmeticError:
                number = None
            if number is not None and number.is_finite() and abs(number.adjusted()) > 100:
                raise TemplateProblem("floatformat takes numbers up to 100 digits long.")
        return filter_function(value, arg)

    return bounded


def _bounded_join(value, arg, autoescape=True):
    try:
        estimate = len(value) * len(str(arg)) + sum(len(str(item)) for item in value)
    except TypeError:
        estimate = 0
    if estimate > size_limit():
        raise TemplateProblem(too_large(size_limit()))
    return defaultfilters.join(value, arg, autoescape=autoescape)


def _bounded_result(filter_function):
    """A filter whose result, too large, stops the render (chains of ``add`` or ``join``
    would otherwise double a value until memory runs out)."""

    @functools.wraps(filter_function)
    def bounded(*args, **kwargs):
        if filter_function is defaultfilters.make_list and len(str(args[0])) > 100_000:
            raise TemplateProblem("make_list takes values up to 100,000 characters.")
        result = filter_function(*args, **kwargs)
        if isinstance(result, (str, list)) and len(result) > size_limit():
            raise TemplateProblem(too_large(size_limit()))
        if type(result) is list:
            result = PlainList(result)
        return result

    return bounded


def sandbox_library() -> Library:
    """The only tags and filters a document template has."""
    library = Library()
    for name in ALLOWED_TAGS:
        library.tag(name, defaulttags.register.tags[name])
    library.tag("for", do_bounded_for)
    special = {
        "ljust": _bounded_width(defaultfilters.ljust),
        "rjust": _bounded_width(defaultfilters.rjust),
        "center": _bounded_width(defaultfilters.center),
        "floatformat": _bounded_width(defaultfilters.floatformat),
        "stringformat": _bounded_width(defaultfilters.stringformat),
        "join": functools.wraps(defaultfilters.join)(_bounded_join),
    }
    for name, original in defaultfilters.register.filters.items():
        flags = {
            flag: getattr(original, flag)
            for flag in ("is_safe", "needs_autoescape", "expects_localtime")
            if getattr(original, flag, None) is not None
        }
        library.filter(name, _bounded_result(special.get(name, original)), **flags)
    return library


def sandbox_engine() -> Engine:
    engine = Engine(dirs=[], loaders=[], libraries={}, debug=True, string_if_invalid="")
    engine.template_builtins = [sandbox_library()]
    engine.template_libraries = {}
    return engine


_engine: Engine | None = None


def engine() -> Engine:
    global _engine
    if _engine is None:
        _engine = sandbox_engine()
    return _engine


def check_tags(body: str) -> None:
    """Refuse a forbidden tag, with its line, before anything compiles."""
    if len(body) > BODY_LIMIT:
        raise TemplateProblem(f"The template is longer than {BODY_LIMIT:,} characters.")
    for token in Lexer(body).tokenize():
        if token.token_type != TokenType.BLOCK or not token.contents.strip():
            continue
        name = token.contents.split()[0]
        if name in FORBIDDEN_TAGS:
            raise TemplateProblem(
                f"The tag {{% {name} %}} is not allowed in a document template: it would "
                "read other templates, tag libraries, settings or the site's addresses.",
                token.lineno,
            )
        if name not in KNOWN_TAGS:
            raise TemplateProblem(
                f"There is no tag {{% {name} %}}. A document template has these: "
                + ", ".join(sorted(ALLOWED_TAGS))
                + ".",
                token.lineno,
            )


@functools.lru_cache(maxsize=64)
def compile_body(body: str):
    """The compiled template of ``body`` (cached: the same body compiles once)."""
    check_tags(body)
    try:
        return engine().from_string(body)
    except TemplateSyntaxError as error:
        info = getattr(error, "template_debug", None) or {}
        raise TemplateProblem(str(error), info.get("line")) from None


def render_body(body: str, context: dict, *, budget: Budget | None = None) -> str:
    """``body`` rendered with ``context`` (made plain here) inside the sandbox's bounds."""
    compiled = compile_body(body)
    budget = budget or Budget()
    data = {str(key): plain(value) for key, value in context.items()}
    try:
        output = compiled.render(SandboxContext(data, budget))
    except TemplateProblem as problem:
        info = getattr(problem, "template_debug", None) or {}
        raise TemplateProblem(problem.message, problem.line or info.get("line")) from None
    except RecursionError:
        raise TemplateProblem("The template nests too deeply.") from None
    except Exception as error:  # noqa: BLE001 - any failure inside is the template's problem
        info = getattr(error, "template_debug", None) or {}
        raise TemplateProblem(
            f"The template could not render: {error or type(error).__name__}", info.get("line")
        ) from None
    budget.check_time()
    if len(output) > budget.size:
        raise TemplateProblem(too_large(budget.size))
    elements = len(OPENING_TAG.findall(output))
    if elements > elements_limit():
        raise TemplateProblem(
            f"The template makes {elements:,} HTML elements; a document may have "
            f"{elements_limit():,} at most (each costs time to lay out)."
        )
    return output
