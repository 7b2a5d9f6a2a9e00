"""Procedures under load: signed-in residents submitting a 3-step form on the production path.

A throw-away PostgreSQL database (dropped at the end), gunicorn with 2 × cores + 1 sync
workers, and 50 concurrent clients (several processes of threads, so the client is not held
by one GIL). Each client is a signed-in resident with its own session: start → 3 steps →
check → submit, again and again for a fixed time. The baseline is the same 50 clients
calling ``/healthz`` on the same server for the same time.

Afterwards every acknowledged submission (302 to ``/applications/<id>/done/``) must be a
row in the database, exactly once, owned by the resident who sent it; otherwise the
benchmark fails. Also measured on the same server: catalog search p50/p95 with Japanese
queries against ``GET /``.

Run alone: ``.venv/bin/python bench/procedures_load.py``; ``MACHI_BENCH_SECONDS`` sets the
length of each load phase (default 20 s).
"""

from __future__ import annotations

import json
import math
import multiprocessing
import os
import random
import re
import secrets
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
CODE = "bench-form"
CLIENT_PROCESSES = 5
THREADS_PER_PROCESS = 10
CLIENTS = CLIENT_PROCESSES * THREADS_PER_PROCESS
SEARCHES = 200
TIMEOUT = 60
STEPS = ("applicant", "household", "request")
SEARCH_QUERIES = [
    "引越し",
    "ひっこし",
    "粗大ごみ",
    "そだいごみ",
    "児童手当",
    "住民票の写し",
    "マイナンバー",
    "犬の登録",
    "保育園",
    "介護認定",
    "転入届",
    "罹災証明",
]
# No Redis: each gunicorn worker has its own local-memory cache, tasks run in the request.
_NOT_INHERITED = frozenset(
    {
        "REDIS_URL",
        "MACHI_CACHE_PREFIX",
        "CELERY_BROKER_URL",
        "CELERY_RESULT_BACKEND",
        "MACHI_PRODUCTION",
        "DJANGO_DEBUG",
    }
)
_CSRF_CHARS = string.ascii_letters + string.digits
_DONE_RE = re.compile(r"/applications/([0-9a-f-]{36})/done/")
_DRAFT_RE = re.compile(r"/applications/drafts/([0-9a-f-]{36})/steps/applicant/")


# --- the bench procedure ------------------------------------------------------------------
def _choices(**labels: str) -> list[dict[str, str]]:
    return [{"value": value, "label": label} for value, label in labels.items()]


def _catalog() -> dict[str, Any]:
    """``bench-form``: 3 steps, 15 fields of the usual types (no conditions, no files)."""

    def field(key: str, kind: str, label: str, **more: Any) -> dict[str, Any]:
        return {"key": key, "type": kind, "label": label, **more}

    applicant = [
        field("name", "text", "氏名", prefill="name", required=True, max_length=100),
        field("name_kana", "kana", "氏名（フリガナ）", prefill="name_kana", required=True),
        field("birthdate", "date", "生年月日", required=True, date_range="past"),
        field("phone", "phone", "電話番号", required=True),
        field("email", "email", "メールアドレス", prefill="email", required=True, contact=True),
    ]
    household = [
        field("postal_code", "postal_code", "郵便番号", required=True),
        field("address", "address", "住所", required=True),
        field("members", "number", "世帯の人数", required=True, min=1, max=20),
        field(
            "reason",
            "radio",
            "申請の理由",
            required=True,
            choices=_choices(moved_in="転入した", moved_within="市内で転居した", other="その他"),
        ),
        field(
            "purpose",
            "select",
            "使いみち",
            required=True,
            choices=_choices(
                work="勤務先に提出", school="学校に提出", bank="金融機関に提出", other="その他"
            ),
        ),
    ]
    request = [
        field(
            "documents",
            "checkbox",
            "必要な証明書",
            required=True,
            choices=_choices(juminhyo="住民票の写し", inkan="印鑑登録証明書", kazei="課税証明書"),
        ),
        field("amount", "yen", "同封する手数料", required=True, max=10000),
        field("employer", "text", "勤務先（任意）", max_length=100),
        field("note", "textarea", "連絡事項", max_length=500),
        field("consent", "checkbox", "記入内容に誤りがないことを確認しました", required=True),
    ]
    steps = [
        {"key": "applicant", "title": "申請者", "fields": applicant},
        {"key": "household", "title": "住所と世帯", "fields": household},
        {"key": "request", "title": "請求の内容", "fields": request},
    ]
    assert [s["key"] for s in steps] == list(STEPS)
    assert sum(len(s["fields"]) for s in steps) == 15
    return {
        "format": "machi-procedures/1",
        "municipality": "242101",
        "procedures": [
            {
                "code": CODE,
                "category": "certificates",
                "department": "210",
                "title": "ベンチマーク用証明書交付申請",
                "summary": "負荷試験のための申請です。",
                "online": True,
                "identity_level": "signed_in",
                "keywords": "ベンチマーク 負荷試験",
                "form": {"format": "machi-form/1", "steps": steps},
            }
        ],
    }


