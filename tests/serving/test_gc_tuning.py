"""The server keeps the garbage collector off its startup heap (ServerSettings.gc_*)."""

from __future__ import annotations

import gc

from serving.app import tune_gc


def test_tune_gc_freezes_the_heap_and_raises_the_young_threshold() -> None:
    before = gc.get_threshold()
    try:
        tune_gc(True, 12_345)
        assert gc.get_threshold()[0] == 12_345
        assert gc.get_threshold()[1:] == before[1:]
        assert gc.get_freeze_count() > 1000  # everything loaded so far is frozen
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_tune_gc_without_freeze_only_sets_the_threshold() -> None:
    before = gc.get_threshold()
    gc.unfreeze()
    try:
        tune_gc(False, 5_000)
        assert gc.get_threshold()[0] == 5_000
        assert gc.get_freeze_count() == 0
    finally:
        gc.set_threshold(*before)
