#!/usr/bin/env python3
"""Checks the built plugin site in headless Chromium: every page reachable from index.html renders (a title, a
heading, a non-empty body), every local link, stylesheet, script and image resolves, every #anchor exists in the
page it points to (in the DOM Chromium rendered), and no page needs anything from the network (scripts, stylesheets,
images and frames are local). External <a> links are listed, not followed.

usage: scripts/check-site.py SITE_DIR    (exit 0: all good; 1: problems, each printed)
"""
import html.parser
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# what particular pages must show, beyond the checks every page gets
EXPECTED = {
    "index.html": ["devplugin", "Configuration reference"],
    "configuration.html": ["Configuration reference", "<service><ports><port><number>", "-Ddevplugin.image.to"],
    "plugin-info.html": ["devplugin:image", "devplugin:help"],
    "image-mojo.html": ["devplugin:image", "imageTo", "devplugin.image.to"],
    "goals.html": ["Goals in depth", "devplugin:image", "devplugin:compose", "docker-compose.yml"],
}
MIN_CONFIGURATION_ROWS = 150


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.headings = []
        self.ids = set()
        self.links = []      # (tag, url)
        self.rows = 0
        self.text = []
        self._in = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if a.get(key):
                self.ids.add(a[key])
        if tag == "a" and a.get("href"):
            self.links.append(("a", a["href"]))
        elif tag == "link" and a.get("href") and any(r in (a.get("rel") or "") for r in ("stylesheet", "icon")):
            self.links.append(("link", a["href"]))
        elif tag in ("script", "img", "iframe") and a.get("src"):
            self.links.append((tag, a["src"]))
        if tag == "tr" and a.get("id"):
            self.rows += 1
        if tag in ("title", "h1", "h2", "script", "style"):
            self._in.append(tag)
            if tag in ("h1", "h2"):
                self.headings.append("")

    def handle_endtag(self, tag):
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data):
        if "title" in self._in:
            self.title += data
        elif self._in and self._in[-1] in ("h1", "h2"):
            self.headings[-1] += data
        if not self._in or self._in[-1] not in ("script", "style", "title"):
            self.text.append(data)


def render(chromium, profile, path):
    out = subprocess.run([chromium, *CHROMIUM_FLAGS, "--user-data-dir=" + profile, "--dump-dom",
                          "file://" + urllib.parse.quote(path)],
                         capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise RuntimeError("chromium exited %d: %s" % (out.returncode, out.stderr.strip()[-500:]))
    return out.stdout


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    site = os.path.realpath(sys.argv[1])
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("check-site: no chromium on PATH. Fix: apt-get install -y chromium (scripts/site.sh does).",
              file=sys.stderr)
        return 2
    start = os.path.join(site, "index.html")
    if not os.path.isfile(start):
        print("check-site: %s is missing: the site was not built." % start, file=sys.stderr)
        return 1
    problems, pages, external, fragments = [], {}, set(), []
    queue = [start]
    profile = tempfile.mkdtemp(prefix="devplugin-site-chromium-")
    try:
        while queue:
            path = queue.pop(0)
            if path in pages:
                continue
            rel = os.path.relpath(path, site)
            try:
                dom = render(chromium, profile, path)
            except (RuntimeError, subprocess.TimeoutExpired) as e:
                problems.append("%s: does not render: %s" % (rel, e))
                pages[path] = None
                continue
            page = Page()
            page.feed(dom)
            pages[path] = page
            body = " ".join(" ".join(page.text).split())
            if not page.title.strip():
                problems.append("%s: has no <title>" % rel)
            if not any(h.strip() for h in page.headings):
                problems.append("%s: has no h1/h2 heading" % rel)
            if len(body) < 200:
                problems.append("%s: renders an almost empty body (%d characters)" % (rel, len(body)))
            for expected in EXPECTED.get(rel, []):
                if expected not in body:
                    problems.append("%s: does not show %r" % (rel, expected))
            if rel == "configuration.html" and page.rows < MIN_CONFIGURATION_ROWS:
                problems.append("%s: %d key rows, expected at least %d" % (rel, page.rows, MIN_CONFIGURATION_ROWS))
            for tag, url in page.links:
                parsed = urllib.parse.urlparse(url)
                if parsed.scheme in ("http", "https", "ftp") or url.startswith("//"):
                    if tag != "a":
                        problems.append("%s: <%s> loads %s from the network" % (rel, tag, url))
                    else:
                        external.add(url)
                    continue
                if parsed.scheme in ("mailto", "javascript", "data"):
                    continue
                if parsed.scheme not in ("", "file"):
                    problems.append("%s: <%s> has an unexpected URL %s" % (rel, tag, url))
                    continue
                target = path if not parsed.path else os.path.normpath(os.path.join(
                    os.path.dirname(path), urllib.parse.unquote(parsed.path)))
                if os.path.isdir(target):
                    target = os.path.join(target, "index.html")
                if not target.startswith(site + os.sep):
                    problems.append("%s: <%s> %s points outside the site" % (rel, tag, url))
                    continue
                if not os.path.isfile(target):
                    problems.append("%s: <%s> %s: %s does not exist" % (rel, tag, url, os.path.relpath(target, site)))
                    continue
                if target.endswith(".html") and tag == "a":
                    queue.append(target)
                    if parsed.fragment:
                        fragments.append((rel, url, target, urllib.parse.unquote(parsed.fragment)))
        for rel, url, target, fragment in fragments:
            page = pages.get(target)
            if page is not None and fragment not in page.ids and fragment != "top":
                problems.append("%s: link %s: no element with id %r in %s" % (rel, url, fragment,
                                                                                 os.path.relpath(target, site)))
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    missing = [p for p in EXPECTED if os.path.join(site, p) not in pages]
    for p in missing:
        problems.append("%s: not reachable from index.html" % p)
    print("check-site: %d pages rendered in Chromium, %d local anchors checked, %d external links not followed"
          % (len(pages), len(fragments), len(external)))
    for p in dict.fromkeys(problems):
        print("check-site: PROBLEM: " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
