"""Suite-wide rules for the pytest-odoo run; an unexpected skip is a failure.

Odoo skips, rather than fails, a browser test when Chromium or
websocket-client is missing or Chromium does not start in time; CI must not
take such a run for green. A test that may legitimately skip says so with
``@pytest.mark.allow_skip``.
"""

import pytest

from odoo.tests.common import BaseCase

# Odoo gives tags and a module only to test classes under `odoo.addons.*`;
# these top-level tests run on an installed database, as post-install tests
# of billing_followup.
BaseCase.test_tags = {"standard", "post_install"}
BaseCase.test_module = "billing_followup"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "allow_skip: the test may be skipped without failing the run"
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not item.get_closest_marker("allow_skip"):
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else ""
        report.outcome = "failed"
        report.longrepr = f"unexpected skip (counted as a failure): {reason}"
