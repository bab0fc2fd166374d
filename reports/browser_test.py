#!/usr/bin/env python3
"""The report in a real browser: headless Chromium driven over the DevTools protocol.

Runs the smoke suite (with two mutant backends, so there are failures to show), writes its
report with `tconv report`, opens it in headless Chromium and checks that
  - the page runs without a JavaScript error or console error,
  - the outcome counts shown (tiles and bar segments) equal those in results.json,
  - filtering the table by each backend (typed into the filter box) shows exactly its rows,
    and clicking a bar segment's link lists exactly that segment's rows,
  - sorting by err/bound orders the rows, every repro command the page builds equals the
    one in results.json,
then does the same on a synthetic run of 20,000 rows with timings (virtual table, perf
section) and saves full-page screenshots into --work for a person to look at.

Exit status 77 (CTest's SKIP_RETURN_CODE) when no Chromium is installed. Standard library
only: the protocol runs over --remote-debugging-pipe (NUL-separated JSON on fds 3 and 4).
"""
import argparse
import base64
import collections
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

SKIP = 77


def find_chromium():
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome", "chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


class Browser:
    """One headless Chromium and one page, commanded over the DevTools pipe."""

    def __init__(self, binary, width, height):
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def wire_fds():  # the browser reads commands on fd 3 and answers on fd 4
            # Move both ends out of the way first (either may already be fd 3 or 4), then
            # place them; dup2 also clears close-on-exec, set_inheritable makes sure.
            high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_chrome_r, from_chrome_w)]
            for target, fd in zip((3, 4), high):
                os.dup2(fd, target)
                os.set_inheritable(target, True)

        self._profile = tempfile.mkdtemp(prefix="tconv-chromium-")
        self._proc = subprocess.Popen(
            [binary, "--headless", "--disable-gpu", "--no-sandbox", "--remote-debugging-pipe",
             "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
             "--user-data-dir=" + self._profile, "--window-size=%d,%d" % (width, height), "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=wire_fds, close_fds=False)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._next_id = 0
        self.events = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self._session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(domain + ".enable", session=True)
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session=True)

    def _read_message(self, deadline):
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("no answer from Chromium")
            chunk = os.read(self._from_chrome, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, params=None, session=False, timeout=30):
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self._session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError("%s: %s" % (method, reply["error"]))
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for_event(self, method, timeout=30):
        deadline = time.monotonic() + timeout
        for k, e in enumerate(self.events):
            if e.get("method") == method:
                return self.events.pop(k)
        while True:
            e = self._read_message(deadline)
            if e.get("method") == method:
                return e
            self.events.append(e)

    def open(self, url):
        self.events = [e for e in self.events if e.get("method") != "Page.loadEventFired"]
        self.call("Page.navigate", {"url": url}, session=True)
        self.wait_for_event("Page.loadEventFired")

    def js(self, expression):
        r = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True},
                      session=True)
        if "exceptionDetails" in r:
            raise RuntimeError("evaluating %r: %s" % (expression[:80], r["exceptionDetails"]))
        return r["result"].get("value")

    def errors(self):
        """JavaScript exceptions and console errors seen so far."""
        out = []
        for e in self.events:
            m, p = e.get("method"), e.get("params", {})
            if m == "Runtime.exceptionThrown":
                out.append(p["exceptionDetails"].get("exception", {}).get("description") or p["exceptionDetails"]["text"])
            elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                out.append(" ".join(str(a.get("value", a.get("description"))) for a in p.get("args", [])))
            elif m == "Log.entryAdded" and p["entry"].get("level") == "error" and p["entry"].get("source") != "network":
                out.append(p["entry"].get("text"))
        return out

    def screenshot(self, path, width):
        height = self.js("document.documentElement.scrollHeight")
        shot = self.call("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}}, session=True, timeout=60)
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        return height

    def screenshot_element(self, selector, path, width):
        """The element and everything beside it across the page's width."""
        box = self.js("(() => { const r = document.querySelector(%s).getBoundingClientRect();"
                      " return {y: r.top + window.scrollY, h: r.height}; })()" % json.dumps(selector))
        shot = self.call("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": max(0, box["y"] - 8), "width": width, "height": box["h"] + 16, "scale": 1}},
            session=True, timeout=60)
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))

    def close(self):
        try:
            self.call("Browser.close", timeout=5)
        except Exception:  # already gone: nothing to close
            pass
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
        shutil.rmtree(self._profile, ignore_errors=True)


