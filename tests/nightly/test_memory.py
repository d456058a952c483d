"""The batch keeps freed memory for reuse: big numpy temporaries stop faulting pages in again."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent(
    """
    import resource, sys, threading
    import numpy as np
    from matching.nightly.memory import keep_freed_memory

    if sys.argv[1] == "tuned":
        assert keep_freed_memory() and keep_freed_memory()  # once; later calls agree

    def work():  # what a Dask worker thread does per chunk: 20 MB temporaries, freed
        for _ in range(30):
            a = np.ones(5_000_000, np.float32)
            b = np.where(a > 0, a, -np.inf)
            del a, b

    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    t = threading.Thread(target=work)
    t.start()
    t.join()
    print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc malloc tuning (Linux)")
def test_tuned_malloc_stops_refaulting_large_temporaries() -> None:
    def faults(mode: str) -> int:
        out = subprocess.run([sys.executable, "-c", SCRIPT, mode], check=True,
                             capture_output=True, text=True)  # fmt: skip
        return int(out.stdout.strip())

    default, tuned = faults("default"), faults("tuned")
    # glibc's default maps (some of) the 20 MB blocks afresh each round: ~50k faults measured;
    # tuned, only the first round touches new pages (~1.8k)
    assert default > 20_000
    assert tuned < default / 10
