"""One BLAS/OpenMP thread: the core function, the command line and the nightly worker use it."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

REPORT = """
import json, faiss
from threadpoolctl import threadpool_info
print(json.dumps({"libs": [[i["internal_api"], i["num_threads"]] for i in threadpool_info()],
                  "faiss": faiss.omp_get_max_threads()}))
"""


# Dask's nanny writes these into os.environ of the process that starts a local cluster (its
# ``pre-spawn-environ``): after the nightly tests they would reach the child and hide the
# libraries' own defaults.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


def _run(code: str) -> dict:
    import json
    import os

    env = {k: v for k, v in os.environ.items() if k not in THREAD_VARIABLES}
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code) + REPORT],
        capture_output=True, text=True, check=True, timeout=120, env=env,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_without_the_call_the_libraries_use_every_core() -> None:
    import os

    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: nothing to limit / 单核机器")
    seen = _run("import numpy, faiss")
    assert max(n for _, n in seen["libs"]) > 1  # so the tests below can fail


def test_limit_threads_sets_one_thread_in_blas_openmp_and_faiss() -> None:
    seen = _run("import numpy\nfrom matching import limit_threads\nlimit_threads()")
    apis = {api for api, _ in seen["libs"]}
    assert {"openblas", "openmp"} <= apis  # numpy's BLAS, faiss's OpenMP and BLAS
    assert all(n == 1 for _, n in seen["libs"]), seen
    assert seen["faiss"] == 1


def test_restore_puts_the_previous_limits_back() -> None:
    seen = _run(
        """
        import faiss, numpy
        from threadpoolctl import threadpool_info
        from matching.threads import limit_threads
        before = [i["num_threads"] for i in threadpool_info()]
        limit_threads(1).restore_original_limits()
        assert [i["num_threads"] for i in threadpool_info()] == before
        """
    )
    assert seen["libs"]


def test_the_command_line_runs_with_one_thread() -> None:
    seen = _run(
        """
        from typer.testing import CliRunner
        from matching.cli.main import app
        result = CliRunner().invoke(app, ["index", "--help"])
        assert result.exit_code == 0, result.output
        """
    )
    assert all(n == 1 for _, n in seen["libs"]), seen
    assert seen["faiss"] == 1


def test_bad_count_is_refused() -> None:
    from matching.threads import limit_threads

    with pytest.raises(ValueError, match="threads"):
        limit_threads(0)