class Checks:
    def __init__(self):
        self.failures = []

    def equal(self, what, got, want):
        if got != want:
            self.failures.append("%s: got %r, want %r" % (what, got, want))

    def true(self, what, condition):
        if not condition:
            self.failures.append(what)


def type_filter(browser, text):
    """Types into the filter box as a user would and returns (count shown, rows rendered)."""
    browser.js("""(() => { const i = document.getElementById('row-filter'); i.focus(); i.value = %s;
                 i.dispatchEvent(new Event('input', {bubbles: true})); })()""" % json.dumps(text))
    time.sleep(0.35)  # the box waits 120 ms after the last keystroke
    return table_state(browser)


def table_state(browser):
    return browser.js("""(() => ({
        count: Number(document.getElementById('table-count').getAttribute('data-count')),
        backends: Array.from(document.querySelectorAll('#rows .vt-row')).map(r => r.getAttribute('data-backend')),
        statuses: Array.from(document.querySelectorAll('#rows .vt-row')).map(r => r.getAttribute('data-status')) }))()""")


def check_page_basics(browser, checks, label, rows):
    status = browser.js("""(() => { const s = document.getElementById('report-status');
        return s && {ready: s.getAttribute('data-ready'), rows: Number(s.getAttribute('data-rows')),
                     errors: window.tconvErrors}; })()""")
    checks.true(label + ": the script finished (report-status present)", status is not None)
    if status:
        checks.equal(label + ": rows", status["rows"], len(rows))
        checks.equal(label + ": errors caught by the page", status["errors"], [])
    checks.equal(label + ": JavaScript / console errors", browser.errors(), [])


