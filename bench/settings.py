"""Benchmark settings: production settings plus a minimal view to compare against."""

from inclusion.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
