"""The portal's settings with one difference, for the benchmarks' web servers only: the URLconf
adds a bare JSON POST (tests/benchmarks/urls.py), the reference a benchmark compares the portal's
own endpoints with. The product never loads this module."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "tests.benchmarks.urls"
