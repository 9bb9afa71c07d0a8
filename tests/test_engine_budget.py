"""A run never outlasts the scheduled action's time: it commits as it goes,
stops when the time Odoo gives it is used, and re-triggers itself."""

from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.addons.base.models import ir_cron
from odoo.addons.billing_followup.models import billing_followup_engine

from .followup_common import FollowupEngineCommon, day


class TestRunBudget(FollowupEngineCommon):
    def test_run_out_of_time_resumes_and_sends_nothing_twice(self):
        self.customer.tz = "UTC"
        customers = self.customer
        for n in range(4):
            customers |= self.customer.copy({"name": f"Customer {n}"})
        for customer in customers:
            self._invoice(customer, 100.0, day(-40), day(1))
        cron = self.env.ref("billing_followup.ir_cron_billing_followup")
        Trigger = self.env["ir.cron.trigger"]
        reminded = []
        with (
            # Odoo gives the job no time: it stops after each commit.
            patch.object(ir_cron, "MIN_TIME_PER_JOB", 0),
            patch.object(ir_cron, "MIN_RUNS_PER_JOB", 1),
            patch.object(billing_followup_engine, "COMMIT_EVERY", 2),
            freeze_time(datetime(2026, 3, 5, 10, 0)),
        ):
            for _run in range(6):
                Trigger.search([("cron_id", "=", cron.id)]).unlink()
                with self.enter_registry_test_mode():
                    cron.method_direct_trigger()
                reminded.append(len(self._events(customers, kind="email")))
                if reminded[-1] == len(customers):
                    break
                self.assertTrue(
                    Trigger.search([("cron_id", "=", cron.id)]),
                    "a run that stopped early re-triggers itself",
                )
        self.assertEqual(reminded[0], 2, reminded)
        self.assertEqual(reminded[-1], 5, reminded)
        self.assertGreaterEqual(len(reminded), 3, reminded)
        mails = self._events(customers, kind="email").mail_id
        self.assertEqual(len(mails), 5)
        self.assertEqual(mails.recipient_ids, customers, "one mail each")
