"""Settings come only from the environment; production refuses the demo key."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from yangguang.core.production import ensure_safe_to_serve
from yangguang.settings import DEMO_SECRET_KEY, env_bool, env_int, env_list

STRONG_KEY = "k" * 20 + "-a-long-random-production-key-for-tests-" + "z" * 20


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    # The suite itself runs with YANGGUANG_HTTPS=0 (pyproject); these runs must not.
    dropped = {"SECRET_KEY", "DEBUG", "DATABASE_URL", "YANGGUANG_HTTPS"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "yangguang.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_the_demo_secret_key(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = DEMO_SECRET_KEY
    with pytest.raises(ImproperlyConfigured):
        ensure_safe_to_serve()


def test_production_accepts_a_real_secret_key(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = STRONG_KEY
    ensure_safe_to_serve()


def test_wsgi_application_refuses_to_load_with_the_demo_key(tmp_path):
    result = run_python("import yangguang.wsgi", YANGGUANG_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY is the published demo key" in result.stderr


def test_check_deploy_passes_in_production_configuration(tmp_path):
    result = run_python(
        "from yangguang.cli import main; main(['check', '--deploy', '--fail-level', 'WARNING'])",
        SECRET_KEY=STRONG_KEY,
        YANGGUANG_DATA_DIR=str(tmp_path),
        ALLOWED_HOSTS="zhifa.example.gov.cn",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_flags_the_demo_key(tmp_path):
    result = run_python(
        "from yangguang.cli import main; main(['check', '--deploy'])",
        YANGGUANG_DATA_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "yangguang.E001" in result.stderr


def test_postgresql_is_chosen_by_database_url(tmp_path):
    result = run_python(
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/yangguang",
        YANGGUANG_DATA_DIR=str(tmp_path),
    )
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_sqlite_in_the_data_directory_is_the_default(tmp_path):
    result = run_python(
        "from django.conf import settings; print(settings.DATABASES['default']['NAME'])",
        YANGGUANG_DATA_DIR=str(tmp_path),
    )
    assert result.stdout.strip() == str(tmp_path / "yangguang.sqlite3")


def test_redis_cache_is_used_when_configured(tmp_path):
    result = run_python(
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        REDIS_URL="redis://127.0.0.1:6379/1",
        YANGGUANG_DATA_DIR=str(tmp_path),
    )
    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache"


def test_bad_boolean_is_a_clear_configuration_error(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be true/false"):
        env_bool("DEBUG", default=False)


def test_bad_integer_is_a_clear_configuration_error(monkeypatch):
    monkeypatch.setenv("YANGGUANG_HSTS_SECONDS", "a year")
    with pytest.raises(ImproperlyConfigured, match="must be an integer"):
        env_int("YANGGUANG_HSTS_SECONDS", 0)


def test_lists_are_comma_separated(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "a.example, b.example,")
    assert env_list("ALLOWED_HOSTS", []) == ["a.example", "b.example"]


def test_time_zone_and_language(settings):
    assert (settings.TIME_ZONE, settings.LANGUAGE_CODE) == ("Asia/Shanghai", "zh-hans")
    assert ("en", "English") in settings.LANGUAGES


def test_serve_command_refuses_the_demo_key_before_starting(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = DEMO_SECRET_KEY
    with pytest.raises(ImproperlyConfigured):
        call_command("serve", "--no-collectstatic")


def test_s3_evidence_storage_is_chosen_by_environment(tmp_path):
    result = run_python(
        "from django.conf import settings; e = settings.STORAGES['evidence'];"
        "print(e['BACKEND'], e['OPTIONS']['bucket_name'], e['OPTIONS']['file_overwrite'])",
        YANGGUANG_EVIDENCE_STORAGE="s3",
        YANGGUANG_S3_BUCKET="zhifa-evidence",
        YANGGUANG_DATA_DIR=str(tmp_path),
    )
    assert result.stdout.strip() == "storages.backends.s3.S3Storage zhifa-evidence False"


def test_unknown_evidence_storage_is_a_clear_configuration_error(tmp_path):
    result = run_python(
        "import django; django.setup()",
        YANGGUANG_EVIDENCE_STORAGE="ftp",
        YANGGUANG_DATA_DIR=str(tmp_path),
    )
    assert "YANGGUANG_EVIDENCE_STORAGE must be filesystem or s3" in result.stderr


def test_evidence_limits_are_configurable(tmp_path):
    result = run_python(
        "from django.conf import settings; print(settings.EVIDENCE_MAX_BYTES['video'])",
        YANGGUANG_EVIDENCE_MAX_MB="video=8192",
        YANGGUANG_DATA_DIR=str(tmp_path),
    )
    assert result.stdout.strip() == str(8192 * 1024 * 1024)


def test_bad_evidence_limit_is_a_clear_configuration_error(tmp_path):
    result = run_python(
        "import django; django.setup()",
        YANGGUANG_EVIDENCE_MAX_MB="film=10",
        YANGGUANG_DATA_DIR=str(tmp_path),
    )
    assert "YANGGUANG_EVIDENCE_MAX_MB" in result.stderr
