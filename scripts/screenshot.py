"""Screenshots of Odoo pages as a logged-in user, with headless Chromium.

Usage (Odoo must already serve the database on BASE):
    .venv/bin/python scripts/screenshot.py --base http://127.0.0.1:8069 \\
        --login admin --password admin \\
        "/odoo/action-account.action_move_out_invoice_type" invoices.png \\
        "/odoo/contacts/7" partner.png

Pairs of (path, PNG file) follow the options; one Chromium, one login.
Drives Chromium through its DevTools protocol (websocket-client).
"""

import argparse
import base64
import itertools
import json
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import websocket

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",
]


class Browser:
    def __init__(self, width, height):
        self.profile = tempfile.mkdtemp(prefix="bf-chromium-")
        self.process = subprocess.Popen(
            ["chromium", *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = Path(self.profile, "DevToolsActivePort")
        for _ in range(100):
            if port_file.exists() and port_file.read_text().strip():
                break
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/json/new?about:blank", method="PUT"
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            target = json.load(response)
        self.ws = websocket.create_connection(
            target["webSocketDebuggerUrl"], timeout=30
        )
        self.ids = itertools.count(1)
        self.call("Page.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def call(self, method, **params):
        call_id = next(self.ids)
        self.ws.send(json.dumps({"id": call_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == call_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True
        )
        return result.get("result", {}).get("value")

    def wait_for(self, expression, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.evaluate(expression):
                return True
            time.sleep(0.25)
        return False

    def goto(self, url):
        self.call("Page.navigate", url=url)
        time.sleep(0.5)
        self.wait_for("document.readyState === 'complete'")

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", format="png")["data"]
        Path(path).write_bytes(base64.b64decode(data))

    def close(self):
        self.ws.close()
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8069")
    parser.add_argument(
        "--login", default="admin", help='"" to browse as a visitor (signed links)'
    )
    parser.add_argument("--password", default="admin")
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--wait", type=float, default=2.0, help="seconds after load")
    parser.add_argument("pairs", nargs="+", help="path PNG [path PNG ...]")
    args = parser.parse_args()
    if len(args.pairs) % 2:
        parser.error("give pairs of (path, PNG file)")
    browser = Browser(args.width, args.height)
    try:
        if args.login:
            browser.goto(f"{args.base}/web/login")
            browser.evaluate(
                f"document.querySelector('#login').value = {json.dumps(args.login)};"
                f"document.querySelector('#password').value = "
                f"{json.dumps(args.password)};"
                "document.querySelector('form.oe_login_form').submit();"
            )
            time.sleep(1)
            browser.wait_for("!document.querySelector('form.oe_login_form')")
        for path, png in zip(args.pairs[::2], args.pairs[1::2], strict=True):
            browser.goto(args.base + path)
            # The first visit builds the asset bundles: allow for it.
            browser.wait_for(
                "document.querySelector('.o_action_manager > .o_view_controller,"
                " .o_action_manager > .o_action, .o_portal_wrap, .o_report_layout')"
                " !== null",
                timeout=90,
            )
            time.sleep(args.wait)
            browser.screenshot(png)
            print(f"{png}: {path}")
    finally:
        browser.close()


if __name__ == "__main__":
    main()
