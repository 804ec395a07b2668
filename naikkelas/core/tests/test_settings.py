"""Settings read from the environment: the shared cache behind API rate limits."""

import uuid

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from naikkelas.settings import cache_config

REDIS_URL = "redis://127.0.0.1:6379/15"


def test_cache_is_local_memory_without_a_url() -> None:
    assert cache_config("")["BACKEND"].endswith("LocMemCache")


def test_cache_url_must_be_redis() -> None:
    with pytest.raises(ImproperlyConfigured, match="redis://"):
        cache_config("memcached://127.0.0.1:11211")


def test_two_processes_share_one_redis_count() -> None:
    """Two gunicorn workers are two cache clients: both must see the same request count."""
    config = {"default": cache_config(REDIS_URL)}
    key = f"throttle-{uuid.uuid4().hex}"
    with override_settings(CACHES=config):
        first, second = caches.create_connection("default"), caches.create_connection("default")
        assert isinstance(first, RedisCache)
        first.set(key, [1.0, 2.0], 30)
        assert second.get(key) == [1.0, 2.0]
        second.delete(key)
