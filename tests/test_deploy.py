import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "p7#w9k2!vq8z$m4n6x1c3b5r0t-y_u+i=o(a)s&d^f%g@h*j~l",
    "DJANGO_ALLOWED_HOSTS": "awards.example.org",
}


def manage(*args, env=None, tmp_path=None):
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))
    }
    environment.update(env or {})
    if tmp_path:
        environment["DJANGO_VAR_DIR"] = str(tmp_path)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    assert len(PRODUCTION_ENV["DJANGO_SECRET_KEY"]) == 50

    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV, tmp_path=tmp_path
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}

    result = manage("check", env=env, tmp_path=tmp_path)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_secret_key_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text(PRODUCTION_ENV["DJANGO_SECRET_KEY"] + "\n")
    env = {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": "", "DJANGO_SECRET_KEY_FILE": str(secret)}

    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env, tmp_path=tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr


def test_seed_demo_refuses_to_run_in_production(tmp_path):
    result = manage("seed_demo", env=PRODUCTION_ENV, tmp_path=tmp_path)

    assert result.returncode != 0
    assert "DJANGO_DEBUG=true" in result.stderr


def test_check_deploy_refuses_a_process_local_cache_in_production(tmp_path):
    result = manage(
        "check", "--deploy", env={**PRODUCTION_ENV, "CACHE_URL": "locmem"}, tmp_path=tmp_path
    )

    assert result.returncode != 0
    assert "hcda.E001" in result.stdout + result.stderr


def test_production_rate_limits_count_in_the_database_cache_by_default(tmp_path):
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        env=PRODUCTION_ENV,
        tmp_path=tmp_path,
    )

    assert result.stdout.strip().splitlines()[-1] == ("django.core.cache.backends.db.DatabaseCache")


def test_migrate_creates_the_cache_table(tmp_path):
    manage("migrate", "--noinput", env=PRODUCTION_ENV, tmp_path=tmp_path)

    result = manage(
        "shell",
        "-c",
        "from django.core.cache import cache; cache.set('probe', 'shared'); print(cache.get('probe'))",
        env=PRODUCTION_ENV,
        tmp_path=tmp_path,
    )

    assert result.stdout.strip().splitlines()[-1] == "shared", result.stderr
