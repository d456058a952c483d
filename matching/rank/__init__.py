"""Ranking: profiles, hard filters, score terms, reasons, ``MatchingEngine``, reverse matching,
job fairs, and the published engine snapshots."""
