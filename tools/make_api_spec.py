"""Regenerate standin/api_spec.json (methods, their fields' names, types and whether they are
required) from the published Bot API specification, so the stand-in needs nothing else at
runtime. The specification is `api.json` of the public project
github.com/PaulSonOfLars/telegram-bot-api-spec (every method and type, as JSON):

    python tools/make_api_spec.py path/to/api.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def trim(spec: dict[str, object]) -> dict[str, object]:
    """Of the Bot API's full description, what the stand-in checks: each method's fields,
    whether required, their types."""
    methods = spec["methods"]
    assert isinstance(methods, dict)
    return {
        "version": spec.get("version"),
        "methods": {
            name: [
                {"name": f["name"], "required": bool(f.get("required")), "types": f["types"]}
                for f in method.get("fields", [])
            ]
            for name, method in sorted(methods.items())
        },
    }


def main(source: str) -> None:
    """Write standin/api_spec.json from the Bot API's description at `source`."""
    trimmed = trim(json.loads(Path(source).read_text(encoding="utf-8")))
    methods = trimmed["methods"]
    assert isinstance(methods, dict)
    # One method per line: small, and diffs stay readable when the API grows.
    lines = [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in methods.items()]
    text = (
        '{\n "version": '
        + json.dumps(trimmed["version"])
        + ',\n "methods": {\n'
        + ",\n".join(lines)
        + "\n }\n}\n"
    )
    out = Path(__file__).resolve().parents[1] / "standin" / "api_spec.json"
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out} ({len(methods)} methods, {trimmed['version']})")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tools/make_api_spec.py path/to/api.json")
    main(sys.argv[1])
