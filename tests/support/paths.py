"""Where the tests find the project: its root, and the sample report every suite starts from."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "service" / "data" / "sample_report.txt"
