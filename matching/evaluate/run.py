"""One evaluation run: every section on generated data (+ ../shared when given), as plain dicts;
and where the shared data folder is found.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from matching.evaluate.baselines import Rankers
from matching.evaluate.categories import evaluate_categories
from matching.evaluate.generated import busiest_day, generated_persons, generated_postings
from matching.evaluate.judged import evaluate_judged, judged_dir, load_judged_dev
from matching.evaluate.known_answers import known_answer_cases, read_judged
from matching.evaluate.parsers import evaluate_parsers
from matching.evaluate.ranking import evaluate_fairness, evaluate_ranking

__all__ = ["default_shared_dir", "run_evaluation"]


def run_evaluation(
    *,
    shared: Path | None,
    n_postings: int = 3000,
    n_persons: int = 400,
    n_cases: int = 300,
    judged: Path | None = None,
    seed: int = 0,
    cv_folds: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """All sections on generated data (+ ../shared when given). Returns plain dicts."""
    from matching.generator import generate_postings_with_truth
    from matching.rank.engine import MatchingEngine

    say = progress or (lambda _msg: None)
    result: dict[str, Any] = {}
    jd = judged_dir(shared)
    if jd is not None:
        say(f"judged-dev: {jd}")
        result["judged_dev"] = evaluate_judged(load_judged_dev(jd), seed=seed)
    else:
        result["judged_dev"] = {
            "skipped": "needs ../shared/data/judged-dev (set SONGGANG_SHARED_DATA)"
        }
    say(f"generating {n_postings} postings, {n_persons} persons")
    postings, _ = generated_postings(n_postings, seed)
    today = busiest_day(postings)
    persons, _ = generated_persons(n_persons, seed, today=today)
    say("fitting the engine")
    engine = MatchingEngine().fit(postings)
    rankers = Rankers(engine, today, seed)
    say("ranking known-answer cases")
    cases = known_answer_cases(postings, n_cases, today=today, seed=seed)
    result |= {
        "config": {"postings": len(postings), "persons": len(persons), "cases": len(cases),
                   "seed": seed, "today": today.isoformat(), "shared": str(shared) if shared else None},
    }  # fmt: skip
    result["ranking"] = evaluate_ranking(
        rankers, cases, judged=read_judged(judged) if judged else ()
    )
    say("fairness")
    result["fairness"] = evaluate_fairness(engine, persons, today=today)
    say("parsers")
    gen_rows = generate_postings_with_truth(min(n_postings, 2000), seed + 1)
    result["parsers"] = evaluate_parsers(shared, generated=gen_rows)
    say("categories")
    gen_eval, _ = generated_postings(min(n_postings, 1000), seed + 101)
    result["categories"] = evaluate_categories(shared, gen_eval, seed=seed, max_folds=cv_folds)
    return result


def default_shared_dir() -> Path | None:
    """$SONGGANG_SHARED_DATA, else ../shared/data next to the repo; None when absent."""
    import os

    env = os.environ.get("SONGGANG_SHARED_DATA")
    path = Path(env) if env else Path(__file__).resolve().parents[3] / "shared" / "data"
    return path if path.is_dir() else None
