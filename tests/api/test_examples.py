"""Every JSON answer of the schema has an example, and the schema accepts its own examples.

Answers with no example of the view's own show the one recorded from the demo data
(``manage.py api_examples_record``, ``realestate/api/examples.py``); when a serializer changes
and its recording no longer fits, this test names the operation.
"""

import json

import jsonschema
import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True)))


def nullable_to_json_schema(node):
    """OpenAPI 3.0's ``nullable`` in JSON Schema's terms (a null is one more allowed value)."""
    if isinstance(node, list):
        return [nullable_to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: nullable_to_json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        if "enum" in node:
            node["enum"] = [*node["enum"], None]
        if isinstance(node.get("type"), str):
            node["type"] = [node["type"], "null"]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    return node


def json_answers(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for code, response in operation.get("responses", {}).items():
                content = (response.get("content") or {}).get("application/json")
                if str(code).startswith("2") and content is not None:
                    yield f"{method.upper()} {path} {code}", content


def test_every_json_answer_has_an_example(schema):
    missing = [
        name
        for name, content in json_answers(schema)
        if not content.get("examples") and "example" not in content
    ]
    assert missing == [], "No example (record one: manage.py api_examples_record)"


def test_every_example_fits_its_schema(schema):
    components = nullable_to_json_schema(schema["components"])
    wrong = []
    for name, content in json_answers(schema):
        answer_schema = {**nullable_to_json_schema(content["schema"]), "components": components}
        validator = jsonschema.Draft7Validator(answer_schema)
        for title, example in (content.get("examples") or {}).items():
            errors = sorted(validator.iter_errors(example["value"]), key=str)
            if errors:
                error = errors[0]
                where = "/".join(str(part) for part in error.absolute_path)
                wrong.append(f"{name} [{title}] at {where or '(top)'}: {error.message[:200]}")
    assert wrong == []
