"""Scheduled invoices of contracts: a year without gap or duplicate, reruns,
the database guard, the one-change rule and the scheduled action."""

from datetime import date, timedelta
from itertools import pairwise
from unittest.mock import patch

from psycopg2.errors import UniqueViolation

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import freeze_time
from odoo.tools import mute_logger

from odoo.addons.billing_followup.tools import billing_schedule

from .contract_common import ContractCommon


class TestScheduleFunction(ContractCommon):
    """The plain-Python period computation."""

    def test_periods_are_contiguous_and_anchored(self):
        periods = billing_schedule.periods(
            date(2026, 1, 31), "monthly", until=date(2026, 12, 31)
        )
        self.assertEqual(len(periods), 12)
        self.assertEqual(periods[0].end, date(2026, 2, 27))
        self.assertEqual(periods[1].start, date(2026, 2, 28))
        self.assertEqual(periods[2].start, date(2026, 3, 31))  # no drift to the 28th
        for before, after in pairwise(periods):
            self.assertEqual(before.end + timedelta(days=1), after.start)

    def test_billing_day_follows_client_cycle(self):
        # monthly on the 25th: a period starting on the 1st is billed the 25th
        self.assertEqual(
            billing_schedule.billing_date(date(2026, 2, 1), "monthly", 25),
            date(2026, 2, 25),
        )
        # a day past the month's end is clamped (31 -> 28 February)
        self.assertEqual(
            billing_schedule.billing_date(date(2026, 2, 1), "monthly", 31),
            date(2026, 2, 28),
        )
        # billing day before the period's start day: next month
        self.assertEqual(
            billing_schedule.billing_date(date(2026, 2, 10), "quarterly", 5),
            date(2026, 3, 5),
        )
        # weekly on Fridays (4)
        self.assertEqual(
            billing_schedule.billing_date(date(2026, 1, 5), "weekly", weekday=4),
            date(2026, 1, 9),
        )

    def test_end_date_cuts_the_last_period(self):
        periods = billing_schedule.periods(
            date(2026, 1, 1), "quarterly", until=date(2027, 1, 1), end=date(2026, 8, 15)
        )
        self.assertEqual([p.start.month for p in periods], [1, 4, 7])
        self.assertEqual(periods[-1].end, date(2026, 8, 15))
        with self.assertRaises(ValueError):
            billing_schedule.periods(
                date(2026, 1, 1), "milestone", until=date(2026, 2, 1)
            )


