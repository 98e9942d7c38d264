"""Drives the Scorch UI in Debian's headless Chromium (through Playwright's driver; no browser download) and prints
what it saw as one JSON object on stdout. The Swift test (Tests/ScorchTests/UITests.swift) makes the assertions, so
this script only observes; it exits non-zero only when it could not drive the page at all.

Usage: ui_driver.py --url http://127.0.0.1:PORT --selector '{comm="x"}' --from -10m --search hot_a --zoom work
                    --screenshot out.png [--chromium /usr/bin/chromium]
"""

import argparse
import json
import sys
import time
import urllib.request
from urllib.parse import urlencode

from playwright.sync_api import sync_playwright

SETTLED = "document.body.dataset.status && document.body.dataset.status !== 'loading'"
NEXT_FRAME = "new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)))"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--selector", required=True)
    parser.add_argument("--from", dest="start", default="-10m")
    parser.add_argument("--search", required=True, help="a substring to search for")
    parser.add_argument("--zoom", required=True, help="the name of a frame to click")
    parser.add_argument("--label", default="comm", help="a label name whose values autocomplete offers")
    parser.add_argument("--screenshot", required=True)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--token-url", required=True, help="the same store served with --auth-token")
    parser.add_argument("--token", required=True)
    parser.add_argument("--base-from", required=True, help="the base range of a diff")
    parser.add_argument("--base-to", required=True)
    args = parser.parse_args()

    # The servers were just started: wait (up to 30 s) until they answer.
    for url in (args.url, args.token_url):
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/", timeout=2).close()
                break
            except OSError as error:
                if time.monotonic() > deadline:
                    raise SystemExit(f"{url} does not answer: {error}")
                time.sleep(0.1)

    report = {}
    console_errors = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=args.chromium, args=["--headless", "--no-sandbox"], timeout=30_000)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.set_default_timeout(20_000)
        page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
        page.on("pageerror", lambda e: console_errors.append(f"uncaught: {e}"))

        def settle():
            page.wait_for_function(SETTLED)
            page.evaluate(NEXT_FRAME)

        def snapshot():
            return {
                "status": page.evaluate("document.body.dataset.status"),
                "state": page.evaluate("scorch.state()"),
                "breadcrumb": page.evaluate("scorch.breadcrumb()"),
                "matched": page.evaluate("scorch.matched()"),
                "labels": sorted({f["name"] for f in page.evaluate("scorch.drawnFrames()") if f["label"] == f["name"]}),
                "errors": page.evaluate("scorch.errors()"),
                "url": page.url,
            }

        # 1. The first view: the workload's flame graph, drawn on the canvas.
        query = urlencode({"from": args.start, "selector": args.selector})
        started = time.monotonic()
        page.goto(f"{args.url}/?{query}")
        settle()
        report["loadSeconds"] = round(time.monotonic() - started, 3)
        report["initial"] = snapshot()
        report["nodeCount"] = page.evaluate("scorch.nodeCount()")
        report["topRows"] = page.eval_on_selector_all("#top tbody button.function", "bs => bs.map(b => b.textContent)")
        report["paintMarks"] = page.evaluate(
            "performance.getEntriesByType('mark').filter(m => m.name.startsWith('scorch:'))"
            ".map(m => [m.name, m.startTime])")

        # 2. Search: typing highlights frames and reports the matched share.
        page.fill("#search", args.search)
        page.wait_for_function("scorch.matched() && scorch.matched().text !== ''")
        page.evaluate(NEXT_FRAME)
        frames = page.evaluate("scorch.drawnFrames()")
        report["search"] = {
            "matched": page.evaluate("scorch.matched()"),
            "highlighted": sorted({f["name"] for f in frames if f["matched"]}),
            "notHighlighted": sorted({f["name"] for f in frames if not f["matched"]}),
        }

        # 3. Zoom: click the widest drawn frame named --zoom; the breadcrumb ends there.
        candidates = [f for f in frames if f["name"] == args.zoom and not f["ancestor"]]
        report["zoomFound"] = bool(candidates)
        if candidates:
            target = max(candidates, key=lambda f: f["width"])
            box = page.locator("#flame").bounding_box()
            page.mouse.move(box["x"] + target["x"] + target["width"] / 2, box["y"] + target["y"] + 9)
            page.evaluate(NEXT_FRAME)
            report["tooltip"] = page.inner_text("#tooltip") if page.is_visible("#tooltip") else ""
            page.mouse.click(box["x"] + target["x"] + target["width"] / 2, box["y"] + target["y"] + 9)
            page.evaluate(NEXT_FRAME)
        page.click("#mode-flame")
        page.evaluate(NEXT_FRAME)
        report["zoomed"] = snapshot()
        report["canvasWidth"] = page.evaluate("document.getElementById('flame').clientWidth")
        report["zoomedWidths"] = {
            f["name"]: f["width"] for f in page.evaluate("scorch.drawnFrames()") if f["name"] == args.zoom}
        page.screenshot(path=args.screenshot)

        # 4. The URL holds the whole view: a reload shows the same one.
        page.reload()
        settle()
        report["reloaded"] = snapshot()
        report["reloadedSearchField"] = page.input_value("#search")

        # 5. Back in history undoes the zoom.
        page.go_back()
        page.wait_for_function("scorch.breadcrumb().length === 1")
        report["afterBack"] = snapshot()

        # 6. Dragging over the timeline selects that range (absolute times in the URL) and loads it.
        box = page.locator("#timeline").bounding_box()
        y = box["y"] + box["height"] / 2
        page.mouse.move(box["x"] + box["width"] * 0.5, y)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.75, y, steps=5)
        page.mouse.move(box["x"] + box["width"] - 10, y, steps=5)
        page.mouse.up()
        page.wait_for_function("scorch.state().from !== '%s'" % args.start)
        settle()
        report["dragged"] = snapshot()

        # 7. Sorting the top table by name.
        page.click("#top th:first-child button")
        report["topSortedByName"] = page.eval_on_selector_all(
            "#top tbody button.function", "bs => bs.map(b => b.textContent)")

        # 8. Autocomplete of label names and values.
        page.fill("#selector", "")
        page.focus("#selector")
        page.keyboard.type("{" + args.label[:2])
        page.wait_for_selector("#selector-suggestions li")
        report["nameSuggestions"] = page.eval_on_selector_all(
            "#selector-suggestions li", "ls => ls.map(l => l.textContent)")
        page.keyboard.press("Tab")
        page.wait_for_selector(f"#selector-suggestions[data-kind='values of {args.label}'] li")
        report["valueSuggestions"] = page.eval_on_selector_all(
            "#selector-suggestions li", "ls => ls.map(l => l.textContent)")
        report["selectorAfterName"] = page.input_value("#selector")
        report["consoleErrors"] = list(console_errors)

        # 9. An empty range and a bad parameter (the browser logs the 400 itself, so after the console check).
        page.goto(f"{args.url}/?" + urlencode({"from": args.start, "selector": '{comm="no-such-process-here"}'}))
        settle()
        report["empty"] = {"status": page.evaluate("document.body.dataset.status"),
                           "text": page.inner_text("#empty") if page.is_visible("#empty") else ""}
        page.goto(f"{args.url}/?" + urlencode({"from": "yesterday-ish"}))
        settle()
        report["badTime"] = {"status": page.evaluate("document.body.dataset.status"),
                             "errors": page.evaluate("scorch.errors()"),
                             "invalidFields": page.eval_on_selector_all(
                                 "[aria-invalid=true]", "fields => fields.map(f => f.id)")}

        # 10. Diff mode against --base-from/--base-to: colours by change, the base side in the tooltip.
        page.goto(f"{args.url}/?" + urlencode({"from": args.start, "selector": args.selector, "diff": "1",
                                               "base_from": args.base_from, "base_to": args.base_to}))
        settle()
        frames = page.evaluate("scorch.drawnFrames()")
        diff = {"view": snapshot(), "colors": {f["name"]: f["color"] for f in frames}, "tooltip": "",
                "topCaption": page.inner_text("#top caption")}
        hot = [f for f in frames if f["name"] == args.search]
        if hot:
            box = page.locator("#flame").bounding_box()
            page.mouse.move(box["x"] + hot[0]["x"] + hot[0]["width"] / 2, box["y"] + hot[0]["y"] + 9)
            page.evaluate(NEXT_FRAME)
            diff["tooltip"] = page.inner_text("#tooltip") if page.is_visible("#tooltip") else ""
        report["diff"] = diff

        # 11. A server with a token: the page asks for it, then shows the graph; the token stays out of the URL.
        page.goto(f"{args.token_url}/?" + urlencode({"from": args.start, "selector": args.selector}))
        settle()
        before = {"status": page.evaluate("document.body.dataset.status"), "errors": page.evaluate("scorch.errors()"),
                  "asked": page.is_visible("#token")}
        if before["asked"]:
            page.fill("#token", args.token)
            page.click("#token-form button")
            page.wait_for_function("document.body.dataset.status !== 'error'")
            settle()
        page.reload()
        settle()
        report["token"] = {"before": before, "after": snapshot(), "tokenInURL": args.token in page.url}
        browser.close()
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main()
