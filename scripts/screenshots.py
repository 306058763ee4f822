#!/usr/bin/env python3
"""Screenshots of the main pages at a desktop's width (1280 px) and a phone's (390 px) for
the README, with the tests' Chromium.

Serves the app with Django's runserver on a free loopback port against the configured
database (loading the demo world first) and writes PNGs to docs/.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

# name: (path, viewport width, height). Each page at a desktop's width and a phone's.
PAGES = {
    "person": "/people/andrej-karpathy/",
    "company": "/companies/anthropic/",
    "search": "/search/?q=Karpaty",
    "moves": "/moves/?company=Anthropic&start=2024-01",
    "companies": "/companies/?sort=joined",
    "flows": "/companies/openai/flows/?start=2015-01&end=2025-12&by=year",
}
SHOTS = {}
for _name, _path in PAGES.items():
    SHOTS[f"{_name}.png"] = (_path, 1280, 900)
    SHOTS[f"{_name}-phone.png"] = (_path, 390, 844)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, check=True
    )
    subprocess.run([sys.executable, "manage.py", "loaddemo", "-v0"], cwd=ROOT, check=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            for name, (path, width, height) in SHOTS.items():
                page = browser.new_page(
                    viewport={"width": width, "height": height}, device_scale_factor=1
                )
                page.goto(base + path)
                target = ROOT / "docs" / name
                page.screenshot(path=str(target), full_page=False)
                print(f"screenshot: {target.relative_to(ROOT)} ({path})")
            browser.close()
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