class TestScheduledInvoices(ContractCommon):
    def _run_year(self, contracts, start, days=365):
        invoices = self.env["account.move"]
        for offset in range(days):
            invoices |= contracts._generate_invoices(start + timedelta(days=offset))
        return invoices

    def assertContiguous(self, contract, first, last):
        periods = contract.period_ids.sorted("date_start")
        self.assertEqual(periods[0].date_start, first)
        self.assertGreaterEqual(periods[-1].date_end, last)
        for before, after in pairwise(periods):
            self.assertEqual(before.date_end + timedelta(days=1), after.date_start)
        self.assertEqual(len(periods.move_id), len(periods))

    def test_year_weekly_monthly_quarterly(self):
        weekly = self._contract(
            billing_schedule="weekly", billing_weekday="4", amount=200.0
        )
        monthly = self._contract(billing_day=25)
        quarterly = self._contract(billing_schedule="quarterly", amount=2900.0)
        contracts = weekly | monthly | quarterly
        start = date(2026, 1, 1)
        invoices = self._run_year(contracts, start)
        # every day of 2026 is billed exactly once per contract; the weekly
        # periods start on Thursdays (1 January), billed on Fridays, so the
        # period starting on 31 December is billed on 1 January 2027
        self.assertEqual(len(weekly.invoice_ids), 52)
        self.assertEqual(len(monthly.invoice_ids), 12)
        self.assertEqual(len(quarterly.invoice_ids), 4)
        self.assertEqual(len(invoices), 68)
        self.assertContiguous(weekly, start, date(2026, 12, 30))
        self.assertEqual(weekly.next_billing_date, date(2027, 1, 1))
        self.assertContiguous(monthly, start, date(2026, 12, 31))
        self.assertContiguous(quarterly, start, date(2026, 12, 31))
        # issued on the client's billing day, period in the description
        march = monthly.period_ids.filtered(lambda p: p.date_start.month == 3).move_id
        self.assertEqual(march.invoice_date, date(2026, 3, 25))
        self.assertIn("03/01/2026", march.invoice_line_ids.name)
        self.assertIn("03/31/2026", march.invoice_line_ids.name)
        self.assertEqual(march.amount_untaxed, 1000.0)
        self.assertEqual(march.state, "draft")
        self.assertEqual(march.billing_contract_id, monthly)
        self.assertEqual(march.invoice_payment_term_id, self.term_30)
        fridays = weekly.invoice_ids.mapped("invoice_date")
        self.assertTrue(all(day.weekday() == 4 for day in fridays))
        # the next period is the first of 2027
        self.assertEqual(monthly.next_billing_date, date(2027, 1, 25))

    def test_rerun_same_day_and_catch_up(self):
        contract = self._contract(invoice_state="posted")
        first = contract._generate_invoices(date(2026, 3, 10))
        # missed January to March are caught up at once, posted
        self.assertEqual(len(first), 3)
        self.assertEqual(set(first.mapped("state")), {"posted"})
        self.assertFalse(contract._generate_invoices(date(2026, 3, 10)))
        self.assertFalse(
            self.env["billing.contract"]
            ._generate_invoices(date(2026, 3, 10))
            .filtered(lambda move: move.billing_contract_id == contract)
        )
        # deleting a draft does not make its period billable again
        contract.invoice_state = "draft"
        april = contract._generate_invoices(date(2026, 4, 1))
        april.unlink()
        self.assertFalse(contract._generate_invoices(date(2026, 4, 2)))
        self.assertEqual(len(contract.period_ids), 4)

    def test_database_refuses_a_second_invoice_for_a_period(self):
        contract = self._contract()
        contract._generate_invoices(date(2026, 1, 1))
        # the schedule writes the ledger in sudo; no group may write it
        with mute_logger("odoo.sql_db"), self.assertRaises(UniqueViolation):
            self.env["billing.contract.period"].sudo().create(
                {
                    "contract_id": contract.id,
                    "date_start": date(2026, 1, 1),
                    "date_end": date(2026, 1, 31),
                    "billing_date": date(2026, 1, 1),
                }
            )

    def test_unsigned_closed_and_ended_contracts_are_not_billed(self):
        draft = self._contract(sign=False)
        closed = self._contract()
        closed.action_close()
        ended = self._contract(date_end=date(2026, 2, 15))
        hourly = self._contract(billing_method="hourly", hourly_rate=90.0)
        invoices = (draft | closed | ended | hourly)._generate_invoices(
            date(2026, 6, 1)
        )
        self.assertEqual(invoices.billing_contract_id, ended)
        self.assertEqual(len(invoices), 2)
        self.assertEqual(ended.period_ids[-1].date_end, date(2026, 2, 15))
        self.assertFalse(ended.next_billing_date)

    def test_schedule_moves_once(self):
        contract = self._contract(billing_day=1)
        contract._generate_invoices(date(2026, 2, 1))
        contract.billing_schedule = "monthly"  # not a change
        self.assertEqual(contract.schedule_change_count, 0)
        contract.billing_day = 25
        self.assertEqual(contract.schedule_change_count, 1)
        with self.assertRaisesRegex(UserError, "already moved once.*contract terms"):
            contract.billing_schedule = "quarterly"
        self.assertEqual(contract.billing_schedule, "monthly")
        # the periods stay contiguous after the change
        contract._generate_invoices(date(2026, 3, 31))
        self.assertContiguous(contract, date(2026, 1, 1), date(2026, 3, 31))
        self.assertEqual(
            contract.period_ids.sorted("date_start")[-1].billing_date, date(2026, 3, 25)
        )

    def test_draft_contract_schedule_changes_freely(self):
        contract = self._contract(sign=False)
        contract.billing_schedule = "weekly"
        contract.billing_schedule = "quarterly"
        self.assertEqual(contract.schedule_change_count, 0)

    def test_scheduled_action(self):
        contract = self._contract(billing_schedule="quarterly")
        cron = self.env.ref("billing_followup.ir_cron_billing_contract_invoices")
        with freeze_time("2026-04-02"), self.enter_registry_test_mode():
            cron.method_direct_trigger()
            cron.method_direct_trigger()
        self.assertEqual(len(contract.invoice_ids), 2)
        self.assertEqual(
            contract.period_ids.mapped("date_start"),
            [date(2026, 1, 1), date(2026, 4, 1)],
        )

    def test_scheduled_action_survives_a_failing_contract(self):
        broken = self._contract()
        healthy = self._contract()
        Contract = type(self.env["billing.contract"])
        original = Contract._generate_period_invoices

        def generate(contract, day):
            if contract == broken:
                raise UserError("no product account")
            return original(contract, day)

        cron = self.env.ref("billing_followup.ir_cron_billing_contract_invoices")
        with (
            patch.object(Contract, "_generate_period_invoices", generate),
            mute_logger(
                "odoo.addons.billing_followup.models.billing_contract_schedule"
            ),
            freeze_time("2026-02-02"),
            self.enter_registry_test_mode(),
        ):
            cron.method_direct_trigger()
        self.assertEqual(len(healthy.invoice_ids), 2)
        self.assertFalse(broken.invoice_ids)
        self.assertFalse(broken.period_ids)

    def test_approved_extra_work_joins_the_next_invoice(self):
        contract = self._contract()
        contract._generate_invoices(date(2026, 1, 1))
        change = self.env["billing.scope.change"].create(
            {"contract_id": contract.id, "name": "Extra landing page", "amount": 350.0}
        )
        change.write({"approval_date": date(2026, 1, 20), "approval_note": "email"})
        change.action_approve()
        invoice = contract._generate_invoices(date(2026, 2, 1))
        extra = invoice.invoice_line_ids.filtered("billing_out_of_scope")
        self.assertEqual(extra.billing_scope_change_id, change)
        self.assertEqual((change.on_invoice, change.invoiced), (True, False))
        self.assertEqual(invoice.amount_untaxed, 1350.0)
        invoice.action_post()
        self.assertTrue(change.invoiced, "invoiced once its invoice is posted")
        self.assertFalse(
            contract._generate_invoices(date(2026, 3, 1)).invoice_line_ids.filtered(
                "billing_out_of_scope"
            )
        )


