"""Candidate retrieval: the vectorizer (TF-IDF → dense vectors) and the index (the only faiss
import)."""
