"""Hostile templates render nothing harmful and say why: no other templates, tag libraries,
settings, methods, files or URLs; no endless loop; no output without bound."""

import time
from decimal import Decimal

import pytest
from django.conf import settings

from realestate.documents.rendering import TemplateProblem, render_html, render_pdf
from realestate.documents.sandbox import plain, render_body
from tests.documents.conftest import Draft, pdf_text


def problem_of(body, context=None) -> TemplateProblem:
    with pytest.raises(TemplateProblem) as caught:
        render_body(body, context or {})
    return caught.value


@pytest.mark.parametrize(
    "body, line, tag",
    [
        ("<p>Contract</p>\n{% include 'admin/base.html' %}", 2, "include"),
        ("{% extends 'admin/base.html' %}", 1, "extends"),
        ("a\nb\n{% load static %}{% static 'x' %}", 3, "load"),
        ("{%load i18n%}", 1, "load"),
        ("{% debug %}", 1, "debug"),
        ("{% url 'admin:index' %}", 1, "url"),
        ("{% block body %}{% endblock %}", 1, "block"),
        ("{% ssi '/etc/passwd' %}", 1, "ssi"),
        ("{% lorem 100000000 w %}", 1, "lorem"),
        ("{% csrf_token %}", 1, "csrf_token"),
    ],
)
def test_forbidden_tags_are_refused_with_their_line(body, line, tag):
    problem = problem_of(body)
    assert problem.line == line
    assert f"{{% {tag} %}}" in problem.message
    assert "not allowed" in problem.message


def test_an_unknown_tag_names_the_tags_there_are():
    problem = problem_of("<h1>x</h1>\n\n{% now_or_never %}")
    assert problem.line == 3
    assert "There is no tag {% now_or_never %}" in problem.message
    assert "for, if" in problem.message


def test_a_syntax_error_has_its_line():
    problem = problem_of("<p>\n{% if total > %}x{% endif %}</p>")
    assert problem.line == 2
    assert "if" in problem.message


def test_settings_request_and_user_are_not_there():
    output = render_body(
        "[{{ settings }}][{{ settings.SECRET_KEY }}][{{ request }}][{{ user }}][{{ perms }}]"
        "[{{ csrf_token }}]",
        {"number": "SC-1"},
    )
    assert output == "[][][][][][]"
    assert settings.SECRET_KEY not in output


def test_reading_a_method_stops_with_a_message_and_changes_nothing():
    data = {"schedule": [{"amount": "10"}], "parties": {"buyer": "Ali"}}
    for body in ("{{ parties.clear }}", "{{ schedule.pop }}", "{{ schedule.0.clear }}"):
        problem = problem_of(f"<p>\n{body}</p>", data)
        assert problem.line == 2
        assert "is a method" in problem.message
    assert data == {"schedule": [{"amount": "10"}], "parties": {"buyer": "Ali"}}


def test_live_objects_become_text_and_functions_nothing(db):
    from tests.factories import UnitFactory

    unit = UnitFactory(code="LIVE-1")
    output = render_body(
        "[{{ unit }}][{{ unit.delete }}][{{ unit.pk }}][{{ fn }}][{{ cls }}]",
        {"unit": unit, "fn": lambda: "called", "cls": dict},
    )
    assert output == f"[{unit}][][][][]"
    unit.refresh_from_db()  # still there


def test_plain_data_reads_as_usual():
    context = {
        "rows": [{"n": 1, "amount": Decimal("10.5")}, {"n": 2, "amount": Decimal("2")}],
        "parties": {"buyer": "Ali", "seller": "Marina Crest"},
        "tags": ("a", "b"),
    }
    output = render_body(
        "{% for row in rows %}{{ forloop.counter }}:{{ row.amount|floatformat:2 }};{% endfor %}"
        "{% for role, name in parties.items %}{{ role }}={{ name }};{% endfor %}"
        "{{ rows.1.n }} {{ rows|length }} {{ tags|join:'+' }} {{ rows|dictsort:'n'|first }}",
        context,
    )
    assert output.startswith("1:10.50;2:2.00;buyer=Ali;seller=Marina Crest;2 2 a+b {")
    assert type(plain(context)["rows"]).__name__ == "PlainList"


