"""Job-category classifier: free text (a posting, a past position, skills) → category A–R.

Model (:mod:`~matching.understand.classifier.model`, features in
:mod:`~matching.understand.classifier.features`)
    Hashed features (2**18 columns, no vocabulary to store) over jieba words of the title
    (``t:``), words of the whole text (``w:``), and character 2–3-grams of the title (``tc:``)
    and of the description (``dc:``); sub-linear tf × idf, rows L2-normalised; a one-vs-rest
    logistic regression fitted by SGD. Coefficients are rounded to float16 at fit time, so the
    model in memory and the model on disk give identical probabilities. Saved as ``model.npz``
    (sparse columns only) + ``manifest.json`` (format version, classes, settings, SHA-256 of
    the npz); loaded with ``allow_pickle=False``. A model file is untrusted input: anything
    unexpected raises :class:`~matching.exceptions.ModelFormatError`.

Lexicon (:mod:`~matching.understand.classifier.lexicon`; ``matching/resources/lexicon.tsv``:
keyword, category, weight)
    Keywords are matched as substrings of the normalised text, longest first and without
    overlap; a title hit counts twice. The hits give a distribution ``p_lex``.

Combination rule (:mod:`~matching.understand.classifier.predict`)
    When the model's top probability is below ``LEXICON_THRESHOLD`` (0.65) and the lexicon
    has at least one hit, the prediction is ``(1 - LEXICON_WEIGHT) * p_model +
    LEXICON_WEIGHT * p_lex`` (weight 0.5) and ``source == "model+lexicon"``; otherwise the
    model alone (``"model"``). Without a model file, ``classify_job`` uses the lexicon alone
    (``"lexicon"``): hits plus a small floor per category, or R (其他) when nothing matched.
    Both constants were chosen by cross-validation; see models/MODEL_CARD.md.

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
    default_model_dir,
    infer_person_categories,
    infer_person_categories_many,
    predict_combined,
)
from matching.understand.classifier.training import (
    assign_folds,
    cross_validate,
    sample_weights,
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
    "cross_validate",
    "default_model_dir",
    "infer_person_categories",
    "infer_person_categories_many",
    "lexicon_proba",
    "predict_combined",
    "sample_weights",
    "train",
]