_NAMES = [
    ("亀山 太郎", "カメヤマ タロウ"),
    ("関 花子", "セキ ハナコ"),
    ("鈴鹿 一郎", "スズカ イチロウ"),
    ("野登 さくら", "ノボリ サクラ"),
]
_BIRTHDATES = ["1985-04-01", "昭和60年4月1日", "平成3年12月24日", "H12.1.31", "1972/7/7"]
_PHONES = ["0595-82-1111", "０５９５８２１１１１", "090-1234-5678", "(0595) 84-5000"]
_POSTAL = ["519-0195", "5190195", "〒５１９－０１６４", "519-0111"]
_ADDRESSES = ["三重県亀山市本丸町577", "三重県亀山市関町新所1234番地", "亀山市東御幸町39-8"]
_AMOUNTS = ["300", "600円", "￥900", "1,200円", "３００"]


def _answers(rng: random.Random, client: int, n: int) -> list[dict[str, Any]]:
    """Valid answers for the three pages, varied a little (和暦, 全角, formats)."""
    name, kana = rng.choice(_NAMES)
    documents = rng.sample(["juminhyo", "inkan", "kazei"], rng.randint(1, 3))
    return [
        {
            "f-name": name,
            "f-name_kana": kana,
            "f-birthdate": rng.choice(_BIRTHDATES),
            "f-phone": rng.choice(_PHONES),
            "f-email": f"resident{client}+{n}@example.jp",
        },
        {
            "f-postal_code": rng.choice(_POSTAL),
            "f-address": rng.choice(_ADDRESSES),
            "f-members": rng.choice(["1", "2", "3", "４", "5"]),
            "f-reason": rng.choice(["moved_in", "moved_within", "other"]),
            "f-purpose": rng.choice(["work", "school", "bank", "other"]),
        },
        {
            "f-documents": documents,
            "f-amount": rng.choice(_AMOUNTS),
            "f-employer": rng.choice(["", "亀山市役所", "株式会社ベンチ"]),
            "f-note": rng.choice(["", "平日の日中は電話に出られません。\n郵送でお願いします。"]),
            "f-consent": "yes",
        },
    ]


# --- setup in the throw-away database (subprocesses with its DATABASE_URL) ------------------
_RESIDENTS_SCRIPT = """\
import json, sys
import django
django.setup()
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from machi.core.models import Municipality
from machi.core.services.accounts import resident_create
from machi.procedures.models import Procedure

# The passwords are never used (the sessions are made here): skip Argon2's cost.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
city = Municipality.objects.get(code="242101")
clients = []
for n in range(int(sys.argv[1])):
    user = resident_create(
        municipality=city,
        email=f"bench{n}@bench.example.jp",
        password=f"bench-password-{n}-machi",
        full_name=f"負荷 試験{n}",
        full_name_kana="フカ シケン",
    )
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    clients.append([session.session_key, str(user.pk)])
form = Procedure.objects.get(municipality=city, code=sys.argv[2]).current_form
print(json.dumps({"clients": clients, "form_version": form.version}))
"""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _service_env(database_url: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in _NOT_INHERITED}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="machi.config.settings",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        # Not the debug default: DEBUG keeps every SQL query of a request in memory.
        DJANGO_DEBUG="false",
        EMAIL_URL="dummymail://",
        CELERY_TASK_ALWAYS_EAGER="true",
        DATABASE_CONN_MAX_AGE="60",
        MACHI_LOG_LEVEL="WARNING",
    )
    return env


def _run(env: dict[str, str], label: str, *args: str, took: list[str] | None = None) -> str:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    if done.returncode != 0:
        raise RuntimeError(f"{label} failed:\n{done.stdout}{done.stderr[-4000:]}")
    if took is not None:
        took.append(f"{label} {time.perf_counter() - started:.1f} s")
    return done.stdout