class TestMilestones(ContractCommon):
    def test_delivered_milestone_billed_once_in_contract_currency(self):
        eur = self.setup_other_currency("EUR")
        contract = self._contract(
            billing_method="milestone",
            billing_schedule="milestone",
            currency_id=eur.id,
            deliverable_ids=[
                Command.create({"name": "Wireframes", "amount": 1500.0}),
                Command.create({"name": "Launch", "amount": 2500.0}),
            ],
        )
        wireframes, launch = contract.deliverable_ids
        with self.assertRaisesRegex(UserError, "once it is delivered"):
            wireframes.action_invoice()
        wireframes.delivered = True
        wireframes.action_invoice()
        invoice = wireframes.move_id
        self.assertEqual(invoice.billing_contract_id, contract)
        self.assertEqual(invoice.currency_id, eur)
        self.assertEqual(invoice.amount_untaxed, 1500.0)
        with self.assertRaisesRegex(UserError, "already billed"):
            wireframes.action_invoice()
        # milestones are not on the periodic schedule
        self.assertFalse(contract._generate_invoices(date(2026, 6, 1)))
        self.assertFalse(contract.next_billing_date)
        self.assertFalse(launch.move_id)


class TestScheduledPosting(ContractCommon):
    def test_refused_posting_leaves_a_draft_with_the_reason(self):
        contract = self._contract(invoice_state="posted", completeness_blocking=True)
        self.company.partner_id.phone = False
        invoice = contract._generate_invoices(date(2026, 1, 1))
        self.assertEqual(invoice.state, "draft")
        self.assertIn("our company phone", invoice.message_ids[0].body)
        self.company.partner_id.phone = "+1 555 0100"
        # the period stays billed: the next run does not create it again
        self.assertFalse(contract._generate_invoices(date(2026, 1, 2)))
