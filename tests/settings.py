"""The portal's settings for the test run, with one difference: the SQLite channel layer, the file
cache and the filesystem broker live in a folder of the run's own (removed afterwards), not in the
developer's var/, which a running portal shares. Processes the tests start inherit the folder."""

import atexit
import os
import shutil
import tempfile

if "VAR_DIR" not in os.environ:
    os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix="portal-tests-")
    atexit.register(shutil.rmtree, os.environ["VAR_DIR"], ignore_errors=True)

from portal.settings import *  # noqa: E402, F403
