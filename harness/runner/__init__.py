"""The pipeline: load → generate → score → aggregate → store → report.

Each stage reads only what the stage before produced, so `score_run`
re-scores a saved run without generating, and the report step re-renders
from the run directory. Work is done in batches (`harness.generation`,
`harness.scoring`, through an executor); every finished batch is committed
to the content-addressed cache as it completes, so an interrupted run
resumes where it stopped. `harness.aggregate` makes results.json and
`harness.manifest` the rest of manifest.json.

Modules: `pipeline` (`run_pipeline`), `rerun` (`score_run`, `rerender`,
`check_outputs`) and `progress`. The batches' task functions (of
`harness.generation` and `harness.scoring`) are re-exported here: a worker
process imports this package before its first task.
"""

from __future__ import annotations

from harness.aggregate import aggregate
from harness.generation import GenerateDone, GenerateTask, generate, generate_batch
from harness.manifest import StageClock, devices, environment
from harness.runner.pipeline import RunSummary, run_pipeline
from harness.runner.progress import make_progress
from harness.runner.rerun import check_outputs, rerender, score_run
from harness.scoring import ScoreDone, ScoreTask, plan_score_tasks, score, score_batch, skip_reason

__all__ = [
    "GenerateDone",
    "GenerateTask",
    "RunSummary",
    "ScoreDone",
    "ScoreTask",
    "StageClock",
    "aggregate",
    "check_outputs",
    "devices",
    "environment",
    "generate",
    "generate_batch",
    "make_progress",
    "plan_score_tasks",
    "rerender",
    "run_pipeline",
    "score",
    "score_batch",
    "score_run",
    "skip_reason",
]
