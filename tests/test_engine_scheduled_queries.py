"""A scheduled run (each customer's own clock) and its thank-you pass cost
the same queries for a batch of 8 customers as for a batch of 2."""

import gc
from datetime import datetime, time

from odoo.tests import freeze_time

from .followup_common import FollowupEngineCommon, day


class TestEngineScheduledQueries(FollowupEngineCommon):
    def setUp(self):
        super().setUp()
        self.sequence.write({"send_hour_from": 0.0, "send_hour_to": 24.0})
        self._enable_thanks()

    def _customers(self, tag, count):
        return self.env["res.partner"].create(
            [
                {
                    "name": f"S{tag}-{i}",
                    "email": f"s{i}@s.example",
                    "tz": "Europe/Paris",
                }
                for i in range(count)
            ]
        )

    def _scheduled_queries(self, customers, on):
        """Queries of a scheduled run at noon UTC on `on`, read cold, so
        that the count depends on neither the test order nor the garbage
        collector: the record cache, the environments no one holds any more
        (an environment caches its `companies`; whether an earlier run's
        was still alive was left to the collector) and the registry's
        caches (ormcache, an LRU that a full suite fills) are all emptied."""
        self.env.flush_all()
        self.env.invalidate_all()
        gc.collect()
        self.env.registry.clear_all_caches()
        before = self.env.cr.sql_log_count
        with freeze_time(datetime.combine(on, time(12, 0))):
            counts = self.engine._run(partners=customers)
            self.env.flush_all()
        return counts, self.env.cr.sql_log_count - before

    def _remind(self, tag, count, on):
        customers = self._customers(tag, count)
        for customer in customers:
            self._invoice(customer, 100.0, day(-40), day(-2))
        counts, queries = self._scheduled_queries(customers, on)
        self.assertEqual(counts["emails"], count)
        return customers, queries

    def _thank(self, tag, count, on):
        customers = self._customers(tag, count)
        invoices = [
            self._invoice(customer, 100.0, day(-40), day(-2)) for customer in customers
        ]
        self.engine._run(date=day(0), partners=customers)
        for invoice in invoices:
            self._pay(invoice, date=day(1))
        counts, queries = self._scheduled_queries(customers, on)
        self.assertEqual(counts["thanks"], count)
        return queries

    def test_reminders_do_not_read_each_customer_alone(self):
        self._remind("warm", 2, day(0))
        _customers, two = self._remind("two", 2, day(0))
        _customers, eight = self._remind("eight", 8, day(0))
        # a query per customer would add 6 or more
        self.assertEqual(eight, two)

    def test_thanks_do_not_read_each_customer_alone(self):
        self._thank("warm", 2, day(2))
        two = self._thank("two", 2, day(2))
        eight = self._thank("eight", 8, day(2))
        self.assertEqual(eight, two)
