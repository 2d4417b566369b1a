"""Benchmark: a big day of real articles against an OpenAI-compatible server on 127.0.0.1.

    python bench/bigday.py                   # PolNeAR train as one day, 300 ms an answer
    python bench/bigday.py --delay 0.3 --concurrency 32 --sample 50 --cut-at 0.4
    python bench/bigday.py --llama --articles 2 --threads 1   # the embedded model's server

The day: the texts of PolNeAR's train split (`--corpus`, 840 news articles of the 2016 US
election, the first `--articles` by file name) written as Markdown with front matter (the title
and publisher from metadata.tsv, every one published on `--day`), ingested once. Then, each time
from that store with an empty model-call cache, another process extracts them through the real
`openai` provider and HTTP, with `concurrency` set in its config.toml, from a server in this
process (bench/_server.py):

1. one request in flight, the first `--sample` articles only. At a fixed delay a request's time
   does not depend on the day's size, so the day's sequential time is estimated as the day's
   requests times the sample's seconds per request;
2. `--concurrency` requests in flight, every article;
3. the same run as `brief extract --all --yes`, killed (SIGKILL) once `--cut-at` of the
   uninterrupted run's requests were answered, then run again in the same BRIEF_HOME to the end.
   From the server's log and the killed run's store: how many answers stored before the kill
   were asked again (the property: none), how many were asked again because the kill caught
   them on their way (written by the server, not yet stored) or in flight (written after it),
   and whether the positions are those of step 2.

Printed per run: the extraction's wall seconds (from the process's own clock: no start-up, no
ingest), requests answered, requests per second, the ratio to one at a time, the most in flight,
and the extracting process's own CPU time (all its threads) per article and per request.

The fake server answers after `--delay` (300 ms: a remote GPU server under load) with a valid
label (bench/_articles.py), a simulation for measuring throughput, never quality. With
`--llama` the server here forwards every request to the embedded model's llama.cpp server
(xllamacpp, 127.0.0.1), started with one slot for one in flight and with `--slots` slots for
more: real answers, so the rows also show whether they are the same at 1 and N in flight. On
a CPU that server cannot show a remote GPU server's gain; it stands in for correctness. On a
busy machine give it `--threads 1`: llama.cpp's threads wait for each other when another process
holds a core (measured: 1.5-3 s a generated token with 2 threads, 0.15-0.23 s with 1).

The code measured is this checkout's, whichever brief the interpreter has installed.

Target: at least 10 times one at a time with 32 in flight. A fixed delay caps the ratio at the
number in flight; the program's own CPU time, one core under the GIL, caps it too.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHECKOUT = HERE.parent
# Measure the code of this checkout, whatever brief the interpreter has installed.
sys.path[:0] = [str(HERE), str(CHECKOUT)]
from _server import FakeServer, Served

from briefing.config import load_settings
from briefing.llm.client import open_client
from briefing.pipeline import Extractor, ingest
from briefing.store.database import Store

CORPUS = CHECKOUT.parent / "shared" / "eval" / "polnear-train"
CLI = [sys.executable, "-c", "from briefing.cli import app; app()", "extract", "--all", "--yes"]


# the day ----------------------------------------------------------------------------------------


def write_day(corpus: Path, folder: Path, day: dt.date, limit: int) -> list[Path]:
    """The first `limit` texts of a PolNeAR split as Markdown articles, all published on `day`."""
    with (corpus / "metadata.tsv").open(encoding="utf-8", newline="") as f:
        rows = {row["filename"]: row for row in csv.DictReader(f, delimiter="\t")}
    folder.mkdir(parents=True)
    paths = []
    for text in sorted((corpus / "text").glob("*.txt"))[:limit]:
        row = rows.get(text.stem, {})
        body = text.read_text(encoding="utf-8")
        title = row.get("title") or body.strip().splitlines()[0]
        front = (
            f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n"
            f"source: {row.get('publisher') or 'polnear'}\npublished: {day.isoformat()}\n---\n"
        )
        path = folder / f"{text.stem}.md"
        path.write_text(front + body, encoding="utf-8")
        paths.append(path)
    return paths


def prepare(folder: Path, home: Path) -> tuple[int, float]:
    """Ingest the day into a store at `home`: the articles stored, and the seconds it took."""
    started = time.perf_counter()
    with Store(load_settings(home=home).store_path) as store:
        report = ingest(store, [folder])
        stored = store.count("articles")
    if report.problems:
        raise SystemExit(f"ingest failed: {report.problems[0]}")
    return stored, time.perf_counter() - started


def fresh_home(template: Path, home: Path, in_flight: int) -> Path:
    """A copy of the ingested store, empty cache, `in_flight` requests at a time."""
    shutil.copytree(template, home)
    (home / "config.toml").write_text(f"concurrency = {in_flight}\n", encoding="utf-8")
    return home


# one extraction, in its own process ---------------------------------------------------------------


def child(home: Path, limit: int | None) -> None:
    """Extract the first `limit` articles (all when None); print the figures as JSON."""
    settings = load_settings(home=home)
    with Store(settings.store_path) as store:
        articles = store.all_articles()[:limit]
        with open_client(settings, store) as client:
            extractor = Extractor(store, client, settings)
            cpu, started = time.process_time(), time.perf_counter()
            outcomes = extractor.extract(articles)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        failed = [o.error for o in outcomes if o.error and not o.saved]
        figures = {
            "articles": len(articles),
            "seconds": seconds,
            "cpu": cpu,
            "positions": store.count("positions"),
            "unfinished": failed[:1],
        }
    print(json.dumps(figures))


@dataclass
class Run:
    in_flight: int
    articles: int
    seconds: float
    requests: int  # answered by the server with HTTP 200
    peak: int
    cpu: float
    positions: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def child_env(base_url: str, model: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        OPENAI_BASE_URL=base_url,
        OPENAI_API_KEY="bench",
        BRIEF_PROVIDER="openai",
        BRIEF_MODEL=model,
        PYTHONPATH=os.pathsep.join(filter(None, [str(CHECKOUT), env.get("PYTHONPATH")])),
    )
    return env


def measure(
    server: FakeServer, env: dict[str, str], home: Path, in_flight: int, limit: int | None
) -> Run:
    server.reset()
    command = [sys.executable, __file__, "--child", str(home)]
    if limit is not None:
        command += ["--limit", str(limit)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"the extraction failed: {done.stderr.strip()[-800:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    if figures["unfinished"]:
        raise SystemExit(f"articles left unfinished: {figures['unfinished'][0]}")
    return Run(
        in_flight,
        figures["articles"],
        figures["seconds"],
        server.answered,
        server.peak,
        figures["cpu"],
        figures["positions"],
    )


# cut off and restarted ----------------------------------------------------------------------------


@dataclass
class Cut:
    """What the server's log and the killed run's store say about a run cut off and restarted.

    An answer the server wrote before the SIGKILL was either stored by the client (the restart
    must not ask it again) or still on its way: in the socket, or read but not yet stored while
    its thread waited for the interpreter. No client can keep what it has not read when it is
    killed, so those are asked again and the server answers them twice."""

    written: int  # answers the server wrote before the SIGKILL
    stored: int  # of those, in the killed run's cache
    cut_in_flight: int  # answers written after the kill: the client never got them
    restart_answered: int
    again_stored: int  # asked again although stored before the kill: must be 0
    again_on_the_way: int  # asked again, written before the kill but not stored
    again_cut: int  # asked again after being cut off in flight
    twice_in_restart: int  # answered twice within the restarted run: must be 0
    positions: int
    seconds: float  # from the first start to the restart's end, start-ups included


def cut_and_restart(server: FakeServer, env: dict[str, str], home: Path, cut_after: int) -> Cut:
    """Run `brief extract --all --yes` in `home`, SIGKILL it after `cut_after` answers, run it
    again to the end; what the server's log says about requests asked twice."""
    server.reset()
    env = dict(env, BRIEF_HOME=str(home))
    logs = home / "logs"
    logs.mkdir()
    begin = len(server.log)
    started = time.perf_counter()
    with (logs / "killed.txt").open("w") as err:
        process = subprocess.Popen(CLI, env=env, cwd=CHECKOUT, stdout=err, stderr=err)
        try:
            while server.delivered < cut_after and process.poll() is None:
                time.sleep(0.005)
        finally:  # also when this benchmark is interrupted: leave nothing running
            killed_at = time.monotonic()
            process.send_signal(signal.SIGKILL)
            process.wait()
    if process.returncode != -signal.SIGKILL:
        raise SystemExit(
            f"the run ended before the cut (exit {process.returncode}): lower --cut-at"
        )
    _settle(server)
    middle = len(server.log)
    with Store(load_settings(home=home).store_path) as store:
        stored = {call.key for call in store.calls()}
    server.reset()
    with (logs / "restart.txt").open("w") as err:
        restart = subprocess.run(CLI, env=env, cwd=CHECKOUT, stdout=err, stderr=err, check=False)
    if restart.returncode:
        tail = (logs / "restart.txt").read_text()[-800:]
        raise SystemExit(f"the restart failed: {tail}")
    seconds = time.perf_counter() - started
    first, second = server.log[begin:middle], server.log[middle:]
    with Store(load_settings(home=home).store_path) as store:
        positions = store.count("positions")
    return _compare(first, second, killed_at, stored, positions, seconds)


