"""Regenerate api_spec.json from the Bot API specification (shared/telegram/api.json).

python -m bot.sandbox.make_spec ../shared/telegram/api.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(source: str) -> None:
    spec = json.loads(Path(source).read_text(encoding="utf-8"))
    trimmed = {
        "version": spec.get("version"),
        "methods": {
            name: [[f["name"], bool(f.get("required"))] for f in method.get("fields", [])]
            for name, method in sorted(spec["methods"].items())
        },
    }
    out = Path(__file__).with_name("api_spec.json")
    out.write_text(json.dumps(trimmed, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {out} ({len(trimmed['methods'])} methods, {trimmed['version']})")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/telegram/api.json")
