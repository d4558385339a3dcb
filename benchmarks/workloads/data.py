"""Deterministic benchmark inputs (stdlib only): a fixed page of EVI configs and an EVI message corpus.

Both are made from a fixed seed, so every run and every machine decodes the same bytes.

    python data.py DATA_DIR MESSAGES   # writes both unless present, prints their paths
"""

from __future__ import annotations

import base64
import json
import random
import sys
from pathlib import Path

# The 48 prosody emotions, spelled as the EVI API sends them.
EMOTIONS = [
    "Admiration", "Adoration", "Aesthetic Appreciation", "Amusement", "Anger", "Anxiety", "Awe",
    "Awkwardness", "Boredom", "Calmness", "Concentration", "Confusion", "Contemplation", "Contempt",
    "Contentment", "Craving", "Desire", "Determination", "Disappointment", "Disgust", "Distress", "Doubt",
    "Ecstasy", "Embarrassment", "Empathic Pain", "Entrancement", "Envy", "Excitement", "Fear", "Guilt",
    "Horror", "Interest", "Joy", "Love", "Nostalgia", "Pain", "Pride", "Realization", "Relief", "Romance",
    "Sadness", "Satisfaction", "Shame", "Surprise (negative)", "Surprise (positive)", "Sympathy",
    "Tiredness", "Triumph",
]  # fmt: skip

WORDS = (
    "the voice sounded calm and a little tired but it was clear that she wanted to keep talking about "
    "the trip to the coast and the long drive home through the rain while the radio played old songs"
).split()

# Share of each message type in the corpus, roughly what a spoken EVI session sends.
MIX = (("audio_output", 0.40), ("assistant_message", 0.25), ("user_message", 0.30), ("chat_metadata", 0.05))


def _uuid(rng: random.Random) -> str:
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 24))).capitalize() + "."


def _scores(rng: random.Random) -> dict[str, float]:
    return {name: round(rng.random() * rng.random(), 6) for name in EMOTIONS}


def evi_message(rng: random.Random, kind: str, chat: dict[str, str]) -> dict[str, object]:
    if kind == "audio_output":
        raw = rng.randbytes(rng.randint(1024, 4096))  # a short WAV chunk's worth of bytes
        return {"type": "audio_output", "id": _uuid(rng), "index": rng.randint(0, 40),
                "data": base64.b64encode(raw).decode("ascii"), "custom_session_id": None}  # fmt: skip
    if kind == "assistant_message":
        return {
            "type": "assistant_message", "id": _uuid(rng), "from_text": False, "is_quick_response": False,
            "language": "en", "custom_session_id": None,
            "message": {"role": "assistant", "content": _sentence(rng)},
            "models": {"prosody": {"scores": _scores(rng)}},
        }  # fmt: skip
    if kind == "user_message":
        begin = rng.randint(0, 600_000)
        return {
            "type": "user_message", "from_text": False, "interim": rng.random() < 0.3, "language": "en",
            "custom_session_id": None, "message": {"role": "user", "content": _sentence(rng)},
            "models": {"prosody": {"scores": _scores(rng)}},
            "time": {"begin": begin, "end": begin + rng.randint(300, 8000)},
        }  # fmt: skip
    if kind == "chat_metadata":
        return {"type": "chat_metadata", "chat_group_id": chat["group"], "chat_id": chat["id"],
                "request_id": _uuid(rng), "custom_session_id": None}  # fmt: skip
    raise ValueError(kind)


def evi_corpus(count: int, seed: int = 20240611) -> list[str]:
    """``count`` server messages as JSON text, the types drawn from ``MIX``."""
    rng = random.Random(seed)
    kinds = [k for k, _ in MIX]
    weights = [w for _, w in MIX]
    chat = {"group": _uuid(rng), "id": _uuid(rng)}
    return [json.dumps(evi_message(rng, rng.choices(kinds, weights)[0], chat)) for _ in range(count)]


def configs_page(size: int = 10, seed: int = 7) -> dict[str, object]:
    """One page of ``GET /v0/evi/configs`` (a ReturnPagedConfigs) with ``size`` full configs."""
    rng = random.Random(seed)
    configs = []
    for i in range(size):
        created = 1_715_000_000_000 + i * 86_400_000
        configs.append(
            {
                "id": _uuid(rng), "version": i % 3, "evi_version": "3", "name": f"Support agent {i}",
                "version_description": _sentence(rng), "created_on": created, "modified_on": created + 3_600_000,
                "prompt": {
                    "id": _uuid(rng), "version": 0, "version_type": "FIXED", "version_description": None,
                    "name": f"Prompt {i}", "created_on": created, "modified_on": created,
                    "text": " ".join(_sentence(rng) for _ in range(12)),
                },
                "voice": {"id": _uuid(rng), "name": "ITO", "provider": "HUME_AI"},
                "language_model": {"model_provider": "ANTHROPIC", "model_resource": "claude-3-7-sonnet-latest",
                                   "temperature": 0.7},
                "ellm_model": {"allow_short_responses": True},
                "tools": [],
                "builtin_tools": [{"tool_type": "BUILTIN", "name": "web_search", "fallback_content": None}],
                "event_messages": {
                    "on_new_chat": {"enabled": False, "text": ""},
                    "on_inactivity_timeout": {"enabled": True, "text": "Are you still there?"},
                    "on_max_duration_timeout": {"enabled": False, "text": ""},
                },
                "timeouts": {"inactivity": {"enabled": True, "duration_secs": 600},
                             "max_duration": {"enabled": True, "duration_secs": 1800}},
                "webhooks": [{"url": "https://example.com/hooks/evi", "events": ["chat_started", "chat_ended"]}],
            }
        )  # fmt: skip
    return {"page_number": 0, "page_size": size, "total_pages": 3, "configs_page": configs}


def ensure(data_dir: Path, messages: int) -> tuple[Path, Path]:
    """Write the corpus and the page under ``data_dir`` unless already there; return their paths."""
    data_dir.mkdir(parents=True, exist_ok=True)
    corpus = data_dir / f"evi-corpus-{messages}.jsonl"
    if not corpus.exists():
        tmp = corpus.with_suffix(".tmp")
        tmp.write_text("\n".join(evi_corpus(messages)) + "\n", encoding="utf-8")
        tmp.rename(corpus)
    page = data_dir / "configs-page.json"
    page.write_text(json.dumps(configs_page()), encoding="utf-8")
    return corpus, page


if __name__ == "__main__":
    print(*ensure(Path(sys.argv[1]), int(sys.argv[2])))
