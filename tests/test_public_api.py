from __future__ import annotations

import subprocess
import sys

import matching


def test_public_api_is_exported() -> None:
    assert matching.__all__ == sorted(matching.__all__) == sorted(matching._EXPORTS)
    for name in matching.__all__:
        assert getattr(matching, name) is not None, name
    assert matching.parse_salary("4-6K").monthly_max_yuan == 6000
    assert matching.parse_location("塘沽").district_code == "120116"
    assert matching.classify_job("急招保洁阿姨，包吃住，4000起").category == matching.Category.A


def test_import_is_cheap() -> None:
    # `import matching` must not pull the heavy stack (the CLI starts with it).
    code = (
        "import sys, matching; print(any(m in sys.modules for m in ('sklearn', 'faiss', 'jieba')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