def _settle(server: FakeServer, most: float = 600.0) -> None:
    """Wait for the answers still in flight at the kill to be written (to a closed socket)."""
    until = time.monotonic() + most
    while server.in_flight and time.monotonic() < until:
        time.sleep(0.01)
    time.sleep(0.05)  # the write and the log entry follow the last decrement


def _compare(
    first: list[Served],
    second: list[Served],
    killed_at: float,
    stored: set[str],
    positions: int,
    seconds: float,
) -> Cut:
    answered = [s for s in first if s.status == 200]
    before = {s.key for s in answered if s.written < killed_at}
    cut = {s.key for s in answered if s.written >= killed_at} - before
    asked = {s.key for s in second}
    again = Counter(s.key for s in second if s.status == 200)
    return Cut(
        written=len(before),
        stored=len(before & stored),
        cut_in_flight=len(cut),
        restart_answered=sum(again.values()),
        again_stored=len(stored & asked),
        again_on_the_way=len((before - stored) & asked),
        again_cut=len(cut & asked),
        twice_in_restart=sum(1 for n in again.values() if n > 1),
        positions=positions,
        seconds=seconds,
    )


# printing ---------------------------------------------------------------------------------------


HEADER = (
    f"{'in flight':>9} {'articles':>8} {'seconds':>8} {'requests':>8} {'per s':>7}"
    f" {'x one':>6} {'peak':>5} {'CPU ms/art':>10} {'CPU ms/req':>10} {'positions':>9}"
)


