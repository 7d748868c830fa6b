"""The ``shopassist`` command line: serve, build the index, import data, prepare the model."""

from __future__ import annotations

import argparse
import logging
import sys

from assistant.settings import Settings, get_settings
from catalog.errors import ShopError
from evals.cli import add_eval_parser
from serving.cli_catalog import add_catalog_parsers
from serving.cli_merchant import add_apikey_parser, add_search_parser
from serving.cli_writing import add_writing_parsers
from serving.logs import JsonFormatter
from serving.server import ReadyServer, server_config


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.bootstrap import build_services
    from serving.app import create_app

    host = args.host or settings.server.host
    port = args.port if args.port is not None else settings.server.port
    if args.workers != 1:
        from serving.workers import serve_workers

        return serve_workers(settings, host, port, args.workers)
    print("Preparing the store, the search index and the language model…", flush=True)
    services = build_services(settings, progress=True)
    llm_where = services.settings.llm.base_url or (
        services.embedded.base_url if services.embedded else "?"
    )
    print(
        f"Store: {services.index_stats.total} products indexed "
        f"({services.index_stats.embedded} embedded now). LLM: {llm_where}",
        flush=True,
    )
    config = server_config(create_app(services), settings, host, port)
    try:
        ReadyServer(config, f"http://{host}:{port}/").run()
    finally:
        services.close()
    return 0


def _index(settings: Settings, _args: argparse.Namespace) -> int:
    from assistant.bootstrap import build_searcher, preparing

    with preparing(settings) as engine:  # one builder at a time, beside serving workers
        _searcher, stats = build_searcher(engine, settings)
    print(
        f"indexed {stats.total} products: {stats.embedded} embedded, "
        f"{stats.unchanged} unchanged, {stats.removed} removed"
    )
    return 0


def _import_tau2(settings: Settings, args: argparse.Namespace) -> int:
    from catalog.db import make_engine
    from catalog.importer import import_store_file

    import_store_file(make_engine(settings.database), args.path)
    print(f"imported {args.path} into {settings.database.url}; run `shopassist index` next")
    return 0


def _generate_demo(settings: Settings, args: argparse.Namespace) -> int:
    from catalog.db import make_engine
    from catalog.demo import generate_store
    from catalog.importer import load_store_dict

    demo = settings.demo.model_copy(
        update={
            k: v for k, v in {"products": args.products, "seed": args.seed}.items() if v is not None
        }
    )
    load_store_dict(make_engine(settings.database), generate_store(demo))
    print(f"generated a demo store of {demo.products} products (seed {demo.seed})")
    return 0


def _model(settings: Settings, _args: argparse.Namespace) -> int:
    from assistant.bootstrap import require_setting
    from assistant.llm.model_files import ensure_model_file

    path = ensure_model_file(
        settings.llm.embedded_model, require_setting(settings.llm.models_dir, "llm.models_dir")
    )
    print(f"{path} is assembled and matches its pinned SHA-256")
    return 0


def _nlu_train(_settings: Settings, args: argparse.Namespace) -> int:
    from pathlib import Path

    from assistant.nlu.reader import MODEL_DIR
    from assistant.nlu.train import train
    from retrieval.multilingual import MultilingualEmbedder

    templates, fillers = Path(args.templates), Path(args.fillers)
    for path in (templates, fillers):
        if not path.exists():
            print(f"error: {path} does not exist", file=sys.stderr)
            return 2
    meta = train(
        templates,
        fillers,
        synonyms=Path(args.synonyms) if args.synonyms else None,
        out=Path(args.out) if args.out else MODEL_DIR,
        encode=MultilingualEmbedder(threads=2).encode,
        dev=args.dev,
    )
    print(f"trained on {meta['train_utterances']} utterances; wrote {args.out or MODEL_DIR}")
    return 0


def _mood_train(_settings: Settings, args: argparse.Namespace) -> int:
    from pathlib import Path

    from assistant.mood.model import MODEL_FILE
    from assistant.mood.train import train
    from retrieval.multilingual import MultilingualEmbedder

    data = Path(args.data)
    if not data.is_dir():
        print(f"error: {data} is not a folder", file=sys.stderr)
        return 2
    out = Path(args.out) / MODEL_FILE.name if args.out else MODEL_FILE
    meta = train(data, encode=MultilingualEmbedder(threads=2).encode, out=out)
    print(f"trained on {meta['messages']} messages; wrote {out.parent}")
    return 0


def _recs_train(settings: Settings, _args: argparse.Namespace) -> int:
    import time

    from assistant.bootstrap import build_recommender, build_searcher, preparing

    with preparing(settings) as engine:  # one builder at a time, beside serving workers
        searcher, _stats = build_searcher(engine, settings)
        started = time.perf_counter()
        recs = build_recommender(engine, settings, searcher, retrain=True)
    model = recs.trained.model
    ranker = "with" if model.ranker is not None else "without (too few repeat customers for)"
    print(
        f"trained on {len(model.users)} customers and {model.n_items} products {ranker} the "
        f"learned ranker in {time.perf_counter() - started:.1f} s; saved to {recs.model_path}"
    )
    return 0


