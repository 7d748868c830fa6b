"""The production layout in deploy/, checked without a container runtime or systemd.

Each check is a function that returns the problems it finds; the real files must have none,
and ``test_each_check_catches_its_mistake`` breaks the real files one way at a time and
requires the matching check to notice.
"""

from __future__ import annotations

import configparser
import contextlib
import io
import json
import re
import shlex
import tomllib
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from jsonschema import Draft7Validator
from pydantic import BaseModel, SecretStr

from assistant.settings import _FLAT_ALIASES, Settings
from serving.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SCHEMA = ROOT / "tests" / "fixtures" / "compose-spec.json"
FILES = (
    "compose.yaml",
    "compose.gpu.yaml",
    "Dockerfile",
    "Dockerfile.dockerignore",
    "shopassist.service",
    "shopassist-index.service",
    "shopassist-index.timer",
    "README_SECTION.md",
)
BASE, GPU = "compose.yaml", "compose.gpu.yaml"
UNITS = ("shopassist.service", "shopassist-index.service")


# ----------------------------------------------------------------------------- the files


@dataclass(frozen=True)
class Deploy:
    """The texts of deploy/'s files, by file name."""

    texts: dict[str, str]

    @classmethod
    def load(cls) -> Deploy:
        """Read deploy/'s files; "README_SECTION.md" is README.md's "Production layout"."""
        return cls({name: _read(name) for name in FILES})

    def changed(self, name: str, old: str, new: str) -> Deploy:
        """Return a copy with the first ``old`` in file ``name`` replaced by ``new``."""
        assert old in self.texts[name], f"{old!r} is not in {name}"
        return Deploy({**self.texts, name: self.texts[name].replace(old, new, 1)})

    def raw(self, name: str) -> dict[str, Any]:
        doc = yaml.safe_load(self.texts[name])
        assert isinstance(doc, dict)
        return doc

    def compose(self, *names: str) -> dict[str, Any]:
        """Return the compose files, interpolated (defaults, placeholders) and merged in order."""
        merged: dict[str, Any] = {}
        for name in names:
            merged = _merge(merged, _interpolate(self.raw(name), {}))
        return merged


def _read(name: str) -> str:
    if name != "README_SECTION.md":
        return (DEPLOY / name).read_text()
    readme = (ROOT / "README.md").read_text()
    start = readme.index("## Production layout\n")
    end = readme.find("\n## ", start + 1)
    return readme[start : end if end > 0 else None].rstrip() + "\n"


_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")


