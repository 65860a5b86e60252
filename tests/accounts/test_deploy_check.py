"""`manage.py check --deploy` passes with production settings."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_reports_no_issues():
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_SSL_REDIRECT": "true",
        "ALLOWED_HOSTS": "backoffice.example.com",
        "MAP_TILES_URL": "",
    }
    # Variables other tests may leave in the process environment (the browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE), and overrides that would weaken the production defaults.
    for name in ("DJANGO_ALLOW_ASYNC_UNSAFE", "SECURE_COOKIES", "SECURE_HSTS_PRELOAD"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
