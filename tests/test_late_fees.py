"""Late fees charged by the run: real invoices, payments and fee invoices."""

from datetime import date, timedelta
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, freeze_time, new_test_user

from .followup_common import FollowupEngineCommon, day

POLICY = "billing.late.fee.policy"
DAY = timedelta(days=1)


class TestLateFees(FollowupEngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fee_product = cls.env["product.product"].create(
            {"name": "Late payment fee", "type": "service", "taxes_id": []}
        )
        cls.policy = cls.env[POLICY].create(
            {
                "name": "Contract fee",
                "company_id": cls.company.id,
                "kind": "fixed",
                "fixed_amount": 40.0,
                "product_id": cls.fee_product.id,
            }
        )
        cls.sequence.late_fee_policy_id = cls.policy
        cls.steps[14].apply_late_fee = True

    def _fees(self, partner=None):
        return self.env["account.move"].search(
            [
                ("billing_fee_policy_id", "!=", False),
                ("partner_id", "in", (partner or self.customer).ids),
            ],
            order="id",
        )

    def _ladder(self, *days, partners=None):
        counts = [self._run(day(n), partners) for n in days]
        return counts[-1]

    def test_fixed_fee_once_at_the_fee_step(self):
        invoice = self._invoice(self.customer, 1000.0, day(-30), day(0))
        self._ladder(1, 7, 13)
        self.assertFalse(self._fees(), "no fee before the fee step")
        counts = self._run(day(14))
        fee = self._fees()
        self.assertEqual(counts["fees"], 1)
        self.assertEqual(fee.state, "posted")
        self.assertEqual(fee.move_type, "out_invoice")
        self.assertEqual(fee.amount_total, 40.0)
        self.assertEqual(fee.invoice_date, day(14))
        self.assertEqual(fee.billing_fee_source_ids, invoice)
        self.assertEqual(invoice.billing_fee_ids, fee)
        self.assertEqual(invoice.billing_fee_count, 1)
        self.assertIn(invoice.name, fee.invoice_line_ids.name)
        self.assertIn("14 days", fee.invoice_line_ids.name)
        event = self._events(kind="fee")
        self.assertEqual(event.move_ids, fee)
        self.assertEqual(
            event.key, f"fee:{self.steps[14].id}:{day(0)}:0:{fee.currency_id.id}"
        )
        # reruns and later days never charge again
        self._ladder(14, 15, 21, 40)
        self.assertEqual(self._fees(), fee)
        self.assertEqual(len(self._events(kind="fee")), 1)

    def test_paid_within_grace_owes_nothing(self):
        self.policy.grace_days = 20
        invoice = self._invoice(self.customer, 1000.0, day(-30), day(0))
        self._ladder(1, 7, 14, 20)
        self.assertFalse(self._fees())
        self._pay(invoice, date=day(20))
        self._ladder(21, 30)
        self.assertFalse(self._fees())

    def test_no_fee_on_a_disputed_invoice(self):
        kept = self._invoice(self.customer, 1000.0, day(-30), day(0))
        disputed = self._invoice(self.customer, 500.0, day(-30), day(0))
        disputed.billing_disputed = True
        self._ladder(1, 7, 14)
        self.assertEqual(self._fees().billing_fee_source_ids, kept)
        self.assertEqual(len(self._fees().invoice_line_ids), 1)

    def test_contract_policy_prevails_then_customer(self):
        customer_policy = self.policy.copy({"name": "Customer", "fixed_amount": 25.0})
        self.customer.with_company(
            self.company
        ).billing_late_fee_policy_id = customer_policy
        self._invoice(self.customer, 1000.0, day(-30), day(0))
        self._ladder(1, 7, 14)
        self.assertEqual(self._fees().amount_total, 25.0)
        self.assertEqual(self._fees().billing_fee_policy_id, customer_policy)

    def test_notice_days_after_the_announcing_message(self):
        """The day-7 step announced the fee: with 10 notice days, the fee of
        the day-14 step waits until day 17."""
        self.policy.notice_days = 10
        self._invoice(self.customer, 1000.0, day(-30), day(0))
        self._ladder(1, 7, 14, 16)
        self.assertFalse(self._fees())
        self._run(day(17))
        self.assertEqual(self._fees().amount_total, 40.0)

    def test_monthly_interest_three_months_charged_three_times(self):
        self.policy.write(
            {
                "kind": "interest",
                "fixed_amount": 0.0,
                "annual_rate": 12.0,
                "recurrence": "monthly",
            }
        )
        self._invoice(self.customer, 1000.0, day(-30), day(0))
        self._ladder(1, 7)
        # the fee step on 16 March, then runs up to the eve of 16 June
        for on in (
            "2026-03-16",
            "2026-03-17",
            "2026-04-15",
            "2026-04-16",
            "2026-04-17",
            "2026-05-16",
            "2026-06-15",
        ):
            self._run(date.fromisoformat(on))
        fees = self._fees()
        self.assertEqual(
            fees.mapped("invoice_date"),
            [date(2026, 3, 16), date(2026, 4, 16), date(2026, 5, 16)],
        )
        # 14 days, then 31 and 30 days since the previous charge, at 12 %
        self.assertEqual(fees.mapped("amount_total"), [4.6, 10.19, 9.86])

    def test_a_customer_on_credit_hold_is_still_charged_its_fee(self):
        """The hold stops new work, not the fee the contract announced."""
        self._invoice(self.customer, 1000.0, day(-30), day(0))
        self._ladder(1, 7)
        self.customer.with_company(self.company).with_context(
            billing_stage_reason="Late"
        ).billing_stage_id = self.env.ref("billing_followup.stage_credit_hold")
        self.assertTrue(self.customer.with_company(self.company).billing_credit_hold)
        counts = self._run(day(14))
        self.assertEqual(counts["fees"], 1)
        self.assertEqual(self._fees().state, "posted")
        self.assertFalse(counts.get("failed"))

    def _monthly_interest(self, **values):
        self.policy.write(
            {
                "kind": "interest",
                "fixed_amount": 0.0,
                "annual_rate": 12.0,
                "recurrence": "monthly",
                **values,
            }
        )

    def test_the_cap_bounds_the_total_of_monthly_charges(self):
        """4.60, 10.19, then the 5.21 left under a cap of 20 in the third
        month; the fourth month charges nothing."""
        self._monthly_interest(max_fee_amount=20.0)
        invoice = self._invoice(self.customer, 1000.0, day(-30), day(0))
        self._ladder(1, 7)
        for on in ("2026-03-16", "2026-04-16", "2026-05-16", "2026-06-16"):
            self._run(date.fromisoformat(on))
        fees = self._fees()
        self.assertEqual(fees.mapped("amount_total"), [4.6, 10.19, 5.21])
        self.assertIn("capped by the policy", fees[2].invoice_line_ids.name)
        self.assertEqual(
            fees.invoice_line_ids.billing_fee_source_line_id,
            invoice.line_ids.filtered(lambda line: line.debit),
        )

    def test_a_waived_fee_leaves_room_under_the_cap(self):
        self._monthly_interest(max_fee_amount=20.0)
        self._invoice(self.customer, 1000.0, day(-30), day(0))
        self._ladder(1, 7)
        for on in ("2026-03-16", "2026-04-16"):
            self._run(date.fromisoformat(on))
        self._fees()[1]._billing_waive_fees("Goodwill")
        self._run(date(2026, 5, 16))
        self.assertEqual(self._fees()[2].amount_total, 9.86, "4.60 + 9.86 < 20")

    def _broken_plan(self, started, instalment, broken):
        """A plan over the customer's invoice from `started`, its first
        instalment (500) on `instalment` never paid: broken on `broken`."""
        invoice = self._fees().billing_fee_source_ids
        plan = self.env["billing.payment.plan"].create(
            {
                "partner_id": self.customer.id,
                "move_ids": [Command.set(invoice.ids)],
                "tolerance_days": 5,
                "line_ids": [
                    Command.create({"date": instalment, "amount": 500.0}),
                    Command.create({"date": instalment + 30 * DAY, "amount": 500.0}),
                ],
            }
        )
        with freeze_time(started):
            plan.action_start()
        self._run(broken - DAY)
        self.assertEqual(plan.state, "running")
        self._run(broken)
        self.assertEqual((plan.state, plan.date_broken), ("broken", broken))
        return plan

    def test_after_a_broken_plan_interest_counts_from_the_break_only(self):
        """Charged 14 days on 16 March; a plan from 17 March breaks on 28
        March: the April charge counts the 19 days since the break, not the
        31 since March (10.19)."""
        self._monthly_interest()
        self._invoice(self.customer, 1000.0, day(-30), day(0))
        self._ladder(1, 7, 14)
        self.assertEqual(self._fees().amount_total, 4.6)
        self._broken_plan(day(15), day(20), day(26))
        self._run(date(2026, 4, 16))
        fees = self._fees()
        self.assertEqual(fees.mapped("amount_total"), [4.6, 6.25])
        self.assertIn("overdue 45 days", fees[1].invoice_line_ids.name)
        self.assertIn("interest 19 days", fees[1].invoice_line_ids.name)

    def test_a_policy_may_charge_nothing_after_a_broken_plan(self):
        self._monthly_interest(after_broken_plan=False)
        self._invoice(self.customer, 1000.0, day(-30), day(0))
        self._ladder(1, 7, 14)
        self._broken_plan(day(15), day(20), day(26))
        for on in ("2026-04-16", "2026-05-16"):
            self._run(date.fromisoformat(on))
        self.assertEqual(len(self._fees()), 1)

    def test_the_preview_lists_the_fees_it_would_charge(self):
        """The 30-day preview shows the fee of the day-14 step, with its
        amount and invoice, and a monthly charge on a day without a step."""
        self._monthly_interest(fixed_amount=40.0)
        invoice = self._invoice(self.customer, 1000.0, day(-30), day(0))
        self._ladder(1, 7)
        with freeze_time(day(7)):
            preview = self.env["billing.followup.run.preview"].create(
                {"date": day(8), "days": 45}
            )
            preview.action_compute()
        lines = preview.line_ids.filtered(lambda ln: ln.partner_id == self.customer)
        rows = [(line.date, line.step_id, line.fees) for line in lines]
        self.assertEqual(
            rows,
            [
                (day(14), self.steps[14], f"$\xa044.60 on {invoice.name}"),
                (day(21), self.steps[21], False),
                (
                    date(2026, 4, 16),
                    self.env["billing.followup.step"],
                    f"$\xa010.19 on {invoice.name}",
                ),
            ],
        )
        self.assertFalse(self._fees(), "a preview charges nothing")

    def test_crash_half_way_and_rerun_charge_once(self):
        other = self.env["res.partner"].create(
            {"name": "Birch Bakery", "email": "ap@birch.example"}
        )
        customers = self.customer | other
        for customer in customers:
            self._invoice(customer, 1000.0, day(-30), day(0))
        self._ladder(1, 7, partners=customers)
        Policy = type(self.env[POLICY])
        post = Policy._post_fee_invoices

        def crash_for_orchid(policy, dues):
            if any(partner_id == self.customer.id for partner_id, *_r in dues):
                raise RuntimeError("worker died")
            return post(policy, dues)

        with patch.object(Policy, "_post_fee_invoices", crash_for_orchid):
            counts = self._run(day(14), customers)
        self.assertEqual(counts["fees"], 1)
        self.assertFalse(self._fees(), "the failed customer's fee rolled back")
        self.assertFalse(self._events(kind="fee", state="done"))
        self.assertEqual(len(self._fees(other)), 1)
        self._ladder(14, 15, partners=customers)
        self.assertEqual(len(self._fees()), 1)
        self.assertEqual(len(self._fees(other)), 1)

    def test_manager_waives_with_a_reason_user_may_not(self):
        self._invoice(self.customer, 1000.0, day(-30), day(0))
        self._ladder(1, 7, 14)
        fee = self._fees()
        clerk = new_test_user(
            self.env,
            "fee_clerk",
            groups="account.group_account_invoice,"
            "billing_followup.billing_followup_group_user",
            company_id=self.company.id,
        )
        self.assertEqual(
            fee.with_user(clerk).billing_fee_source_ids.ids,
            fee.billing_fee_source_ids.ids,
        )
        with self.assertRaises(AccessError):
            fee.with_user(clerk)._billing_waive_fees("kind")
        manager = new_test_user(
            self.env,
            "fee_manager",
            groups="account.group_account_invoice,"
            "billing_followup.billing_followup_group_manager",
            company_id=self.company.id,
        )
        action = fee.with_user(manager).action_billing_waive_fee()
        self.assertEqual(action["name"], "Waive Late Fee")
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(manager)
            .with_context(action["context"])
        )
        wizard.reason = "First delay of a good client"
        wizard.save().action_waive()
        self.assertEqual(fee.payment_state, "reversed")
        self.assertEqual(fee.billing_fee_waiver_reason, "First delay of a good client")
        self.assertIn("First delay of a good client", fee.message_ids[0].body)

    def test_fees_kept_after_late_payment_by_default(self):
        invoice = self._invoice(self.customer, 1000.0, day(-30), day(0))
        self._ladder(1, 7, 14)
        self._pay(invoice, date=day(20))
        self._run(day(21))
        self.assertEqual(self._fees().payment_state, "not_paid")

    def test_fees_waived_after_late_payment_when_the_policy_says(self):
        self.policy.waive_when_paid = True
        invoice = self._invoice(self.customer, 1000.0, day(-30), day(0))
        self._ladder(1, 7, 14)
        self._run(day(15))
        self.assertEqual(self._fees().payment_state, "not_paid", "not paid yet")
        self._pay(invoice, date=day(20))
        counts = self._run(day(21))
        self.assertEqual(counts["fees_waived"], 1)
        self.assertEqual(self._fees().payment_state, "reversed")

    def test_a_fee_invoice_is_never_charged_a_fee(self):
        self._invoice(self.customer, 1000.0, day(-30), day(0))
        self._ladder(1, 7, 14)
        fee = self._fees()
        # the fee is due on day 14 too; 40 days on, still one fee only
        self._ladder(21, 40, 60)
        self.assertEqual(self._fees(), fee)

    def test_foreign_currency_fee_in_the_invoice_currency(self):
        eur = self.setup_other_currency("EUR", rates=[("2000-01-01", 0.5)])
        self.policy.write({"kind": "percent", "fixed_amount": 0.0, "percent": 1.5})
        self._invoice(self.customer, 1000.0, day(-30), day(0))
        self._invoice(self.customer, 333.33, day(-30), day(0), currency_id=eur.id)
        self._ladder(1, 7, 14)
        fees = self._fees().sorted(lambda f: f.currency_id.name)
        self.assertEqual(fees.currency_id.mapped("name"), ["EUR", "USD"])
        # 1.5 % of 333.33 = 4.99995: half-up to the cent
        self.assertEqual(fees.mapped("amount_total"), [5.0, 15.0])

    def test_fixed_amounts_converted_to_the_invoice_currency(self):
        eur = self.setup_other_currency("EUR", rates=[("2000-01-01", 0.5)])
        self._invoice(self.customer, 1000.0, day(-30), day(0), currency_id=eur.id)
        self._ladder(1, 7, 14)
        self.assertEqual(self._fees().amount_total, 20.0)  # 40 USD at 0.5

    def test_presets(self):
        self.policy.action_preset_eu()
        self.assertRecordValues(
            self.policy,
            [
                {
                    "kind": "interest",
                    "annual_rate": 8.0,
                    "use_reference_rate": True,
                    "fixed_amount": 40.0,
                    "uk_bands": False,
                }
            ],
        )
        self.assertEqual(self.policy.currency_id.name, "EUR")
        self.policy.action_preset_uk()
        self.assertTrue(self.policy.uk_bands)
        self.assertEqual(self.policy.currency_id.name, "GBP")

    def test_eu_preset_interest_over_a_reference_rate_change(self):
        self.policy.action_preset_eu()
        self.policy.currency_id = self.company.currency_id
        usd = self.company.currency_id
        self.env["billing.reference.rate"].create(
            [
                {"currency_id": usd.id, "date_from": "2025-10-01", "rate": 4.0},
                {"currency_id": usd.id, "date_from": "2026-03-10", "rate": 3.5},
            ]
        )
        self._invoice(self.customer, 10000.0, day(-30), day(0))
        self._ladder(1, 7, 14)
        # 8 days at 12 %, 6 days at 11.5 %, plus 40
        expected = round(40 + 10000 * (0.12 * 8 + 0.115 * 6) / 365, 2)
        self.assertEqual(self._fees().amount_total, expected)
        self.assertIn("12.0%", self._fees().invoice_line_ids.name)
        self.assertIn("11.5%", self._fees().invoice_line_ids.name)

    def test_bad_input(self):
        with self.assertRaisesRegex(ValidationError, "negative"):
            self.policy.copy({"annual_rate": -1.0, "kind": "interest"})
        with self.assertRaisesRegex(ValidationError, "cap of"):
            self.policy.copy({"max_fee_amount": 30.0})
        with self.assertRaisesRegex(ValidationError, "every month"):
            self.policy.copy({"recurrence": "monthly"})
        with self.assertRaisesRegex(ValidationError, "negative"):
            self.env["billing.reference.rate"].create(
                {
                    "currency_id": self.company.currency_id.id,
                    "date_from": "2026-01-01",
                    "rate": -0.5,
                }
            )
        self.sequence.late_fee_policy_id = False
        self.env[POLICY].search([]).active = False
        with self.assertRaisesRegex(ValidationError, "late fee policy"):
            self.steps[7].apply_late_fee = True

    def test_a_batch_charged_fees_costs_the_queries_of_half_of_it(self):
        """A run where every customer gets the reminder that charges a fee
        costs the same queries for 8 customers as for 4: the fee invoices
        are created, numbered and posted for the batch, not per customer."""
        self.steps[14].apply_late_fee = False
        self.steps[1].apply_late_fee = True

        def run(count, on):
            customers = self.env["res.partner"].create(
                [
                    {"name": f"F{on}-{count}-{i}", "email": f"f{i}@f.example"}
                    for i in range(count)
                ]
            )
            for customer in customers:
                self._invoice(customer, 100.0, on - timedelta(days=30), on - DAY)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            # as in production: Odoo logs the creation of each invoice
            engine = self.engine.with_context(
                mail_create_nolog=False, tracking_disable=False, mail_notrack=False
            )
            counts = engine._run(date=on, partners=customers)
            self.env.flush_all()
            queries = self.env.cr.sql_log_count - before
            self.assertEqual((counts["emails"], counts["fees"]), (count, count))
            fees = self._fees(customers)
            self.assertEqual(len(fees), count)
            self.assertEqual(set(fees.mapped("state")), {"posted"})
            self.assertEqual(len(set(fees.mapped("name"))), count)
            self.assertIn(
                "Late fee charged by the follow-up run", fees[0].message_ids.body
            )
            return queries

        run(2, day(0))
        four, eight = run(4, day(1)), run(8, day(2))
        self.assertEqual(eight, four)

    def test_the_policy_form_opens_without_analytic_accounting(self):
        """A manager without analytic accounting gets the form without the
        analytic distribution (its widget would fail to read the plans)."""
        manager = new_test_user(
            self.env,
            login="fee_manager_no_analytic",
            groups="account.group_account_invoice,"
            "billing_followup.billing_followup_group_manager",
            company_id=self.company.id,
            company_ids=self.company.ids,
        )
        self.assertFalse(manager.has_group("analytic.group_analytic_accounting"))
        views = self.env[POLICY].with_user(manager).get_views([(False, "form")])
        arch = views["views"]["form"]["arch"]
        self.assertIn('name="max_fee_percent"', arch)
        self.assertNotIn('name="analytic_distribution"', arch)

    def test_access_and_company_rules(self):
        clerk = new_test_user(
            self.env,
            "fee_reader",
            groups="billing_followup.billing_followup_group_user",
            company_id=self.company.id,
        )
        self.assertEqual(self.policy.with_user(clerk).name, "Contract fee")
        with self.assertRaises(AccessError):
            self.policy.with_user(clerk).fixed_amount = 1.0
        other = self.setup_other_company(name="Other Co")["company"]
        foreign = self.env[POLICY].create(
            {
                "name": "Elsewhere",
                "company_id": other.id,
                "product_id": self.fee_product.id,
            }
        )
        manager = new_test_user(
            self.env,
            "fee_boss",
            groups="billing_followup.billing_followup_group_manager",
            company_id=self.company.id,
        )
        self.assertNotIn(foreign, self.env[POLICY].with_user(manager).search([]))

    def test_messages_announce_and_show_the_fee_only_with_a_policy(self):
        self.policy.notice_days = 10
        self._invoice(self.customer, 1000.0, day(-30), day(0))
        self._ladder(1, 7)
        [first, announce] = self._events(kind="email").mail_id
        self.assertNotIn("late fee", first.body_html)
        self.assertIn("a late fee applies", announce.body_html)
        # the fee step is on day 14, but the notice runs to day 7 + 10
        self.assertIn("From 03/19/2026, a late fee applies", announce.body_html)
        self._ladder(17)
        body = self._events(kind="email")[-1].mail_id.body_html
        self.assertIn("a late fee is now charged", body)
        self.assertIn("overdue 17 days", body)
        self.assertEqual(self._fees().amount_total, 40.0)

    def test_no_fee_sentence_without_a_policy(self):
        self.sequence.late_fee_policy_id = False
        self._invoice(self.customer, 1000.0, day(-30), day(0))
        self._ladder(1, 7, 14)
        for mail in self._events(kind="email").mail_id:
            self.assertNotIn("late fee", mail.body_html)
        self.assertFalse(self._fees())

    def test_shared_sequence_charges_a_company_policy_to_its_customers_only(self):
        """The shipped default sequence has no company; a manager can still
        give it a company's policy, which charges that company's customers
        and no other company's."""
        self.sequence.company_id = False
        self.sequence.late_fee_policy_id = self.policy
        other = self.env["res.company"].create({"name": "Company B"})
        policy = self.customer.with_company(self.company)._billing_followup_policy(
            self.company, day(14)
        )
        self.assertEqual(policy.settings.fee_policy, self.policy.id)
        self.assertFalse(
            self.customer._billing_followup_policy(other, day(14)).settings.fee_policy
        )
        own = self.env["billing.followup.sequence"].create(
            {
                "name": "Company B ladder",
                "company_id": other.id,
                "send_weekday_ids": [Command.set(self.sequence.send_weekday_ids.ids)],
            }
        )
        with self.assertRaisesRegex(ValidationError, "another company"):
            own.sudo().late_fee_policy_id = self.policy
