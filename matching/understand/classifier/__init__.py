"""Job-category classifier: free text (a posting, a past position, skills) → category A–R.

Model (:mod:`~matching.understand.classifier.model`, features in
:mod:`~matching.understand.classifier.features`, files in
:mod:`~matching.understand.classifier.files`)
    Two views of a text, each hashed into 2**18 columns (no vocabulary to store) with
    sub-linear tf × idf and a one-vs-rest logistic regression fitted by SGD: the **title**
    (words, character 1–3-grams, last characters) and the **text** (title words, all words,
    character 2–3-grams of title and description). Coefficients are rounded to float16 at fit
    time, so the model in memory and on disk give identical probabilities. Saved as
    ``model.npz`` + ``manifest.json`` (format version, classes, settings, SHA-256 of the npz);
    loaded with ``allow_pickle=False``; anything unexpected raises
    :class:`~matching.exceptions.ModelFormatError`.

Lexicon (:mod:`~matching.understand.classifier.lexicon`; ``matching/resources/lexicon.tsv``:
keyword, category, weight)
    Keywords are matched as substrings of the normalised text, longest first and without
    overlap; a title hit counts twice. The hits give a distribution ``p_lex``.

Combination (:mod:`~matching.understand.classifier.calibration`)
    ``p = softmax(w_title·log p_title + w_text·log p_text + w_lex·log p_lex + b)``, weights and
    per-category biases fitted on out-of-fold predictions of an inner cross-validation grouped
    by employer: the title gets the weight its evidence earns, and the result is calibrated.
    ``source`` is ``"model+lexicon"`` when the lexicon had a hit, else ``"model"``. Without a
    model file, ``classify_job`` uses the lexicon alone (``"lexicon"``): hits plus a small
    floor per category, or R (其他) when nothing matched.

Training (:mod:`~matching.understand.classifier.examples`,
:mod:`~matching.understand.classifier.training`, :mod:`~matching.understand.classifier.card`)
    Examples read from the shared data at run time, cross-validation, the final fit, and the
    model card; :func:`train` is what ``songgang train`` runs.

The text convention of :meth:`JobClassifier.fit` and :meth:`JobClassifier.predict_proba`:
the first line of a text is its title, the rest its description.
"""

from matching.understand.classifier.examples import (
    BOARD_CATEGORIES,
    board_category,
    build_examples,
)
from matching.understand.classifier.lexicon import lexicon_proba
from matching.understand.classifier.model import JobClassifier
from matching.understand.classifier.predict import (
    CategoryPrediction,
    classify_job,
    classify_jobs,
    default_model,
    default_model_dir,
    infer_person_categories,
    infer_person_categories_many,
    predict_combined,
)
from matching.understand.classifier.training import (
    assign_folds,
    cross_validate,
    sample_weights,
    score_judged,
    train,
)

__all__ = [
    "BOARD_CATEGORIES",
    "CategoryPrediction",
    "JobClassifier",
    "assign_folds",
    "board_category",
    "build_examples",
    "classify_job",
    "classify_jobs",
    "cross_validate",
    "default_model",
    "default_model_dir",
    "infer_person_categories",
    "infer_person_categories_many",
    "lexicon_proba",
    "predict_combined",
    "sample_weights",
    "score_judged",
    "train",
]
