"""One Hypothesis profile for the fuzz tests: modest by default so the suite stays fast.

``CHIBO_FUZZ_EXAMPLES=2000 pytest tests/fuzz`` searches longer. No example database is kept, and
Hypothesis' own caches go to a temporary folder, so the tests leave nothing in the checkout; a
failure prints the example (and a blob to reproduce it).
"""

from __future__ import annotations

import os
import tempfile

from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir

set_hypothesis_home_dir(tempfile.mkdtemp(prefix="chibo-hypothesis-"))
settings.register_profile(
    "chibo", max_examples=int(os.environ.get("CHIBO_FUZZ_EXAMPLES", "60")), deadline=None, database=None,
    print_blob=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile("chibo")