def test_an_endless_loop_is_stopped_within_the_bound(settings):
    settings.DOCUMENT_RENDER_SECONDS = 1
    body = (
        "{% with n='x'|ljust:1000|make_list %}\n"
        "{% for a in n %}{% for b in n %}{% for c in n %}{% endfor %}{% endfor %}{% endfor %}"
        "{% endwith %}"
    )
    started = time.monotonic()
    problem = problem_of(body)
    assert time.monotonic() - started < 4  # the bound, and a loaded machine's slack
    assert "longer than 1 seconds" in problem.message
    assert problem.line == 2


def test_output_is_bounded(settings):
    settings.DOCUMENT_HTML_MAX_MB = 1
    body = "{% with n='x'|ljust:1000|make_list %}{% for a in n %}{% for b in n %}"
    body += "0123456789{% endfor %}{% endfor %}{% endwith %}"
    assert "more than 1 MB" in problem_of(body).message


@pytest.mark.parametrize(
    "body, says",
    [
        ("{{ 'x'|ljust:'1000000000' }}", "widths up to 1000"),
        ("{{ 'x'|center:5000 }}", "widths up to 1000"),
        ("{{ 1.5|floatformat:100000 }}", "widths up to 1000"),
        ("{{ '1e999999999'|floatformat:2 }}", "100 digits"),
        ("{{ 1|stringformat:'099999999d' }}", "widths up to 1000"),
        (
            "{% with a='x'|ljust:1000 %}{% with b=a|make_list|join:a %}"
            "{% with c=b|make_list|join:b %}{{ c }}{% endwith %}{% endwith %}{% endwith %}",
            "100,000 characters",
        ),
    ],
)
def test_filters_that_could_blow_up_refuse_to(body, says):
    assert says in problem_of(body).message


def test_a_failing_filter_is_a_problem_not_a_crash():
    problem = problem_of("<p>\n\n{{ 10|divisibleby:0 }}</p>")
    assert problem.line == 3
    assert "could not render" in problem.message


# --- What the PDF may reach ------------------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch):
    import socket

    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("no network in tests")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


@pytest.fixture
def secret_files(tmp_path):
    """A .env and a CSS file the PDF must never read, and the project's own .env/db paths."""
    env = tmp_path / ".env"
    env.write_text("SECRET_KEY=leaked-secret-value\n")
    css = tmp_path / "evil.css"
    css.write_text("h1::after { content: 'LEAKED-CSS'; }")
    return env, css


@pytest.mark.django_db
def test_pdf_reaches_no_file_and_no_url_but_static_and_data(no_network, secret_files):
    env, css = secret_files
    project_env = settings.BASE_DIR / ".env"
    database = settings.BASE_DIR / "var" / "db.sqlite3"
    body = f"""
      <link rel="stylesheet" href="http://example.com/style.css">
      <link rel="stylesheet" href="{css.as_uri()}">
      <link rel="stylesheet" href="/static/core/../../../../../../{css}">
      <h1>Sale contract</h1>
      <img src="{env.as_uri()}"><img src="{project_env.as_uri()}">
      <img src="{database.as_uri()}"><img src="https://example.com/logo.png">
      <img src="file:///etc/passwd"><img src="../.env"><img src="media/units/1.jpg">
      <object data="{env.as_uri()}"></object><embed src="{env.as_uri()}">
      <link rel="attachment" href="{project_env.as_uri()}">
      <a rel="attachment" href="{database.as_uri()}">the database</a>
    """
    hostile_css = (
        f'@import url("http://example.com/more.css"); @import url("{css.as_uri()}");'
        f' body {{ background: url("{env.as_uri()}"); }}'
        ' @font-face { font-family: X; src: url("file:///etc/passwd"); }'
    )
    refused = []
    content = render_pdf(Draft(body=body, css=hostile_css), {}, refused=refused)
    text = pdf_text(content)
    assert "Sale contract" in text
    assert "LEAKED" not in text and "leaked-secret-value" not in text
    assert no_network == []
    for url in (env.as_uri(), css.as_uri(), "http://example.com/style.css", "file:///etc/passwd"):
        assert url in refused, (url, refused)
    assert "http://example.com/more.css" in refused
    # Nothing of the project's files went into the PDF, not even as an attachment.
    assert project_env.as_uri() in refused and database.as_uri() in refused
    assert b"/EmbeddedFile" not in content
    assert not any("core/admin.css" in url for url in refused)