def row(run: Run, baseline: Run) -> str:
    return (
        f"{run.in_flight:>9} {run.articles:>8} {run.seconds:>8.1f} {run.requests:>8}"
        f" {run.per_second:>7.2f} {run.per_second / baseline.per_second:>6.1f} {run.peak:>5}"
        f" {1000 * run.cpu / run.articles:>10.1f} {1000 * run.cpu / max(1, run.requests):>10.2f}"
        f" {run.positions:>9}"
    )


def report_cut(cut: Cut, whole: Run) -> None:
    total = cut.written + cut.restart_answered
    print(
        f"cut off and restarted ({whole.in_flight} in flight, `brief extract --all --yes`):"
        f" SIGKILL after the server wrote {cut.written} answers, {cut.stored} of them stored"
        f" by then, {cut.written - cut.stored} on their way; {cut.cut_in_flight} more cut off"
        f" in flight; the restart got {cut.restart_answered} answers"
        f" ({cut.seconds:.1f} s in all, start-ups included)"
    )
    verdict = "OK" if cut.again_stored == 0 and cut.twice_in_restart == 0 else "FAILED"
    print(
        f"  asked again although stored before the kill: {cut.again_stored}; answered twice"
        f" in the restart: {cut.twice_in_restart} -> {verdict}"
    )
    print(
        f"  asked again, never stored: {cut.again_on_the_way} on their way at the kill,"
        f" {cut.again_cut} of {cut.cut_in_flight} cut off in flight; the server answered"
        f" {total - whole.requests} requests twice ({total} answers in both runs against"
        f" {whole.requests} uninterrupted)"
    )
    same = "the same as" if cut.positions == whole.positions else "NOT the same as"
    print(f"  positions {cut.positions}, {same} the uninterrupted run's {whole.positions}")


# the two benchmarks -------------------------------------------------------------------------------