def check_smoke_report(browser, checks, report, results):
    rows = results["rows"]
    spec = lambda r: r["backend"] + ":" + r["variant"]
    browser.open("file://" + os.path.abspath(report) + "#selftest=1")
    check_page_basics(browser, checks, "smoke", rows)

    # Outcome counts: the tiles and each bar segment against results.json.
    by_status = collections.Counter(r["status"] for r in rows)
    tiles = browser.js("""Object.fromEntries(Array.from(document.querySelectorAll('#outcome-tiles [data-outcome]'))
        .map(t => [t.getAttribute('data-outcome'), Number(t.getAttribute('data-count'))]))""")
    checks.equal("tile: rows", tiles.pop("ALL", None), len(rows))
    checks.equal("tiles", {k: v for k, v in tiles.items() if v}, dict(by_status))
    segments = browser.js("""Array.from(document.querySelectorAll('#outcomes rect[data-status]')).map(r =>
        [r.getAttribute('data-backend'), r.getAttribute('data-direction'), r.getAttribute('data-status'),
         Number(r.getAttribute('data-count'))])""")
    want_segments = collections.Counter((spec(r), r["direction"], r["status"]) for r in rows)
    checks.equal("bar segments", {(b, d, s): n for b, d, s, n in segments}, dict(want_segments))

    # Every repro command rebuilt by the page equals results.json's.
    repros = json.loads(browser.js("document.getElementById('selftest-repro').value"))
    checks.equal("repro commands", [k for k, (a, b) in enumerate(zip(repros, [r["repro"] for r in rows])) if a != b][:5], [])

    # Filtering by each backend shows exactly its rows.
    per_backend = collections.Counter(spec(r) for r in rows)
    for backend, n in per_backend.items():
        state = type_filter(browser, "backend=" + backend)
        checks.equal("filter backend=%s: count" % backend, state["count"], n)
        checks.true("filter backend=%s: rendered rows are its own" % backend,
                    state["backends"] and all(b == backend for b in state["backends"]))
    failing = sum(1 for r in rows if r["status"] in ("INCORRECT", "FAILED", "TIMEOUT", "CRASHED"))
    checks.equal("filter status=failing", type_filter(browser, "status=failing")["count"], failing)
    checks.equal("filter of nothing", type_filter(browser, "no-such-case-anywhere")["count"], 0)

    # A bar segment's link lists that segment's rows.
    (backend, direction, status), n = want_segments.most_common(1)[0]
    browser.js("""document.querySelector('#outcomes rect[data-backend=%s][data-direction=%s][data-status=%s]')
        .parentNode.dispatchEvent(new MouseEvent('click', {bubbles: true}))""" % (
        json.dumps(backend), json.dumps(direction), json.dumps(status)))
    time.sleep(0.3)
    state = table_state(browser)
    checks.equal("bar link %s %s %s: count" % (backend, direction, status), state["count"], n)
    checks.true("bar link: rendered rows match", all(s == status for s in state["statuses"]))

    # Sorting by err/bound (descending after two clicks) orders the rendered rows.
    type_filter(browser, "")
    ratios = browser.js("""(() => { const th = document.querySelector('#rows .vt-th[data-key=ratio]'); th.click(); th.click();
        const k = Array.from(th.parentNode.children).indexOf(th);
        return Array.from(document.querySelectorAll('#rows .vt-row')).map(r => r.children[k].textContent); })()""")
    values = [float(v) for v in ratios if v not in ("", "inf", "nan")]
    checks.true("sorted by err/bound, descending: %s" % values[:6], values and values == sorted(values, reverse=True))

    # The heatmaps' other metric and one backend alone draw without errors.
    cells = browser.js("""(() => { const r = document.querySelector('input[name=heat-metric][value=ratio]'); r.click();
        const sel = document.querySelector('#heatmaps select'); if (sel) { sel.value = sel.options[1].value;
        sel.dispatchEvent(new Event('change')); }
        return document.querySelectorAll('#heatmaps svg.heatmap a rect').length; })()""")
    checks.true("heatmaps of the worst err/bound ratio have cells", cells > 0)

    # Selecting a row shows its details with the repro command.
    browser.js("document.querySelector('#rows .vt-row').click()")
    checks.true("row details show a repro command", (browser.js(
        "(document.getElementById('repro-text') || {}).textContent") or "").startswith("tconv "))
    checks.equal("smoke: errors after interaction", browser.errors(), [])


def check_large_report(browser, checks, report, n_rows):
    t0 = time.monotonic()
    browser.open("file://" + os.path.abspath(report))
    load_s = time.monotonic() - t0
    check_page_basics(browser, checks, "synthetic", [None] * n_rows)
    rendered = browser.js("document.querySelectorAll('#rows .vt-row').length")
    checks.true("virtual table renders a window, not every row (%d)" % rendered, 0 < rendered < 200)
    checks.true("perf section present", browser.js("!!document.getElementById('perf')"))
    checks.true("perf table has rows", browser.js("document.querySelectorAll('#perf .vt-row').length") > 0)
    # The synthetic environment records ceilings for openmp and (per data type) cudnn.
    checks.true("perf table has '% peak' columns", browser.js(
        "[...document.querySelectorAll('#perf .vt-th')].filter(e => e.dataset.key.startsWith('pk')).length") >= 2)
    checks.true("perf table has a '% copy' column for openmp", browser.js(
        "[...document.querySelectorAll('#perf .vt-th')].filter(e => e.dataset.key.startsWith('cp')).length") == 1)
    checks.true("perf rows show fractions of the measured ceiling", browser.js(
        "[...document.querySelectorAll('#perf .vt-row')].some(r => /\\d\\.\\d%/.test(r.textContent))"))
    t0 = time.monotonic()
    state = type_filter(browser, "status=failing")
    filter_s = time.monotonic() - t0
    checks.true("synthetic: filter status=failing finds rows", state["count"] > 0)
    browser.js("document.getElementById('perf-baseline').value = '2';"
               "document.getElementById('perf-baseline').dispatchEvent(new Event('change'))")
    checks.equal("synthetic: errors after interaction", browser.errors(), [])
    print("synthetic report of %d rows: loaded in %.1f s, filtered in %.2f s (incl. 0.35 s wait)" % (
        n_rows, load_s, filter_s))


