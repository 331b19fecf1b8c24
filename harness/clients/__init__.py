"""Clients for the services components talk to, below both `harness.backend` and `harness.metric`.

`openai_client`: OpenAI-compatible chat-completions endpoints (the ``openai``
backend, the ``llm_judge`` metric). `model_files`: the digest of a local
model's files, for the fingerprints of what loads one (the ``hf`` backend,
the model-based metrics).
"""
