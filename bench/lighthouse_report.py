"""Print one line per Lighthouse report: the four scores, the first-load JavaScript
(every script the page loaded, fetched again and gzip-compressed here at level 6), and
the performance metrics behind the score (simulated mobile: FCP, LCP, TBT, CLS, Speed Index)."""

from __future__ import annotations

import gzip
import json
import sys
import urllib.request
from pathlib import Path

_sizes: dict[str, int] = {}


def gzip_size(url: str) -> int:
    if url not in _sizes:
        with urllib.request.urlopen(url, timeout=30) as response:
            _sizes[url] = len(gzip.compress(response.read(), compresslevel=6))
    return _sizes[url]


def main(directory: Path) -> None:
    print(
        f"{'page':<52} {'perf':>4} {'a11y':>4} {'best':>4} {'seo':>4} {'JS gzip':>9} {'FCP':>6} {'LCP':>6} {'TBT':>6} {'CLS':>5} {'SI':>6}"
    )
    for path in sorted(directory.glob("*.json"), key=lambda p: int(p.stem)):
        report = json.loads(path.read_text())
        scores = [
            round((report["categories"][key]["score"] or 0) * 100)
            for key in ("performance", "accessibility", "best-practices", "seo")
        ]
        requests = report["audits"]["network-requests"]["details"]["items"]
        scripts = {item["url"] for item in requests if item.get("resourceType") == "Script"}
        js = sum(gzip_size(url) for url in scripts)
        page = "/" + report["finalDisplayedUrl"].split("/", 3)[-1]
        metrics = report["audits"]["metrics"]["details"]["items"][0]
        timings = [f"{metrics[key] / 1000:>5.2f}s" for key in ("firstContentfulPaint", "largestContentfulPaint")]
        print(
            f"{page:<52} {scores[0]:>4} {scores[1]:>4} {scores[2]:>4} {scores[3]:>4} {js / 1024:>7.1f} kB"
            f" {timings[0]} {timings[1]} {metrics['totalBlockingTime']:>4.0f}ms {metrics['cumulativeLayoutShift']:>5.3f} {metrics['speedIndex'] / 1000:>5.2f}s"
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