def run(cmd, ok=(0,)):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode not in ok:
        sys.exit("command failed (%d): %s\n%s" % (p.returncode, " ".join(cmd), p.stdout[-3000:]))
    return p.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tconv", required=True)
    ap.add_argument("--synthetic", required=True, help="the tconv_synthetic_run tool")
    ap.add_argument("--suite", required=True)
    ap.add_argument("--work", required=True, help="run directories and screenshots go here")
    ap.add_argument("--rows", type=int, default=20000, help="rows of the synthetic run")
    ap.add_argument("--readme-screenshot", help="also save a small PNG of the smoke report's top for the README")
    args = ap.parse_args()

    chromium = find_chromium()
    if not chromium:
        print("SKIP: no Chromium (apt-get install chromium, or set CHROMIUM=/path/to/chrome)")
        return SKIP
    os.makedirs(args.work, exist_ok=True)
    smoke_dir, big_dir = os.path.join(args.work, "smoke"), os.path.join(args.work, "synthetic")
    shutil.rmtree(smoke_dir, ignore_errors=True)
    shutil.rmtree(big_dir, ignore_errors=True)

    # Exit status 1 is expected: the mutants fail, which is what the report should show.
    run([args.tconv, "run", args.suite, "--test-backends", "--backends", "naive,mutant_crop,mutant_group",
         "--jobs", "2", "--out", smoke_dir], ok=(0, 1))
    run([args.tconv, "report", smoke_dir])
    run([args.synthetic, big_dir, str(args.rows), "--perf", "--failing", "0.03"])
    run([args.tconv, "report", big_dir])
    with open(os.path.join(smoke_dir, "results.json")) as f:
        results = json.load(f)

    checks = Checks()
    browser = Browser(chromium, 1400, 1000)
    try:
        check_smoke_report(browser, checks, os.path.join(smoke_dir, "report.html"), results)
        browser.open("file://" + os.path.abspath(os.path.join(smoke_dir, "report.html")))
        h = browser.screenshot(os.path.join(args.work, "smoke_report.png"), 1400)
        print("screenshot: %s (1400x%d)" % (os.path.join(args.work, "smoke_report.png"), h))
        for section in ("outcomes", "heatmaps", "errors", "rows"):
            browser.screenshot_element("#" + section, os.path.join(args.work, "smoke_%s.png" % section), 1400)
        if args.readme_screenshot:
            shot = browser.call("Page.captureScreenshot", {"format": "png", "clip": {
                "x": 0, "y": 0, "width": 1400, "height": 1000, "scale": 0.6}}, session=True)
            with open(args.readme_screenshot, "wb") as f:
                f.write(base64.b64decode(shot["data"]))
            print("README screenshot: %s" % args.readme_screenshot)
        check_large_report(browser, checks, os.path.join(big_dir, "report.html"), args.rows)
        browser.open("file://" + os.path.abspath(os.path.join(big_dir, "report.html")))
        h = browser.screenshot(os.path.join(args.work, "synthetic_report.png"), 1400)
        print("screenshot: %s (1400x%d)" % (os.path.join(args.work, "synthetic_report.png"), h))
        for section in ("heatmaps", "errors", "perf"):
            browser.screenshot_element("#" + section, os.path.join(args.work, "synthetic_%s.png" % section), 1400)
    finally:
        browser.close()

    for f in checks.failures:
        print("FAIL:", f)
    print("browser test: %s" % ("FAILED" if checks.failures else "passed"))
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