def _customer_token(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.dev_secrets import customer_token_secret
    from catalog.signing import sign_customer_token

    secret, note = customer_token_secret(settings)
    if note:
        print(f"note: {note}", file=sys.stderr)
    print(sign_customer_token(secret, args.user_id, ttl_s=args.ttl))
    return 0


def _staff_create(settings: Settings, args: argparse.Namespace) -> int:
    import getpass
    import os

    from catalog.db import create_schema, make_engine
    from catalog.staff import StaffStore

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    elif os.environ.get("SHOP_STAFF_PASSWORD"):
        password = os.environ["SHOP_STAFF_PASSWORD"]
    else:
        password = getpass.getpass(f"password for {args.email}: ")
        if getpass.getpass("again: ") != password:
            print("error: the passwords differ", file=sys.stderr)
            return 2
    engine = make_engine(settings.database)
    create_schema(engine)
    staff = StaffStore(engine).create(args.email, password, role=args.role, name=args.name or "")
    print(f"created {staff.role} {staff.email} ({staff.name}); sign in at /console/login")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``shopassist`` command."""
    parser = argparse.ArgumentParser(prog="shopassist", description=__doc__)
    parser.add_argument(
        "--log-level",
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        default=None,
        help="console log level (default: SHOP_SERVER__LOG_LEVEL)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="prepare everything and serve the chat widget")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="app processes on the one port (more than 1 needs PostgreSQL and a Chroma "
        "server: SHOP_DATABASE_URL, SHOP_RETRIEVAL__CHROMA_URL)",
    )
    serve.set_defaults(fn=_serve)
    sub.add_parser("index", help="build or update the search index").set_defaults(fn=_index)
    imp = sub.add_parser("import-tau2", help="replace the store with a tau2 retail db.json")
    imp.add_argument("path", help="db.json or the folder holding it")
    imp.set_defaults(fn=_import_tau2)
    demo = sub.add_parser("generate-demo", help="replace the store with a seeded demo store")
    demo.add_argument("--products", type=int, default=None)
    demo.add_argument("--seed", type=int, default=None)
    demo.set_defaults(fn=_generate_demo)
    sub.add_parser("model", help="assemble and verify the embedded model").set_defaults(fn=_model)
    recs = sub.add_parser("recs", help="recommendations: `recs train` retrains and saves")
    recs_sub = recs.add_subparsers(dest="recs_command", required=True)
    recs_sub.add_parser("train", help="train the recommender on the store's orders").set_defaults(
        fn=_recs_train
    )
    nlu = sub.add_parser("nlu", help="the message reader: `nlu train` retrains it from the corpus")
    nlu_sub = nlu.add_subparsers(dest="nlu_command", required=True)
    nlu_train = nlu_sub.add_parser("train", help="train the reader on the train families")
    nlu_train.add_argument("--templates", default="evals/nlu/templates", help="template folder")
    nlu_train.add_argument("--fillers", default="evals/nlu/fillers.yaml", help="filler file")
    nlu_train.add_argument("--synonyms", default=None, help="synonym file (default: built in)")
    nlu_train.add_argument("--out", default=None, help="model folder (default: the shipped one)")
    nlu_train.add_argument(
        "--dev", action="store_true", help="hold out a development split of the train families"
    )
    nlu_train.set_defaults(fn=_nlu_train)
    mood = sub.add_parser("mood", help="the frustration model: `mood train` retrains it")
    mood_sub = mood.add_subparsers(dest="mood_command", required=True)
    mood_train = mood_sub.add_parser("train", help="train it on the labelled messages")
    mood_train.add_argument("--data", default="evals/mood/train", help="folder of <lang>.tsv")
    mood_train.add_argument("--out", default=None, help="model folder (default: the shipped one)")
    mood_train.set_defaults(fn=_mood_train)
    token = sub.add_parser(
        "customer-token",
        help="sign a customer token (what the shop's backend does for a signed-in customer)",
    )
    token.add_argument("user_id")
    token.add_argument("--ttl", type=int, default=3600, help="seconds until it expires")
    token.set_defaults(fn=_customer_token)
    staff = sub.add_parser("staff", help="support console accounts: `staff create EMAIL`")
    staff_sub = staff.add_subparsers(dest="staff_command", required=True)
    create = staff_sub.add_parser(
        "create", help="add a support agent or admin (asks for the password)"
    )
    create.add_argument("email")
    create.add_argument("--role", choices=["agent", "admin"], default="agent")
    create.add_argument("--name", default=None, help="display name shoppers see")
    create.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input (or set SHOP_STAFF_PASSWORD)",
    )
    create.set_defaults(fn=_staff_create)
    add_writing_parsers(sub)
    add_eval_parser(sub)
    add_apikey_parser(sub)
    add_search_parser(sub)
    add_catalog_parsers(sub)
    return parser


APP_LOGGERS = ("catalog", "retrieval", "tools", "assistant", "serving", "evals")


def configure_logging(level: str, fmt: str = "text") -> None:
    """Our loggers at ``level``; every library at WARNING (no per-request lines).

    ``fmt="json"`` writes one JSON object per line (time, level, logger, message, and the
    conversation id when the record carries one). Log lines never hold message text.
    """
    handler = logging.StreamHandler()
    handler.setFormatter(
        JsonFormatter()
        if fmt == "json"
        else logging.Formatter("%(levelname)s %(name)s: %(message)s")
    )
    logging.basicConfig(level=logging.WARNING, handlers=[handler], force=True)
    for name in APP_LOGGERS:
        logging.getLogger(name).setLevel(level)
    for noisy in ("bm25s", "httpx", "httpx2", "sentence_transformers", "chromadb"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``shopassist`` command."""
    args = build_parser().parse_args(argv)
    settings = get_settings()
    configure_logging(args.log_level or settings.server.log_level, settings.server.log_format)
    try:
        return int(args.fn(settings, args))
    except ShopError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