def _server_errors(log: Path) -> Counter:
    """The exceptions gunicorn's workers logged (the last line of each traceback)."""
    found: Counter = Counter()
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    for previous, line in pairwise(lines):
        if previous.startswith(" ") and re.match(r"[A-Za-z_][\w.]*(Error|Exception)\b", line):
            found[line[:160]] += 1
    return found


def _start_gunicorn(env: dict[str, str], workers: int, log: Path) -> tuple[subprocess.Popen, str]:
    import requests

    port = _free_port()
    with log.open("wb") as out:
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "machi.config.wsgi",
                "-w",
                str(workers),
                "-b",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                return server, base
        except requests.RequestException:
            pass
        time.sleep(0.3)
    server.terminate()
    server.wait(timeout=30)
    raise RuntimeError(f"gunicorn did not answer /healthz:\n{log.read_text()[-4000:]}")


# --- the clients (in worker processes) -------------------------------------------------------
class _Abandoned(Exception):
    """This submission went wrong (already counted as an error): start the next one."""


class _Client:
    def __init__(self, base: str, session_key: str, record: dict[str, Any], end_at: float) -> None:
        import requests

        self.requests = requests
        self.base = base
        self.end_at = end_at
        self.record = record
        self.http = requests.Session()
        self.csrf = "".join(secrets.choice(_CSRF_CHARS) for _ in range(32))
        self.http.cookies.set("csrftoken", self.csrf)
        if session_key:
            self.http.cookies.set("sessionid", session_key)

    def call(self, label: str, method: str, path: str, data: dict[str, Any] | None = None) -> Any:
        if time.time() >= self.end_at:
            raise _Abandoned  # the phase is over: send nothing more
        if data is not None:
            data = {**data, "csrfmiddlewaretoken": self.csrf}
        start = time.perf_counter()
        try:
            response = self.http.request(
                method, self.base + path, data=data, allow_redirects=False, timeout=TIMEOUT
            )
        except self.requests.RequestException as exc:
            self.error(f"{label}: {exc.__class__.__name__}")
            raise _Abandoned from None
        finished = time.time()
        elapsed = (time.perf_counter() - start) * 1000
        self.record["latencies"].append(elapsed)
        self.record["by_label"].setdefault(label, []).append(elapsed)
        if finished <= self.end_at:
            self.record["in_window"] += 1
        if not 200 <= response.status_code < 400:
            self.error(f"{label}: HTTP {response.status_code}")
            raise _Abandoned
        return response

    def redirect(self, label: str, path: str, data: dict[str, Any], expected: str) -> str:
        """POST and return the path it redirects to, which must match ``expected``."""
        response = self.call(label, "POST", path, data)
        target = urlsplit(urljoin(self.base + path, response.headers.get("Location", ""))).path
        if response.status_code != 302 or re.fullmatch(expected, target) is None:
            self.error(f"{label}: {response.status_code} to {target or '(no redirect)'}")
            raise _Abandoned
        return target

    def error(self, label: str) -> None:
        self.record["errors"][label] += 1

    def submit(self, answers: list[dict[str, Any]], form_version: int) -> str:
        started = time.perf_counter()
        first = self.redirect("start", f"/procedures/{CODE}/start/", {}, _DRAFT_RE.pattern)
        draft = first.split("/")[3]
        pages = [f"/applications/drafts/{draft}/steps/{step}/" for step in STEPS]
        following = [*pages[1:], f"/applications/drafts/{draft}/check/"]
        for step, page, fields, then in zip(STEPS, pages, answers, following, strict=True):
            data = {**fields, "form_version": str(form_version)}
            self.redirect(f"step {step}", page, data, re.escape(then))
        done = self.redirect(
            "check (submit)", following[-1], {"form_version": str(form_version)}, _DONE_RE.pattern
        )
        submission_id = done.split("/")[2]
        elapsed = (time.perf_counter() - started) * 1000
        self.record["acknowledged"].append(submission_id)
        if time.time() <= self.end_at:
            self.record["submissions"].append(elapsed)
        return submission_id