@pytest.mark.django_db
def test_pdf_reads_static_files_data_uris_and_the_records_own_images(tmp_path):
    from PIL import Image

    photo = tmp_path / "unit.png"
    Image.new("RGB", (40, 40), "red").save(photo)
    other = tmp_path / "other.png"
    Image.new("RGB", (40, 40), "blue").save(other)
    body = (
        '<link rel="stylesheet" href="/static/core/admin.css">'
        f'<p>Unit photo</p><img src="{photo.as_uri()}"><img src="{other.as_uri()}">'
        '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlE'
        'QVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==">'
    )
    refused = []
    content = render_pdf(Draft(body=body), {}, assets=[photo], refused=refused)
    assert "Unit photo" in pdf_text(content)
    assert refused == [other.as_uri()]


@pytest.mark.django_db
def test_html_escapes_data_and_css_cannot_close_its_style():
    html = render_html(
        Draft(body="<p>{{ name }}</p>", css="p { color: red } </style><img src=x>"),
        {"name": "<script>alert(1)</script>"},
    )
    assert "&lt;script&gt;" in html
    assert "</style><img" not in html


# --- The PDF's layout is bounded too ----------------------------------------------------------


def test_too_many_elements_are_refused_before_layout(settings):
    settings.DOCUMENT_MAX_ELEMENTS = 500
    body = "{% for row in rows %}<tr><td>{{ row }}</td></tr>{% endfor %}"
    assert render_body(body, {"rows": list(range(200))}).count("<tr>") == 200
    problem = problem_of(body, {"rows": list(range(300))})
    assert "600 HTML elements" in problem.message and "500 at most" in problem.message


@pytest.mark.django_db
def test_a_pdf_past_its_pages_or_its_time_is_stopped_with_a_message(settings):
    rows = list(range(400))
    body = "<table>{% for row in rows %}<tr><td>{{ row }}</td></tr>{% endfor %}</table>"
    settings.DOCUMENT_MAX_PAGES = 3
    with pytest.raises(TemplateProblem) as caught:
        render_pdf(Draft(body=body), {"rows": rows})
    assert "runs past 3 pages" in caught.value.message

    settings.DOCUMENT_MAX_PAGES = 300
    settings.DOCUMENT_PDF_SECONDS = 0.05
    started = time.monotonic()
    with pytest.raises(TemplateProblem) as caught:
        render_pdf(Draft(body=body), {"rows": rows})
    assert "took longer than 0.05 seconds" in caught.value.message
    assert time.monotonic() - started < 10


@pytest.mark.django_db
def test_bounds_do_not_stop_an_ordinary_document():
    body = "<table>{% for row in rows %}<tr><td>{{ row }}</td></tr>{% endfor %}</table>"
    content = render_pdf(Draft(body=body), {"rows": list(range(120))})
    assert "119" in pdf_text(content)


@pytest.mark.django_db
def test_the_bounds_hold_after_logging_is_configured_again(settings):
    """``dictConfig`` with the settings' ``weasyprint: ERROR`` resets its child loggers'
    levels (as a second ``configure_logging`` does): the page bound still stops a long PDF."""
    import logging.config

    logging.config.dictConfig(settings.LOGGING)
    rows = list(range(400))
    body = "<table>{% for row in rows %}<tr><td>{{ row }}</td></tr>{% endfor %}</table>"
    settings.DOCUMENT_MAX_PAGES = 3
    with pytest.raises(TemplateProblem) as caught:
        render_pdf(Draft(body=body), {"rows": rows})
    assert "runs past 3 pages" in caught.value.message
