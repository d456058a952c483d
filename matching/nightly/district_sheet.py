"""One district's pushes as columns, as the writer processes receive them
(:class:`DistrictSheet`): cheap to pickle, made into the texts' objects in the writer. Kept
apart from :mod:`matching.nightly.push_columns` so that a writer process imports only the
texts (not the allocation, the scoring and the engine).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matching.nightly.messages import PersonPush, PushItem


@dataclass(slots=True)
class DistrictSheet:
    """What one district's files need of its pushes, as columns (cheap to pickle).

    Person ``n`` (run order) has the items ``start[n]:start[n+1]`` (rank order); item ``k``
    shows posting ``posting_ids[k]`` with the facts ``titles[fact[k]]`` … ``pays[fact[k]]``
    and the reasons ``texts[r] for r in reason_codes[reason_start[k]:reason_start[k+1]]``.
    The terms stay out (the files do not show them).
    """

    district: str
    id_numbers: list[str]
    names: list[str]
    phones: list[str]
    accepts: list[bool]
    start: npt.NDArray[np.int64]
    posting_ids: list[str]
    codes: list[str]
    score: npt.NDArray[np.float64]
    explored: npt.NDArray[np.bool_]
    propensity: npt.NDArray[np.float64]
    fact: npt.NDArray[np.int64]
    titles: list[str]
    employers: list[str]
    places: list[str]
    pays: list[str]
    reason_start: npt.NDArray[np.int64]
    reason_codes: npt.NDArray[np.int64]
    texts: list[str]

    def pushes(self) -> list[PersonPush]:
        """The district's pushes as the texts and sheets take them (persons in run order)."""
        start, rs = self.start.tolist(), self.reason_start.tolist()
        fact, codes, texts = self.fact.tolist(), self.reason_codes.tolist(), self.texts
        score, explored = self.score.tolist(), self.explored.tolist()
        propensity = self.propensity.tolist()
        out = []
        for n, id_number in enumerate(self.id_numbers):
            items = []
            for k in range(start[n], start[n + 1]):
                f = fact[k]
                items.append(
                    PushItem(
                        posting_id=self.posting_ids[k],
                        rank=k - start[n] + 1,
                        score=score[k],
                        code=self.codes[k],
                        title=self.titles[f],
                        employer=self.employers[f],
                        district=self.places[f],
                        pay=self.pays[f],
                        reasons=tuple([texts[r] for r in codes[rs[k] : rs[k + 1]]]),
                        placed_by="explore" if explored[k] else "engine",
                        propensity=propensity[k],
                    )
                )
            out.append(
                PersonPush(id_number, self.names[n], self.phones[n], self.district,
                           self.accepts[n], tuple(items))
            )  # fmt: skip
        return out