def _client_loop(
    kind: str,
    base: str,
    client: tuple[int, str, str],
    start_at: float,
    seconds: float,
    form_version: int,
    record: dict[str, Any],
) -> None:
    number, session_key, user_id = client
    rng = random.Random(number * 7919 + int(start_at))
    worker = _Client(base, session_key, record, start_at + seconds)
    time.sleep(max(0.0, start_at - time.time()))
    record["late_start"] = max(record["late_start"], time.time() - start_at)
    n = 0
    while time.time() < worker.end_at:
        try:
            if kind == "healthz":
                worker.call("GET /healthz", "GET", "/healthz")
            else:
                submission_id = worker.submit(_answers(rng, number, n), form_version)
                record["owners"].append([submission_id, user_id])
                n += 1
        except _Abandoned:
            continue


def _client_process(
    kind: str,
    base: str,
    clients: list[tuple[int, str, str]],
    start_at: float,
    seconds: float,
    form_version: int,
) -> dict[str, Any]:
    records = [_new_record() for _ in clients]
    threads = [
        threading.Thread(
            target=_client_loop, args=(kind, base, client, start_at, seconds, form_version, item)
        )
        for client, item in zip(clients, records, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return _merge(records)


def _new_record() -> dict[str, Any]:
    return {
        "latencies": [],  # ms, every answered request
        "in_window": 0,  # requests answered before the phase ended
        "submissions": [],  # ms end to end, acknowledged before the phase ended
        "acknowledged": [],  # every submission id acknowledged
        "owners": [],  # [submission id, user id]
        "errors": Counter(),
        "late_start": 0.0,
        "by_label": {},  # label → [ms]
    }


def _merge(records: list[dict[str, Any]]) -> dict[str, Any]:
    merged = _new_record()
    for item in records:
        for key in ("latencies", "submissions", "acknowledged", "owners"):
            merged[key].extend(item[key])
        merged["in_window"] += item["in_window"]
        for label, values in item["by_label"].items():
            merged["by_label"].setdefault(label, []).extend(values)
        merged["errors"].update(item["errors"])
        merged["late_start"] = max(merged["late_start"], item["late_start"])
    return merged


def _phase(
    pool: Any,
    kind: str,
    base: str,
    clients: list[tuple[int, str, str]],
    seconds: float,
    form_version: int,
) -> dict[str, Any]:
    start_at = time.time() + 2.0
    chunks = [clients[i::CLIENT_PROCESSES] for i in range(CLIENT_PROCESSES)]
    parts = pool.starmap(
        _client_process,
        [(kind, base, chunk, start_at, seconds, form_version) for chunk in chunks],
    )
    result = _merge(parts)
    if result["late_start"] > 0.5:
        print(f"  warning: a client started {result['late_start']:.1f} s late in {kind}")
    return result


def _ready() -> None:
    import requests  # noqa: F401  (imported once per client process before timing starts)


# --- measuring ---------------------------------------------------------------------------------
def _percentile(values: list[float], pct: int) -> float:
    if len(values) < 2:
        return values[0] if values else math.nan
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else math.nan


def _sequential(base: str, paths: list[str]) -> tuple[list[float], list[str]]:
    import requests

    http = requests.Session()
    times: list[float] = []
    bodies: list[str] = []
    for path in paths:
        start = time.perf_counter()
        response = http.get(base + path, timeout=TIMEOUT)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise AssertionError(f"GET {path}: HTTP {response.status_code}")
        bodies.append(response.text)
    return times, bodies


def _search(base: str) -> dict[str, float]:
    from urllib.parse import quote

    paths = [f"/procedures/?q={quote(q)}" for q in SEARCH_QUERIES]
    _sequential(base, paths * 3 + ["/"] * 20)  # every worker builds its index and templates
    home, _bodies = _sequential(base, ["/"] * SEARCHES)
    searches = [paths[i % len(paths)] for i in range(SEARCHES)]
    times, bodies = _sequential(base, searches)
    hits = {
        query: body.count('class="procedure-list__item"')
        for query, body in zip(SEARCH_QUERIES, bodies, strict=False)
    }
    found = ", ".join(f"{query} {count}" for query, count in hits.items())
    print(f"  {'catalog search hits':<46} {found}")
    return {
        "search_p50_ms": statistics.median(times),
        "search_p95_ms": _percentile(times, 95),
        "home_p50_ms": statistics.median(home),
        "home_p95_ms": _percentile(home, 95),
    }


def _stored(database_url: str) -> list[tuple[str, str, str]]:
    import psycopg

    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT s.id::text, s.idempotency_key, coalesce(s.applicant_id::text, '') "
            "FROM procedures_submission s "
            "JOIN procedures_procedure p ON p.id = s.procedure_id WHERE p.code = %s",
            [CODE],
        ).fetchall()
    return [(row[0], row[1], row[2]) for row in rows]


def _mail_states(database_url: str) -> Counter:
    """How the receipt of each submission stands in the outbox of notices (ADR 0019):
    delivered at once, or waiting for the engine's sweep."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT m.status, count(*) FROM notices_message m "
            "JOIN procedures_submissionevent e ON m.key = 'submission-event:' || e.id::text "
            "JOIN procedures_submission s ON s.id = e.submission_id "
            "JOIN procedures_procedure p ON p.id = s.procedure_id "
            "WHERE p.code = %s AND m.kind = 'submission.receipt' GROUP BY m.status",
            [CODE],
        ).fetchall()
    return Counter({str(state): int(count) for state, count in rows})


def _row_check(flow: dict[str, Any], stored: list[tuple[str, str, str]], errors: int) -> None:
    acknowledged: list[str] = flow["acknowledged"]
    ids = Counter(row[0] for row in stored)
    keys = Counter(row[1] for row in stored)
    owner_of = {row[0]: row[2] for row in stored}
    missing = sorted(set(acknowledged) - set(ids))
    acked_twice = sorted(i for i, n in Counter(acknowledged).items() if n > 1)
    stored_twice = sorted(i for i, n in ids.items() if n > 1)
    drafts_twice = sorted(k for k, n in keys.items() if n > 1)
    wrong_owner = sorted(s for s, user in flow["owners"] if owner_of.get(s, user) != user)
    extra = sorted(set(ids) - set(acknowledged))
    if not (missing or acked_twice or stored_twice or drafts_twice or wrong_owner or extra):
        print(
            f"  row check: acknowledged {len(acknowledged)} = stored {len(stored)}, "
            "none lost or duplicated"
        )
        return
    print(f"  row check: MISMATCH acknowledged {len(acknowledged)}, stored {len(stored)}")
    for label, items in [
        ("acknowledged but not stored", missing),
        ("acknowledged twice", acked_twice),
        ("stored twice", stored_twice),
        ("one draft stored twice", drafts_twice),
        ("stored for another resident", wrong_owner),
        ("stored but not acknowledged", extra),
    ]:
        if items:
            print(f"    {label}: {len(items)} (e.g. {', '.join(items[:3])})")
    if extra and not (missing or acked_twice or stored_twice or drafts_twice or wrong_owner):
        print(f"    ({errors} requests failed; an unanswered submit can still be stored)")
        return
    raise AssertionError("procedures_load: acknowledged submissions lost or duplicated")


# --- the scenario --------------------------------------------------------------------------------
def _postgres_admin() -> Any:
    """A connection to the server's ``postgres`` database, or None when there is none."""
    try:
        import psycopg
    except ImportError:
        return None
    try:
        return psycopg.connect(
            host=PG_HOST,
            port=PG_PORT,
            user=PG_USER,
            dbname="postgres",
            autocommit=True,
            connect_timeout=3,
        )
    except psycopg.OperationalError:
        return None


def bench_procedures_load(seconds: float | None = None) -> dict[str, float]:
    seconds = seconds or float(os.environ.get("MACHI_BENCH_SECONDS", "20"))
    admin = _postgres_admin()
    if admin is None:
        print(f"  skipped: needs PostgreSQL on {PG_HOST}:{PG_PORT}")
        return {"ratio": math.nan, "skipped": 1.0}
    name = f"machi_bench_{os.getpid()}"
    database_url = f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"
    workers = 2 * (os.cpu_count() or 1) + 1
    server: subprocess.Popen | None = None
    with tempfile.TemporaryDirectory(prefix="machi-bench-") as tmp, admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
        try:
            env = _service_env(database_url)
            catalog = Path(tmp) / "bench-procedures.yaml"
            catalog.write_text(
                yaml.safe_dump(_catalog(), allow_unicode=True, sort_keys=False), encoding="utf-8"
            )
            took: list[str] = []
            _run(env, "migrate", "manage.py", "migrate", "--verbosity", "0", took=took)
            _run(env, "load_demo", "manage.py", "load_demo", "--verbosity", "0", took=took)
            _run(env, "import", "manage.py", "import_procedures", str(catalog), took=took)
            script = ("-c", _RESIDENTS_SCRIPT, str(CLIENTS), CODE)
            made = json.loads(_run(env, f"{CLIENTS} residents", *script, took=took))
            clients = [(n, key, user) for n, (key, user) in enumerate(made["clients"])]
            print(f"  {'setup in a new database':<46} {', '.join(took)}")
            log = Path(tmp) / "gunicorn.log"
            server, base = _start_gunicorn(env, workers, log)
            context = multiprocessing.get_context("spawn")
            with context.Pool(CLIENT_PROCESSES, initializer=_ready) as pool:
                warm = _phase(pool, "flow", base, clients, 2.0, made["form_version"])
                health = _phase(pool, "healthz", base, clients, seconds, 0)
                flow = _phase(pool, "flow", base, clients, seconds, made["form_version"])
            search = _search(base)
            flow["acknowledged"] += warm["acknowledged"]
            flow["owners"] += warm["owners"]
            figures = _report(
                flow, health, search, seconds, workers, warm["errors"] + health["errors"]
            )
            for line, count in _server_errors(log).most_common(5):
                print(f"    {count:6d} × server: {line}")
            stored = _stored(database_url)
            figures["stored"] = float(len(stored))
            mails = _mail_states(database_url)
            figures["mails_pending"] = float(mails["created"] + mails["sending"])
            states = ", ".join(f"{state} {count}" for state, count in sorted(mails.items()))
            print(f"  {'receipt mails after the load (dummy backend)':<46} {states}")
            _row_check(flow, stored, int(figures["errors"]))
            return figures
        finally:
            if server is not None:
                server.terminate()
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _report(
    flow: dict[str, Any],
    health: dict[str, Any],
    search: dict[str, float],
    seconds: float,
    workers: int,
    other_errors: Counter,
) -> dict[str, float]:
    errors = flow["errors"] + other_errors
    figures = {
        "submissions_per_s": len(flow["submissions"]) / seconds,
        "flow_requests_per_s": flow["in_window"] / seconds,
        "healthz_per_s": health["in_window"] / seconds,
        "request_p50_ms": _median(flow["latencies"]),
        "request_p99_ms": _percentile(flow["latencies"], 99),
        "submission_p50_ms": _median(flow["submissions"]),
        "submission_p99_ms": _percentile(flow["submissions"], 99),
        "healthz_p50_ms": _median(health["latencies"]),
        "acknowledged": float(len(flow["acknowledged"])),
        "stored": math.nan,
        "errors": float(sum(errors.values())),
        **search,
    }
    figures["ratio"] = figures["flow_requests_per_s"] / (figures["healthz_per_s"] or math.nan)
    figures["search_vs_home_p95"] = figures["search_p95_ms"] / figures["home_p95_ms"]
    print(
        f"  gunicorn {workers} workers, {CLIENTS} clients "
        f"({CLIENT_PROCESSES} processes × {THREADS_PER_PROCESS} threads), {seconds:.0f} s each"
    )
    lines = [
        ("baseline: GET /healthz", f"{figures['healthz_per_s']:>10.0f} req/s"),
        ("submissions (start, 3 steps, submit)", f"{figures['submissions_per_s']:>10.1f} /s"),
        ("submission flow requests", f"{figures['flow_requests_per_s']:>10.0f} req/s"),
        (
            "per request",
            f"p50 {figures['request_p50_ms']:7.1f} ms  p99 {figures['request_p99_ms']:7.1f} ms",
        ),
        (
            "per submission (5 requests, end to end)",
            f"p50 {figures['submission_p50_ms']:7.1f} ms  "
            f"p99 {figures['submission_p99_ms']:7.1f} ms",
        ),
        (
            "baseline: GET / (sequential)",
            f"p50 {figures['home_p50_ms']:7.1f} ms  p95 {figures['home_p95_ms']:7.1f} ms",
        ),
        (
            f"GET /procedures/?q=… ({SEARCHES} sequential)",
            f"p50 {figures['search_p50_ms']:7.1f} ms  p95 {figures['search_p95_ms']:7.1f} ms"
            f"  (p95 {figures['search_vs_home_p95']:.1f} × GET /)",
        ),
        ("errors (non-2xx/3xx, refused, wrong redirect)", f"{figures['errors']:>10.0f}"),
    ]
    for label, value in lines:
        print(f"  {label:<46} {value}")
    kinds = ", ".join(f"{label} {_median(v):.0f}" for label, v in flow["by_label"].items())
    print(f"  {'per request p50 ms by page':<46} {kinds}")
    for label, count in errors.most_common(10):
        print(f"    {count:6d} × {label}")
    return figures


if __name__ == "__main__":
    result = bench_procedures_load()
    print(f"  ratio to baseline: {result['ratio']:.2f}")
