"""`brief doctor`'s report: which provider would answer and why, whether the embedded model is
there and intact, and where brief keeps its files. Secrets are reported as set or not, never
shown."""

from __future__ import annotations

from briefing.config import Settings
from briefing.errors import BriefError
from briefing.llm import local
from briefing.llm.client import choose_provider


def diagnose(settings: Settings, full_hash: bool = True) -> dict[str, object]:
    """The report, in the order it is shown; `full_hash` checks the model file's sha256 (~2 s)."""
    config = str(settings.config_path) + ("" if settings.config_path.exists() else " (absent)")
    report: dict[str, object] = {
        "home": str(settings.home),
        "store": str(settings.store_path),
        "config": config,
        "fixtures": str(settings.fixtures_dir),
    }
    try:
        report["provider"], report["why"] = choose_provider(settings)
    except BriefError as exc:
        report["provider"], report["why"] = None, str(exc)
    report["openai_api_key"] = "set" if settings.openai_api_key else "not set"
    report["openai_base_url"] = settings.openai_base_url or "not set"
    report["local_model_installed"] = local.weights_installed()
    path = local.default_model_path()
    report["local_model_path"] = str(path)
    if not path.exists():
        report["local_model_ok"] = "not assembled yet (done on first use)"
    else:
        report["local_model_ok"] = local.verify_model(path) if full_hash else "not checked"
    return report


def report_text(report: dict[str, object]) -> str:
    width = max([22, *(len(key) for key in report)])
    return "".join(f"{key:{width}} {value}\n" for key, value in report.items())
