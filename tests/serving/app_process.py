"""One app process for the multi-process test: ``python -m tests.serving.app_process
DATA_DIR DATABASE_URL PORT``. A real app (store, index, bus on PostgreSQL) with a
scripted LLM that nothing in that test calls."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def main() -> None:
    import uvicorn

    from assistant.bootstrap import build_services
    from serving.app import create_app
    from tests.conftest import make_settings
    from tests.fakes import FakeLLM

    data_dir, url, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    settings = make_settings(Path(data_dir), products=60, db_url=url)
    services = build_services(settings, llm=FakeLLM(), progress=False)
    uvicorn.run(
        create_app(services), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )


if __name__ == "__main__":
    main()
