"""Configuration: defaults, environment overrides, the generated secret key."""

import config


def test_environment_overrides_defaults_with_parsing():
    values = config.load(
        {"MAX_UPLOAD_MB": "2.5", "SESSION_COOKIE_SECURE": "yes", "JOB_TIMEOUT": "30"}
    )
    assert values["MAX_UPLOAD_MB"] == 2.5
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["JOB_TIMEOUT"] == 30
    assert config.load({})["QUEUE_NAME"] == "vanthu"


def test_secret_key_is_generated_once_and_kept(tmp_path):
    first = config.instance_secret_key(tmp_path)
    assert len(first) == 64
    assert config.instance_secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
