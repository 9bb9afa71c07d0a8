"""Fault injection with real parts: the database connection of a run is
killed half-way, and the run started again neither loses nor repeats."""

import contextlib
from unittest.mock import patch

import psycopg2

from odoo.tests import TransactionCase
from odoo.tools import mute_logger

from odoo.addons.billing_followup.models import billing_followup_engine

from .committed_data import CommittedCustomers, main_company_env


class TestKilledConnection(TransactionCase):
    def setUp(self):
        super().setUp()
        self.data = CommittedCustomers(self.env.cr.dbname, 3, "Killed run").create(self)
        self.db = self.data.db

    def _run(self, cr):
        """The scheduled run of the main company, committing per customer."""
        env = main_company_env(cr)
        customers = env["res.partner"].browse(self.data.partner_ids)
        with patch.object(billing_followup_engine, "COMMIT_EVERY", 1):
            return env["billing.followup.engine"]._run_batches(
                self.data.today, customers, commit=True
            )

    def test_connection_killed_half_way_then_rerun(self):
        cr_run = self.db.cursor()
        cr_run.execute("SELECT pg_backend_pid()")
        [(pid,)] = cr_run.fetchall()
        engine_class = type(self.env["billing.followup.engine"])
        send = engine_class._send_emails
        batches = []

        def kill_at_second_customer(engine, events):
            if events:
                batches.append(events.partner_id.ids)
            if len(batches) == 2:
                with self.db.cursor() as killer:
                    killer.execute("SELECT pg_terminate_backend(%s)", [pid])
            return send(engine, events)

        with (
            patch.object(engine_class, "_send_emails", kill_at_second_customer),
            patch.object(billing_followup_engine, "BATCH_SIZE", 1),
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.Error),
        ):
            self._run(cr_run)
        with contextlib.suppress(psycopg2.Error):
            cr_run.close()
        with self.db.cursor() as cr:
            done = self.data.emails_per_customer(cr)
        self.assertEqual(sorted(done.values()), [(0, 0), (0, 0), (1, 1)])

        with self.db.cursor() as cr:
            counts = self._run(cr)
        self.assertEqual(counts["emails"], 2)
        with self.db.cursor() as cr:
            done = self.data.emails_per_customer(cr)
        self.assertEqual(set(done.values()), {(1, 1)}, "each customer once")