def fake_runs(args: argparse.Namespace, template: Path, root: Path) -> None:
    server = FakeServer(args.delay, args.rate_limited)
    server.thread.start()
    env = child_env(server.base_url, "bench-model")
    print(
        f"the server answers after {args.delay * 1000:.0f} ms and sends 429 Retry-After: 1 to"
        f" {args.rate_limited:.0%} of first attempts"
    )
    print(HEADER)
    one = measure(server, env, fresh_home(template, root / "one", 1), 1, args.sample)
    print(row(one, one), flush=True)
    home = fresh_home(template, root / "many", args.concurrency)
    many = measure(server, env, home, args.concurrency, None)
    print(row(many, one), flush=True)
    sequential = many.requests * one.seconds / one.requests
    print(
        f"one at a time, estimated for the day: {many.requests} requests x"
        f" {one.seconds / one.requests:.3f} s = {sequential:.0f} s;"
        f" {args.concurrency} in flight: {many.seconds:.1f} s, x{sequential / many.seconds:.1f}"
    )
    if args.cut_at:
        home = fresh_home(template, root / "cut", args.concurrency)
        report_cut(cut_and_restart(server, env, home, int(many.requests * args.cut_at)), many)
    server.httpd.shutdown()


def llama_runs(args: argparse.Namespace, template: Path, root: Path) -> None:
    from briefing.llm.local import LocalModel

    print("the embedded model's llama.cpp server on 127.0.0.1, behind a recording front")
    print(HEADER)
    runs: list[Run] = []
    for in_flight in (1, args.slots):
        model = LocalModel.start(parallel=in_flight, threads=args.threads)
        server = FakeServer(0.0, upstream=model.base_url)
        server.thread.start()
        env = child_env(server.base_url, model.model_name)
        home = fresh_home(template, root / f"llama-{in_flight}", in_flight)
        runs.append(measure(server, env, home, in_flight, None))
        print(row(runs[-1], runs[0]) + f"  ({in_flight} slot{'s' * (in_flight > 1)})", flush=True)
        if in_flight > 1:
            same, total = same_answers(root / "llama-1", home)
            print(f"the same answer at 1 and {in_flight} in flight: {same} of {total} requests")
            if args.cut_at:
                home = fresh_home(template, root / "llama-cut", in_flight)
                cut = cut_and_restart(server, env, home, int(runs[-1].requests * args.cut_at))
                report_cut(cut, runs[-1])
        server.httpd.shutdown()
        model.close()


def same_answers(one: Path, other: Path) -> tuple[int, int]:
    """How many requests got the same answer text in two homes' caches, of those in both."""

    def answers(home: Path) -> dict[str, str]:
        with Store(load_settings(home=home).store_path) as store:
            return {c.key: c.response["choices"][0]["message"]["content"] for c in store.calls()}

    first, second = answers(one), answers(other)
    keys = first.keys() & second.keys()
    return sum(first[k] == second[k] for k in keys), len(keys)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="a PolNeAR split's folder")
    parser.add_argument("--articles", type=int, help="how many (default 1000; 4 with --llama)")
    parser.add_argument("--day", type=dt.date.fromisoformat, default=dt.date(2016, 11, 8))
    parser.add_argument("--delay", type=float, default=0.3, help="seconds per answer")
    parser.add_argument("--rate-limited", type=float, default=0.0, help="share sent 429 first")
    parser.add_argument("--concurrency", type=int, default=32, help="requests in flight")
    parser.add_argument("--sample", type=int, default=50, help="articles run one at a time")
    parser.add_argument(
        "--cut-at", type=float, default=0.4, help="share answered before the kill (0: no cut)"
    )
    parser.add_argument("--llama", action="store_true", help="the embedded model's server")
    parser.add_argument("--slots", type=int, default=4, help="with --llama: slots and in flight")
    parser.add_argument(
        "--threads", type=int, help="with --llama: llama.cpp's threads (default: every core)"
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.limit)
    limit = args.articles or (4 if args.llama else 1000)
    with tempfile.TemporaryDirectory(prefix="brief-bigday-") as tmp:
        root = Path(tmp)
        paths = write_day(args.corpus, root / "articles", args.day, limit)
        stored, seconds = prepare(root / "articles", root / "template")
        texts = len(list((args.corpus / "text").glob("*.txt")))
        which = f"all {texts}" if len(paths) == texts else f"the first {len(paths)} of {texts}"
        print(
            f"{which} texts of {args.corpus.name} as articles published {args.day}: {stored}"
            f" stored (identical texts are one article), ingested in {seconds:.1f} s"
            f" ({1000 * seconds / len(paths):.1f} ms a text)"
        )
        (llama_runs if args.llama else fake_runs)(args, root / "template", root)


if __name__ == "__main__":
    main()
