"""Times the Scorch UI in Debian's headless Chromium for bench/ui.sh: first paint of a flame graph (from the
Performance marks the page sets) and the cost of a redraw. Prints one JSON object per measured case.

Cases:
  synthetic-100k  the real page and server, with /api/v1/flamegraph answered by a generated 100,000-node tree
                  (deterministic; depth and name lengths like native profiles), to time the browser side alone
  real            the page on the real server's answer for --from/--to with max_nodes=100000 (as many nodes as
                  the store's data has)
"""

import argparse
import json
import random
import statistics
import sys
from urllib.parse import urlencode

from playwright.sync_api import sync_playwright

SETTLED = "document.body.dataset.status && document.body.dataset.status !== 'loading'"
PAINTED = "performance.getEntriesByName('scorch:flame-painted').length > 0"


def synthetic_tree(count, seed=7):
    """A call tree of exactly `count` nodes: a few hundred roots of deep chains that fan out, like a busy host."""
    rng = random.Random(seed)
    spaces = ["std", "llvm", "swift", "rt", "app", "net"]
    types = ["Parser", "Sema", "Vector", "Map", "IO", "Loop"]
    verbs = ["visit", "emit", "lookup", "insert", "read", "run"]
    vocabulary = [f"{rng.choice(spaces)}::{rng.choice(types)}::{rng.choice(verbs)}_{i}" for i in range(20000)]
    root = {"name": "root", "self": 0, "total": 0, "children": []}
    nodes = [(root, 0)]
    made = 1
    while made < count:
        # Prefer extending recent deep nodes (long stacks), sometimes branch near the top.
        if rng.random() < 0.85:
            parent, depth = nodes[-1 - int(rng.expovariate(1 / 40)) % len(nodes)]
        else:
            parent, depth = rng.choice(nodes[:2000])
        if depth > 120:
            parent, depth = rng.choice(nodes[:500])
        child = {"name": rng.choice(vocabulary), "self": rng.choice([0, 0, 0, 10_101_010, 20_202_020, 50_505_050]),
                 "total": 0, "file": "/src/module.cpp", "line": rng.randint(1, 3000), "mapping": "app",
                 "children": []}
        parent["children"].append(child)
        nodes.append((child, depth + 1))
        made += 1
    # Totals bottom-up (nodes were created parents first), children largest first as the API sends them.
    for node, _ in reversed(nodes):
        if not node["children"] and node["self"] == 0:
            node["self"] = 10_101_010
        node["total"] = node["self"] + sum(c["total"] for c in node["children"])
        node["children"].sort(key=lambda c: -c["total"])
    return {"unit": "nanoseconds", "type": "cpu", "total": root["total"], "root": root}


def measure(page, url):
    page.goto(url)
    page.wait_for_function(SETTLED, timeout=180_000)
    if page.evaluate("document.body.dataset.status") != "ready":
        raise SystemExit(f"the page did not show a flame graph: {page.evaluate('scorch.errors()')}")
    page.wait_for_function(PAINTED, timeout=30_000)
    return page.evaluate("""() => {
        const mark = (name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
        const resource = performance.getEntriesByType('resource').find(r => r.name.includes('/api/v1/flamegraph'));
        return {
            status: document.body.dataset.status,
            nodes: scorch.nodeCount(),
            requestToPainted: mark('scorch:flame-painted') - mark('scorch:load-start'),
            responseToPainted: resource ? mark('scorch:flame-painted') - resource.responseEnd : NaN,
            parse: resource ? mark('scorch:flamegraph-json') - resource.responseEnd : NaN,
            model: mark('scorch:flame-model') - mark('scorch:flamegraph-json'),
            draw: mark('scorch:flame-drawn') - mark('scorch:flame-model'),
            navigationToPainted: mark('scorch:flame-painted'),
            redraw: scorch.timeRedraw(20),
        };
    }""")


def summarize(case, runs):
    keys = ["requestToPainted", "responseToPainted", "parse", "model", "draw", "navigationToPainted", "redraw"]
    return {"case": case, "runs": len(runs), "nodes": runs[-1]["nodes"], "status": runs[-1]["status"],
            **{k: round(statistics.median(r[k] for r in runs), 1) for k in keys}}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--from", dest="start", required=True)
    parser.add_argument("--to", dest="end", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()

    body = json.dumps(synthetic_tree(args.nodes))
    query = urlencode({"from": args.start, "to": args.end})
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=["--headless", "--no-sandbox"])
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.route("**/api/v1/flamegraph*", lambda route: route.fulfill(
            status=200, content_type="application/json", body=body))
        runs = [measure(page, f"{args.url}/?{query}") for _ in range(args.runs)]
        print(json.dumps({**summarize("synthetic-100k", runs), "bytes": len(body)}))
        page.unroute("**/api/v1/flamegraph*")
        runs = [measure(page, f"{args.url}/?{query}&max_nodes={args.nodes}") for _ in range(args.runs)]
        print(json.dumps(summarize("real", runs)))
        browser.close()


if __name__ == "__main__":
    sys.exit(main())