def _interpolate(value: Any, env: dict[str, str]) -> Any:
    """Compose's ``${VAR}``, ``${VAR:-default}``, ``${VAR:?error}``; required ones get a placeholder."""
    if isinstance(value, dict):
        return {k: _interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [_interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def one(m: re.Match[str]) -> str:
        name, op, arg = m.group(1), m.group(2) or "", m.group(3) or ""
        if name in env and (env[name] or not op.startswith(":")):
            return env[name]
        if op.endswith("-"):
            return arg
        if op.endswith("?"):
            return f"required-{name.lower().replace('_', '-')}"
        return ""

    return _VAR.sub(one, value.replace("$$", "\0")).replace("\0", "$")


def _merge(base: Any, override: Any) -> Any:
    """Compose-style merge of two files: mappings merge key by key, anything else is replaced."""
    if isinstance(base, dict) and isinstance(override, dict):
        out = dict(base)
        for key, value in override.items():
            out[key] = _merge(base[key], value) if key in base else value
        return out
    return override


def _services(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    services = doc.get("services") or {}
    assert isinstance(services, dict)
    return services


def _environment(service: dict[str, Any]) -> dict[str, str | None]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return {k: (None if v is None else str(v)) for k, v in env.items()}


def _depends_on(service: dict[str, Any]) -> dict[str, dict[str, Any]]:
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return {name: {"condition": "service_started"} for name in deps}
    return {name: spec or {} for name, spec in deps.items()}


def _argv(value: Any) -> list[str]:
    if value is None:
        return []
    return shlex.split(value) if isinstance(value, str) else [str(v) for v in value]


def _unit(text: str) -> configparser.ConfigParser:
    """Parse a systemd unit as INI: case-sensitive keys, no interpolation, no duplicate keys."""
    parser = configparser.ConfigParser(interpolation=None, strict=True, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(text)
    return parser


def _unit_env(unit: configparser.ConfigParser) -> dict[str, str]:
    words = shlex.split(unit.get("Service", "Environment", fallback=""))
    return dict(word.split("=", 1) for word in words)


# ------------------------------------------------------------------------- the settings


def _models(annotation: Any) -> Iterator[type[BaseModel]]:
    """The pydantic models inside a field's annotation (``X``, ``X | None``, ``list[X]``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _models(arg)


def setting_env_names(model: type[BaseModel] = Settings, prefix: str = "SHOP_") -> set[str]:
    """Every environment variable that sets a leaf of ``Settings`` (nested with ``__``)."""
    names: set[str] = set()
    for field_name, field in model.model_fields.items():
        env = f"{prefix}{field_name.upper()}"
        nested = list(_models(field.annotation))
        if nested:
            for sub in nested:
                names |= setting_env_names(sub, f"{env}__")
        else:
            names.add(env)
    return names | (set(_FLAT_ALIASES) if model is Settings else set())


def secret_env_names(model: type[BaseModel] = Settings, prefix: str = "SHOP_") -> set[str]:
    """The settings typed ``SecretStr``."""
    names: set[str] = set()
    for field_name, field in model.model_fields.items():
        env = f"{prefix}{field_name.upper()}"
        for sub in _models(field.annotation):
            names |= secret_env_names(sub, f"{env}__")
        if SecretStr in (field.annotation, *typing.get_args(field.annotation)):
            names.add(env)
    return names


_SHOP_NAME = re.compile(r"(?<![A-Za-z0-9_])SHOP_[A-Za-z0-9_]*[A-Za-z0-9]")


def _settings_from(env: dict[str, str | None], monkeypatch: pytest.MonkeyPatch) -> Settings:
    import os

    for name in list(os.environ):
        if name.startswith("SHOP_"):
            monkeypatch.delenv(name)
    for name, value in env.items():
        if name.startswith("SHOP_") and value is not None:
            monkeypatch.setenv(name, value)
    return Settings(_env_file=None)  # type: ignore[call-arg]


# ---------------------------------------------------------------------------- the checks


def check_setting_names(d: Deploy) -> list[str]:
    """Every SHOP_ name in deploy/ (keys, values, interpolations, comments) is a setting."""
    valid = setting_env_names()
    return [
        f"{file}: {name} is not a setting of assistant.settings.Settings"
        for file, text in d.texts.items()
        for name in _SHOP_NAME.findall(text)
        if name not in valid
    ]


def check_schema(d: Deploy) -> list[str]:
    """Both compose files validate against the Compose Specification schema."""
    validator = Draft7Validator(json.loads(SCHEMA.read_text()))
    problems = []
    for name in (BASE, GPU):
        for error in validator.iter_errors(d.compose(name)):
            where = "/".join(str(p) for p in error.absolute_path)
            problems.append(f"{name}: {where}: {error.message}")
    return problems


def check_interpolation(d: Deploy) -> list[str]:
    """Every ``$`` in the compose files is a braced interpolation or an escaped ``$$``."""
    problems = []
    for name in (BASE, GPU):
        rest = _VAR.sub("", d.texts[name]).replace("$$", "")
        problems += [
            f"{name}: malformed interpolation near {m!r}" for m in re.findall(r"\$.{0,20}", rest)
        ]
    return problems


def check_depends_on(d: Deploy) -> list[str]:
    """depends_on names existing services, waits on health only where there is a healthcheck,
    and a service that runs never waits on one that a profile left out."""
    problems = []
    cases = [((BASE,), ()), ((BASE,), ("jobs",)), ((BASE,), ("gpu",)), ((BASE, GPU), ("gpu",))]
    cases.append(((BASE, GPU), ("gpu", "jobs")))
    for names, profiles in cases:
        services = _services(d.compose(*names))

        def runs(svc: dict[str, Any], profiles: tuple[str, ...] = profiles) -> bool:
            return not svc.get("profiles") or bool(set(svc["profiles"]) & set(profiles))

        for name, svc in services.items():
            for dep, spec in _depends_on(svc).items():
                where = f"{'+'.join(names)} --profile {','.join(profiles) or '-'}: {name}"
                if dep not in services:
                    problems.append(f"{where} depends on {dep}, which is not a service")
                    continue
                if (
                    spec.get("condition") == "service_healthy"
                    and "healthcheck" not in services[dep]
                ):
                    problems.append(f"{where} waits for {dep} to be healthy; it has no healthcheck")
                if runs(svc) and not runs(services[dep]):
                    problems.append(f"{where} runs but {dep} is left out by its profiles")
    return problems


def check_volumes(d: Deploy) -> list[str]:
    """Named volumes are declared, and the app and the index job share the data folder."""
    problems = []
    doc = d.compose(BASE)
    declared = set(doc.get("volumes") or {})
    mounts: dict[str, set[str]] = {}
    for name, svc in _services(doc).items():
        for volume in svc.get("volumes") or []:
            source, _, target = (volume if isinstance(volume, str) else "").partition(":")
            if source and not source.startswith((".", "/", "~")) and source not in declared:
                problems.append(f"{name} mounts volume {source}, which is not declared")
            mounts.setdefault(name, set()).add(f"{source}:{target.split(':')[0]}")
    for name in ("app", "index"):
        data_dir = _environment(_services(doc)[name]).get("SHOP_DATA_DIR")
        if not any(m.endswith(f":{data_dir}") for m in mounts.get(name, ())):
            problems.append(f"{name}: SHOP_DATA_DIR={data_dir} is not a mounted volume")
    if mounts.get("app") != mounts.get("index"):
        problems.append("app and index do not mount the same volumes")
    return problems


_SECRETISH = re.compile(r"(PASSWORD|SECRET|TOKEN|API_KEY)")
_REQUIRED = re.compile(r"^\$\{[A-Za-z_][A-Za-z0-9_]*:\?[^}]+\}$")
# scheme://user:PASSWORD@host…: the password is everything between the user and the last @.
_URL_PASSWORD = re.compile(r"^[a-z][a-z0-9+.-]*://[^:/@]+:(.*)@[^@]*$")


def check_no_secrets(d: Deploy) -> list[str]:
    """Secrets are required interpolations (or passed through), never values in the files."""
    secrets = secret_env_names()
    problems = []
    for name in (BASE, GPU):
        for svc_name, svc in _services(d.raw(name)).items():
            for key, value in _environment(svc).items():
                if value is None:
                    continue
                if (key in secrets or _SECRETISH.search(key)) and not _REQUIRED.match(value):
                    problems.append(f"{name}: {svc_name}.{key} is not ${{{key}:?…}}")
                creds = _URL_PASSWORD.match(value)
                if creds is not None and not _REQUIRED.match(creds.group(1)):
                    problems.append(f"{name}: {svc_name}.{key} holds a password")
    for name in UNITS:
        for key in _unit_env(_unit(d.texts[name])):
            if key in secrets or _SECRETISH.search(key):
                problems.append(f"{name}: {key} belongs in the EnvironmentFile")
    return problems


def _shopassist_calls(argv: list[str]) -> list[list[str]]:
    """The ``shopassist`` invocations in a command: itself, or ``sh -c 'a && b'``."""
    if len(argv) == 3 and Path(argv[0]).name in {"sh", "bash"} and argv[1] == "-c":
        argv = shlex.split(argv[2])
    calls, current = [], []
    for word in [*argv, "&&"]:
        if word in {"&&", "||", ";"}:
            if current and Path(current[0]).name == "shopassist":
                calls.append(current[1:])
            current = []
        else:
            current.append(word)
    return calls


def _cli_problem(args: list[str]) -> str | None:
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            build_parser().parse_args(args)
    except SystemExit:
        last = err.getvalue().strip().splitlines()[-1:] or ["?"]
        return f"`shopassist {shlex.join(args)}`: {last[0]}"
    return None


def commands(d: Deploy) -> dict[str, list[list[str]]]:
    """Every shopassist invocation in deploy/, by where it is."""
    found: dict[str, list[list[str]]] = {}
    cmd = re.search(r"^CMD\s+(\[.*\])\s*$", d.texts["Dockerfile"], re.M)
    found["Dockerfile CMD"] = _shopassist_calls(json.loads(cmd.group(1))) if cmd else []
    for name in (BASE, GPU):
        for svc_name, svc in _services(d.compose(name)).items():
            if "command" in svc or "entrypoint" in svc:
                argv = _argv(svc.get("entrypoint")) + _argv(svc.get("command"))
                found[f"{name} {svc_name}"] = _shopassist_calls(argv)
    for name in UNITS:
        unit = _unit(d.texts[name])
        for key in ("ExecStartPre", "ExecStart"):
            if unit.has_option("Service", key):
                argv = shlex.split(unit.get("Service", key).lstrip("-@:+!"))
                found.setdefault(name, []).extend(_shopassist_calls(argv))
    blocks = re.findall(r"```(?:bash|sh)\n(.*?)```", d.texts["README_SECTION.md"], re.S)
    for line in "\n".join(blocks).replace("\\\n", " ").splitlines():
        words = shlex.split(line, comments=True)
        if "shopassist" in words:
            found.setdefault("README_SECTION.md", []).extend(
                _shopassist_calls(words[words.index("shopassist") :])
            )
    return found


EXPECTED_CALLS = {
    "Dockerfile CMD": [["serve"]],
    f"{BASE} app": [["serve", "--workers"]],
    f"{BASE} index": [["index"], ["recs", "train"]],
    "shopassist.service": [["serve", "--workers", "4"]],
    "shopassist-index.service": [["index"], ["recs", "train"]],
}


def check_commands(d: Deploy) -> list[str]:
    """Each command parses with the real ``shopassist`` parser, and each place runs its own."""
    found = commands(d)
    problems = [
        f"{where}: {problem}"
        for where, calls in found.items()
        for problem in map(_cli_problem, calls)
        if problem
    ]
    for where, expected in EXPECTED_CALLS.items():
        calls = found.get(where, [])
        for want in expected:
            if not any(c[: len(want)] == want or _has_all(c, want) for c in calls):
                problems.append(f"{where}: no `shopassist {' '.join(want)}` in {calls}")
    return problems


def _has_all(call: list[str], want: list[str]) -> bool:
    return call[:1] == want[:1] and all(w in call for w in want)


def check_dockerfile(d: Deploy) -> list[str]:
    """The image copies every package pyproject installs, the context lets it, the extra exists."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = {p.split(".")[0] for p in pyproject["tool"]["setuptools"]["packages"]}
    text = d.texts["Dockerfile"]
    copied = set()
    for line in re.findall(r"^COPY\s+(?!--from)(.+)$", text, re.M):
        *sources, _dest = line.split()
        copied |= set(sources)
    problems = [f"Dockerfile does not COPY package {p}" for p in sorted(packages - copied)]
    # `pip install .` (not editable) installs only the listed packages: each folder of modules
    # under them must be listed, or the image's import fails.
    listed = set(pyproject["tool"]["setuptools"]["packages"])
    folders = {
        ".".join(f.parent.relative_to(ROOT).parts)
        for top in packages
        for f in (ROOT / top).rglob("*.py")
        if "__pycache__" not in f.parts
    }
    problems += [
        f"pyproject's [tool.setuptools] packages lacks {f}" for f in sorted(folders - listed)
    ]
    problems += [
        f"Dockerfile copies {s}, which is not in the repo"
        for s in sorted(copied)
        if not (ROOT / s).exists()
    ]
    allowed = {
        line[1:].strip()
        for line in d.texts["Dockerfile.dockerignore"].splitlines()
        if line.startswith("!")
    }
    problems += [f"Dockerfile.dockerignore leaves out {s}" for s in sorted(copied - allowed)]
    extras = re.findall(r"pip install [^\n]*\.\[([a-z0-9_,-]+)\]", text)
    declared = set(pyproject["project"]["optional-dependencies"])
    if not extras:
        problems.append("Dockerfile does not pip install the project with an extra")
    problems += [
        f"Dockerfile installs extra [{e}], not in pyproject"
        for e in extras
        if not set(e.split(",")) <= declared
    ]
    if not re.search(r"^FROM python:3\.11-slim\b", text, re.M):
        problems.append("Dockerfile is not FROM python:3.11-slim")
    if not re.search(r"^USER\s+(?!root\b|0\b)\S+", text, re.M):
        problems.append("Dockerfile runs as root")
    return problems


def check_backends(d: Deploy) -> list[str]:
    """The app's URLs name the services and ports that serve them; vLLM has the tool parser."""
    problems = []
    services = _services(d.compose(BASE, GPU))
    app = _environment(services["app"])
    db = urlsplit(app.get("SHOP_DATABASE__URL") or "")
    pg = _environment(services["postgres"])
    if (db.scheme, db.hostname, db.username, db.path.lstrip("/")) != (
        "postgresql+psycopg",
        "postgres",
        pg.get("POSTGRES_USER"),
        pg.get("POSTGRES_DB"),
    ):
        problems.append(f"SHOP_DATABASE__URL {db.geturl()} does not match the postgres service")
    chroma = urlsplit(app.get("SHOP_RETRIEVAL__CHROMA_URL") or "")
    chroma_cmd = _argv(services["chroma"].get("command"))
    if chroma.hostname != "chroma" or str(chroma.port) != _flag(chroma_cmd, "--port"):
        problems.append(f"SHOP_RETRIEVAL__CHROMA_URL {chroma.geturl()} is not the chroma service")
    health = " ".join(_argv(services["chroma"]["healthcheck"]["test"]))
    if "/api/v2/heartbeat" not in health or re.search(r"\b(curl|wget)\b", health):
        problems.append("chroma's healthcheck must call /api/v2/heartbeat without curl or wget")
    llm = urlsplit(app.get("SHOP_LLM__BASE_URL") or "")
    vllm_cmd = _argv(services["vllm"].get("command"))
    if (llm.hostname, str(llm.port), llm.path) != ("vllm", _flag(vllm_cmd, "--port"), "/v1"):
        problems.append(f"SHOP_LLM__BASE_URL {llm.geturl()} is not the vllm service's /v1")
    served = _flag(vllm_cmd, "--served-model-name") or (vllm_cmd[0] if vllm_cmd else None)
    if app.get("SHOP_LLM__MODEL") != served:
        problems.append(f"SHOP_LLM__MODEL {app.get('SHOP_LLM__MODEL')} is not vLLM's {served}")
    if (
        "--enable-auto-tool-choice" not in vllm_cmd
        or _flag(vllm_cmd, "--tool-call-parser") != "hermes"
    ):
        problems.append("vllm lacks --enable-auto-tool-choice --tool-call-parser hermes")
    devices = services["vllm"].get("deploy", {}).get("resources", {}).get("reservations", {})
    if not any("gpu" in dev.get("capabilities", []) for dev in devices.get("devices", [])):
        problems.append("vllm reserves no GPU")
    if "SHOP_LLM__BASE_URL" in _environment(_services(d.compose(BASE))["app"]):
        problems.append(f"{BASE} sets SHOP_LLM__BASE_URL: the CPU layout must leave it unset")
    return problems


def _flag(argv: list[str], flag: str) -> str | None:
    return argv[argv.index(flag) + 1] if flag in argv[:-1] else None


_TRUE = {"yes", "true", "on", "1"}


def check_units(d: Deploy) -> list[str]:
    """The units parse as INI and carry what a production service needs."""
    problems = []
    for name in (*UNITS, "shopassist-index.timer"):
        try:
            _unit(d.texts[name])
        except configparser.Error as exc:
            problems.append(f"{name}: {exc}")
    if problems:
        return problems
    for name in UNITS:
        unit = _unit(d.texts[name])

        def get(section: str, key: str, unit: configparser.ConfigParser = unit) -> str:
            return unit.get(section, key, fallback="").strip()

        if not get("Unit", "Description"):
            problems.append(f"{name}: no Description")
        if get("Service", "User") in {"", "root", "0"}:
            problems.append(f"{name}: no non-root User")
        if get("Service", "EnvironmentFile").lstrip("-") != "/etc/shopassist.env":
            problems.append(f"{name}: EnvironmentFile is not /etc/shopassist.env")
        if get("Service", "NoNewPrivileges").lower() not in _TRUE:
            problems.append(f"{name}: NoNewPrivileges is not on")
        if get("Service", "ProtectSystem") != "strict":
            problems.append(f"{name}: ProtectSystem is not strict")
        data_dir = _unit_env(unit).get("SHOP_DATA_DIR", "")
        writable = get("Service", "ReadWritePaths").split()
        if not data_dir or data_dir not in writable:
            problems.append(
                f"{name}: SHOP_DATA_DIR={data_dir!r} is not in ReadWritePaths {writable}"
            )
    service = _unit(d.texts["shopassist.service"])
    if service.get("Service", "Restart", fallback="") != "on-failure":
        problems.append("shopassist.service: Restart is not on-failure")
    if service.get("Install", "WantedBy", fallback="") != "multi-user.target":
        problems.append("shopassist.service: not WantedBy multi-user.target")
    index = _unit(d.texts["shopassist-index.service"])
    if index.get("Service", "Type", fallback="") != "oneshot":
        problems.append("shopassist-index.service: Type is not oneshot")
    timer = _unit(d.texts["shopassist-index.timer"])
    if not timer.get("Timer", "OnCalendar", fallback=""):
        problems.append("shopassist-index.timer: no OnCalendar")
    if (
        timer.get("Timer", "Unit", fallback="shopassist-index.service")
        != "shopassist-index.service"
    ):
        problems.append("shopassist-index.timer: does not start shopassist-index.service")
    if timer.get("Install", "WantedBy", fallback="") != "timers.target":
        problems.append("shopassist-index.timer: not WantedBy timers.target")
    return problems


def check_readme(d: Deploy) -> list[str]:
    """The README section's title, and the files and profiles its compose commands name."""
    text = d.texts["README_SECTION.md"]
    problems = [] if text.startswith("## Production layout\n") else ["README_SECTION.md: title"]
    profiles = {p for svc in _services(d.compose(BASE)).values() for p in svc.get("profiles", [])}
    for line in re.findall(r"docker compose [^\n`]*", text):
        words = shlex.split(line, comments=True)
        for flag, value in zip(words, words[1:], strict=False):
            if flag == "-f" and not (ROOT / value).is_file():
                problems.append(f"README_SECTION.md: `{line}` names a missing file {value}")
            if flag == "--profile" and value not in profiles:
                problems.append(f"README_SECTION.md: `{line}` names an unknown profile {value}")
    return problems


CHECKS = {
    "names": check_setting_names,
    "schema": check_schema,
    "interpolation": check_interpolation,
    "depends_on": check_depends_on,
    "volumes": check_volumes,
    "secrets": check_no_secrets,
    "commands": check_commands,
    "dockerfile": check_dockerfile,
    "backends": check_backends,
    "units": check_units,
    "readme": check_readme,
}


# ----------------------------------------------------------------------------- the tests


@pytest.fixture(scope="module")
def deploy() -> Deploy:
    return Deploy.load()


@pytest.mark.parametrize("check", list(CHECKS))
def test_deploy_files_pass(deploy: Deploy, check: str) -> None:
    assert CHECKS[check](deploy) == []


def test_schema_is_the_vendored_compose_spec() -> None:
    schema = json.loads(SCHEMA.read_text())
    assert schema["title"] == "Compose Specification"
    assert {"service", "healthcheck", "deployment"} <= set(schema["definitions"])
    assert "compose-spec/compose-spec" in (SCHEMA.parent / "compose-spec.SOURCE.md").read_text()


def test_setting_names_are_walked_from_settings() -> None:
    names = setting_env_names()
    assert {
        "SHOP_DATA_DIR",
        "SHOP_DATABASE__URL",
        "SHOP_LLM__BASE_URL",
        "SHOP_LLM_BASE_URL",
    } <= names
    assert "SHOP_LLM" not in names and "SHOP_DATABASE" not in names
    assert "SHOP_SECURITY__SECRET_KEY" in secret_env_names()


def test_the_app_environments_are_valid_settings(
    deploy: Deploy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What compose and systemd give the app builds a Settings with the layout's backends."""
    cpu = _settings_from(_environment(_services(deploy.compose(BASE))["app"]), monkeypatch)
    assert cpu.database.url and cpu.database.url.startswith("postgresql+psycopg://")
    assert cpu.data_dir == "/data" and cpu.llm.base_url is None
    assert cpu.retrieval.chroma_url == "http://chroma:8000"
    gpu = _settings_from(_environment(_services(deploy.compose(BASE, GPU))["app"]), monkeypatch)
    assert gpu.llm.base_url == "http://vllm:8000/v1"
    unit = _settings_from(dict(_unit_env(_unit(deploy.texts["shopassist.service"]))), monkeypatch)
    assert unit.data_dir == "/var/lib/shopassist"


MISTAKES = [
    ("names", BASE, "SHOP_RETRIEVAL__CHROMA_URL", "SHOP_RETRIEVAL_CHROMA_URL"),
    ("names", "shopassist.service", "SHOP_SERVER__PORT", "SHOP_SERVER__PROT"),
    ("names", "README_SECTION.md", "SHOP_SUPPORT__EVENT_BUS", "SHOP_SUPPORT__EVENTBUS"),
    ("schema", BASE, "    healthcheck:\n      test: [", "    healthchek:\n      test: ["),
    ("schema", GPU, "    depends_on:", "    depends:"),
    ("interpolation", BASE, "${SHOPASSIST_WORKERS:-2}", "$SHOPASSIST_WORKERS:-2}"),
    (
        "depends_on",
        BASE,
        "      postgres:\n        condition",
        "      postgress:\n        condition",
    ),
    ("depends_on", BASE, "    profiles: [gpu]", "    profiles: [cuda]"),
    ("volumes", BASE, "  appdata:\n", "  app-data:\n"),
    ("secrets", BASE, "${SHOP_SECURITY__SECRET_KEY:?set SHOP_SECURITY__SECRET_KEY}", "change-me"),
    ("secrets", BASE, "shop:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}@", "shop:hunter2@"),
    ("commands", BASE, "      - serve\n", "      - serv\n"),
    ("commands", BASE, "shopassist recs train", "shopassist rec train"),
    ("commands", "shopassist.service", "serve --workers 4", "serve --wokers 4"),
    ("commands", "shopassist-index.service", "shopassist index", "shopassist indx"),
    ("commands", "Dockerfile", '"serve", ', '"server", '),
    ("dockerfile", "Dockerfile", "COPY web ./web\n", ""),
    ("dockerfile", "Dockerfile.dockerignore", "!retrieval\n", ""),
    ("dockerfile", "Dockerfile", '".[embedded]"', '".[embeded]"'),
    (
        "dockerfile",
        "Dockerfile",
        "COPY catalog ./catalog\n",
        "COPY catalog/orders ./catalog/orders\n",
    ),
    ("backends", GPU, "http://vllm:8000/v1", "http://vllm:8001/v1"),
    ("backends", BASE, "      - hermes\n", "      - mistral\n"),
    (
        "backends",
        BASE,
        "SHOP_RETRIEVAL__CHROMA_URL: http://chroma:8000",
        "SHOP_RETRIEVAL__CHROMA_URL: http://chroma:9000",
    ),
    ("units", "shopassist.service", "NoNewPrivileges=yes", "NoNewPrivileges=no"),
    (
        "units",
        "shopassist.service",
        "ReadWritePaths=/var/lib/shopassist",
        "ReadWritePaths=/var/lib/shop",
    ),
    ("units", "shopassist.service", "User=shopassist", "User=root"),
    ("units", "shopassist-index.service", "Type=oneshot", "Type=oneshot\nType=simple"),
    ("readme", "README_SECTION.md", "--profile jobs", "--profile job"),
]


@pytest.mark.parametrize(("check", "name", "old", "new"), MISTAKES)
def test_each_check_catches_its_mistake(
    deploy: Deploy, check: str, name: str, old: str, new: str
) -> None:
    before = set(CHECKS[check](deploy))
    assert set(CHECKS[check](deploy.changed(name, old, new))) - before
