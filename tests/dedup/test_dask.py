"""--dedup with --executor dask: signatures computed on the Dask workers, clusters equal a local run's."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("distributed")  # ingest[dask]; make test installs it

from ingest.batch import BatchConfig, make_executor, run_batch  # noqa: E402
from ingest.batch.dask_executor import DaskExecutor  # noqa: E402
from ingest.dedup import DedupConfig, read_index  # noqa: E402

from .conftest import story, syndicated  # noqa: E402


def _corpus(raw: Path) -> None:
    raw.mkdir()
    for f in range(3):
        base = story(500 + f)
        (raw / f"wire{f}.txt").write_text(base)
        (raw / f"outlet{f}.txt").write_text(syndicated(base))
        (raw / f"alone{f}.txt").write_text(story(600 + f))


def _clusters(clean: Path) -> list[dict[str, object]]:
    with read_index(clean / ".ingest") as index:
        return [c.to_dict() for c in index.clusters()]


def test_dask_workers_sign_and_clusters_equal_a_local_run(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    _corpus(raw)
    local = run_batch(
        BatchConfig(raw, tmp_path / "local", durable=False, dedup=DedupConfig()), executor=make_executor("local", 1)
    )
    dask = run_batch(
        BatchConfig(raw, tmp_path / "dask", durable=False, dedup=DedupConfig()), executor=DaskExecutor(2, announce=None)
    )
    assert dask["executor"] == "dask"
    assert dask["dedup"]["signed_by_workers"] == local["dedup"]["signed_by_workers"] == 9  # type: ignore[index]
    clusters = _clusters(tmp_path / "local")
    assert len(clusters) == 3
    assert _clusters(tmp_path / "dask") == clusters
