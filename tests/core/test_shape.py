"""The shape of the house, checked on the source: one skeleton for every app, arrows that run
one way between apps, each app writing only its own tables, and modules short enough to read.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PACKAGE = ROOT / "realestate"

#: Apps from the ground floor up: an app imports only from apps on floors below its own.
#: Sales and leasing stand side by side and do not import each other.
FLOORS = [
    {"core"},
    {"accounts"},
    {"documents"},
    {"properties"},
    {"clients"},
    {"finance"},
    {"sales", "leasing"},
    # Listens to the domain apps' signals and reads their records for its reminders.
    {"notifications"},
    {"api"},
    {"backoffice"},
]
FLOOR = {app: level for level, apps_ in enumerate(FLOORS) for app in apps_}
DOMAIN_APPS = ["accounts", "properties", "clients", "sales", "leasing", "finance"]
MAX_LINES = 500
WRITES = {
    "create",
    "bulk_create",
    "update",
    "update_or_create",
    "get_or_create",
    "delete",
    "bulk_update",
}


def sources():
    for path in sorted(
        [*PACKAGE.rglob("*.py"), *(ROOT / "config").rglob("*.py"), *(ROOT / "tests").rglob("*.py")]
    ):
        if "migrations" not in path.parts:
            yield path


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> list[str]:
    """Every module ``path`` imports, at the top or inside a function."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
            found.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "realestate" else None


PROJECT = [path for path in sources() if path.is_relative_to(PACKAGE)]


def test_no_module_is_longer_than_500_lines():
    long = {
        str(path.relative_to(ROOT)): length
        for path in sources()
        if (length := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}, "split these into packages, with re-exports"


def test_core_imports_no_domain_app():
    leaks = [
        f"{module_name(path)} -> {target}"
        for path in PROJECT
        if app_of(module_name(path)) == "core"
        for target in imports(path)
        if app_of(target) not in (None, "core")
    ]
    assert leaks == []


def test_no_app_imports_another_apps_admin():
    leaks = [
        f"{module_name(path)} -> {target}"
        for path in PROJECT
        for target in imports(path)
        if (app := app_of(target)) not in (None, "core", app_of(module_name(path)))
        and ".admin" in target.removeprefix(f"realestate.{app}")
    ]
    assert leaks == []


def test_imports_run_down_the_floors():
    upward = []
    for path in PROJECT:
        source = app_of(module_name(path))
        for target in imports(path):
            app = app_of(target)
            if app in (None, source):
                continue
            if FLOOR[app] >= FLOOR[source]:
                upward.append(f"{module_name(path)} -> {target}")
    assert upward == []


def test_no_import_cycle_between_modules():
    known = {module_name(path): path for path in PROJECT}
    graph = defaultdict(set)
    for module, path in known.items():
        for target in imports(path):
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != module and not module.startswith(f"{target}."):
                graph[module].add(target)
    cycles = []
    index, low, stack, on_stack, counter = {}, {}, [], set(), [0]

    def visit(node):  # Tarjan's strongly connected components
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.add(item)
                if item == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in list(known):
        if node not in index:
            visit(node)
    assert cycles == []


def test_each_app_writes_only_its_own_tables():
    """Through services, each app writes its own tables; the benchmarks' seeders are the
    exception, as they load hundreds of thousands of rows in bulk on purpose."""
    owner = {
        model.__name__: model._meta.app_label
        for model in apps.get_models()
        if model.__module__.startswith("realestate.")
    }
    foreign = []
    for path in PROJECT:
        if path.name.startswith("bench_") and (
            path.parent.name == "commands" or path.parent.name == "backoffice"
        ):
            continue  # bench_api_seed.py: bench_api's seeder, in the app that composes apps
        app = app_of(module_name(path))
        for node in ast.walk(ast.parse(path.read_text())):
            # Model.objects.create(...), Model.objects.filter(...).update(...), ...
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in WRITES
            ):
                continue
            target = node.func.value
            while isinstance(target, ast.Call | ast.Attribute):
                target = target.func if isinstance(target, ast.Call) else target.value
            if isinstance(target, ast.Name) and owner.get(target.id) not in (None, app):
                foreign.append(f"{module_name(path)}:{node.lineno} writes {target.id}")
        text = path.read_text()
        if "INSERT INTO" in text:
            foreign.extend(
                f"{module_name(path)} writes {name} in SQL"
                for name, label in owner.items()
                if label != app and f"{name}._meta.db_table" in text
            )
    assert foreign == []


SKELETON = {
    "models.py": "records",
    "choices.py": "statuses, kinds and their flows",
    "services.py": "every change",
    "selectors.py": "read queries",
    "admin": "the admin (a module, or a package by record)",
    "apps.py": "the app",
    "demo.py": "demo data",
}


@pytest.mark.parametrize("app", DOMAIN_APPS)
def test_every_domain_app_has_the_skeleton(app):
    folder = PACKAGE / app
    missing = [
        name
        for name in SKELETON
        if not (
            (folder / name).exists()
            or (folder / f"{name}.py").exists()
            or (folder / name.removesuffix(".py")).is_dir()
        )
    ]
    assert missing == []


def test_one_name_for_one_job():
    """A file name means the same thing in every app: ``schedules.py`` is the job scheduler,
    ``tasks.py`` an app's jobs, ``api/`` its endpoints, ``resources.py`` its import/export."""
    for app in DOMAIN_APPS:
        folder = PACKAGE / app
        assert not (folder / "schedules.py").exists(), f"{app}/schedules.py"
        assert not (folder / "api.py").exists() and not (folder / "tokens.py").exists()
