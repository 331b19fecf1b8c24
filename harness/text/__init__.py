"""Shared NLP used by every backend and metric: sentences and words."""

from harness.text.sentences import sentence_spans, split_sentences, words

__all__ = ["sentence_spans", "split_sentences", "words"]
