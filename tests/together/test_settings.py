"""Production settings, checked in real processes (settings are read once)."""

from tests.together.processes import PRODUCTION_ENV, manage


def test_production_without_secret_key_refuses_to_start():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}

    result = manage("check", **env)

    assert result.returncode != 0
    assert "The SECRET_KEY environment variable is required when DEBUG is off" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "ALLOWED_HOSTS"}

    result = manage("check", **env)

    assert result.returncode != 0
    assert "The ALLOWED_HOSTS environment variable is required" in result.stderr


def test_check_deploy_reports_no_warning_with_production_settings():
    # Redis is part of production: the login lockout counts are shared through it.
    result = manage(
        "check", "--deploy", "--fail-level", "DEBUG", **PRODUCTION_ENV, REDIS_URL="redis://127.0.0.1:6379/0"
    )

    assert (result.returncode, result.stdout.strip(), result.stderr) == (
        0,
        "System check identified no issues (0 silenced).",
        "",
    )


def test_check_deploy_warns_that_login_lockouts_need_a_shared_cache_without_redis():
    result = manage("check", "--deploy", **PRODUCTION_ENV)

    assert "axes.W001" in result.stderr


def test_production_uses_database_task_queue_and_smtp():
    script = (
        "from django.conf import settings;"
        "print(settings.TASKS['default']['BACKEND']);"
        "print(settings.MAILERS['default']['BACKEND'])"
    )

    result = manage("shell", "--no-imports", "-c", script, **PRODUCTION_ENV)

    assert result.stdout.split() == [
        "django_tasks_db.DatabaseBackend",
        "django.core.mail.backends.smtp.EmailBackend",
    ]


def test_redis_url_selects_redis_cache():
    script = (
        "from django.core.cache import caches;"
        "from django.core.cache.backends.redis import RedisCache;"
        "cache = caches['default'];"
        "print(type(cache).__module__, type(cache).__name__, isinstance(cache, RedisCache))"
    )

    result = manage("shell", "--no-imports", "-c", script, REDIS_URL="redis://127.0.0.1:6379/0")

    # Django's RedisCache, made to degrade when Redis is down.
    assert result.stdout.strip() == "together.cache DegradingRedisCache True"


def test_retention_periods_are_read_from_the_environment():
    script = (
        "from django.conf import settings;"
        "print(settings.RETENTION_SIGNUP_DAYS_AFTER_EVENT, settings.RETENTION_DECLINED_STORY_DAYS,"
        " settings.RETENTION_SENT_EMAIL_HOURS, settings.RETENTION_PLEDGE_MONTHS_AFTER_CAMPAIGN,"
        " settings.PERSONAL_DATA_LINK_HOURS)"
    )

    result = manage(
        "shell",
        "--no-imports",
        "-c",
        script,
        RETENTION_SIGNUP_DAYS_AFTER_EVENT="90",
        RETENTION_DECLINED_STORY_DAYS="14",
        RETENTION_SENT_EMAIL_HOURS="12",
        RETENTION_PLEDGE_MONTHS_AFTER_CAMPAIGN="3",
        PERSONAL_DATA_LINK_HOURS="24",
    )

    assert result.stdout.split() == ["90", "14", "12", "3", "24"]


def test_former_secret_keys_are_read_from_the_environment():
    script = "from django.conf import settings; print(settings.SECRET_KEY_FALLBACKS)"

    result = manage("shell", "--no-imports", "-c", script, SECRET_KEY_FALLBACKS="old-key-1,old-key-2")

    assert result.stdout.strip() == "['old-key-1', 'old-key-2']"


def test_an_unknown_log_format_is_refused_at_start():
    result = manage("check", LOG_FORMAT="xml")

    assert result.returncode != 0
    assert "LOG_FORMAT must be plain or json." in result.stderr
