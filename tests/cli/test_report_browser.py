"""`roleplan report` in a real browser: headless Chromium loads the page with no network, every chart is drawn
with a non-zero size, nothing is logged as an error, and a screenshot shows more than a blank page.

Skips where Chromium is not installed, except in CI (CI=true), where it fails: .ci/run installs it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import Run

FILLED = "docs/examples/growth-filled.roleplan.yaml"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # no network: a page that needs one fails to draw
]
#: Put first in <head> of a copy of the page: console errors and uncaught exceptions become log lines the
#: test reads, and once the page has loaded each chart's size is logged.
PROBE = """<script>
(function () {
  var log = console.log.bind(console), err = console.error.bind(console);
  console.error = function () {
    log("PROBE-ERROR " + Array.prototype.join.call(arguments, " "));
    err.apply(null, arguments);
  };
  window.addEventListener("error", function (e) { log("PROBE-ERROR " + e.message); });
  window.addEventListener("load", function () {
    setTimeout(function () {
      document.querySelectorAll(".js-plotly-plot").forEach(function (el) {
        var r = el.getBoundingClientRect(), svg = el.querySelector("svg.main-svg");
        log("PROBE-CHART " + el.id + " " + Math.round(r.width) + " " + Math.round(r.height) + " " + (svg ? 1 : 0));
      });
      log("PROBE-DONE");
    }, 300);
  });
})();
</script>"""


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run the browser test: chromium is missing (.ci/run installs it)")
        pytest.skip("chromium is not installed")
    return found


def _run(chromium: str, page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    cmd = [
        chromium,
        *FLAGS,
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
        "--virtual-time-budget=15000",
        *extra,
        page.as_uri(),
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False)


def _probe(
    chromium: str, html: str, tmp_path: Path, name: str
) -> tuple[list[tuple[str, int, int, int]], list[str]]:
    page = tmp_path / f"{name}.html"
    page.write_text(html.replace("<head>", "<head>" + PROBE, 1), encoding="utf-8")
    proc = _run(chromium, page, tmp_path / f"profile-{name}", "--dump-dom")
    log = proc.stderr
    assert "PROBE-DONE" in log, log[-2000:]
    charts = [
        (m[1], int(m[2]), int(m[3]), int(m[4]))
        for m in re.finditer(r"PROBE-CHART (\S+) (\d+) (\d+) (\d)", log)
    ]
    errors = re.findall(r"PROBE-ERROR ([^\"]*)", log) + re.findall(r"Uncaught [^\"]*", log)
    return charts, errors


@pytest.fixture(scope="module")
def chromium() -> str:
    return _chromium()


def test_the_report_renders_in_chromium(run: Run, tmp_path: Path, chromium: str) -> None:
    out = tmp_path / "plan.html"
    assert run("report", FILLED, "-o", str(out)).code == 0
    html = out.read_text(encoding="utf-8")
    charts, errors = _probe(chromium, html, tmp_path, "report")
    assert errors == []
    assert [c[0] for c in charts] == re.findall(r'<div id="(chart-[a-z0-9-]+)"', html)
    for name, width, height, svg in charts:
        assert width > 200 and height > 200 and svg == 1, (name, width, height)
    # a screenshot of the page holds far more than one of a blank page of the same size
    shot, blank = tmp_path / "shot.png", tmp_path / "blank.png"
    (tmp_path / "blank.html").write_text("<!DOCTYPE html><html><body></body></html>", encoding="utf-8")
    size = "--window-size=1280,2400"
    _run(chromium, out, tmp_path / "profile-shot", size, f"--screenshot={shot}")
    _run(chromium, tmp_path / "blank.html", tmp_path / "profile-blank", size, f"--screenshot={blank}")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 10 * blank.stat().st_size


def test_the_probe_sees_a_broken_page(tmp_path: Path, chromium: str) -> None:
    """The check above can fail: a page whose script throws, and whose chart never draws, is caught."""
    broken = (
        "<!DOCTYPE html><html><head></head><body><div id='chart-x' class='js-plotly-plot'></div>"
        "<script>console.error('bad data'); Plotly.newPlot('chart-x', []);</script></body></html>"
    )
    charts, errors = _probe(chromium, broken, tmp_path, "broken")
    assert any("bad data" in e for e in errors)
    assert any("Plotly is not defined" in e for e in errors)
    assert charts == [("chart-x", charts[0][1], 0, 0)]
