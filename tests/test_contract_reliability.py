"""The contract cron keeps going when one contract fails, and month ends and
29 February never break the schedule or the pro-forma."""

from datetime import date, timedelta
from unittest.mock import patch

from odoo.tests import freeze_time, new_test_user
from odoo.tools import mute_logger

from .contract_common import ContractCommon

SCHEDULE_LOGGER = "odoo.addons.billing_followup.models.billing_contract_schedule"


class TestContractCronFailure(ContractCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.responsible = new_test_user(
            cls.env,
            login="bf_contract_responsible",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )

    def _run_cron(self, day, broken=None):
        """Run the contract cron on `day`; `broken` fails with a KeyError
        while its invoice values are built."""
        Contract = type(self.env["billing.contract"])
        original = Contract._prepare_invoice_values

        def prepare(contract, lines_values, **values):
            if contract == broken:
                raise KeyError("account_id")
            return original(contract, lines_values, **values)

        cron = self.env.ref("billing_followup.ir_cron_billing_contract_invoices")
        with (
            patch.object(Contract, "_prepare_invoice_values", prepare),
            mute_logger(SCHEDULE_LOGGER),
            freeze_time(day),
            self.enter_registry_test_mode(),
        ):
            cron.method_direct_trigger()
        self.env.invalidate_all()

    def test_unexpected_error_stays_with_its_contract(self):
        broken = self._contract(user_id=self.responsible.id)
        healthy = self._contract()
        self._run_cron("2026-02-02", broken=broken)
        self.assertEqual(len(healthy.invoice_ids), 2)
        self.assertFalse(healthy.invoice_error)
        self.assertFalse(broken.invoice_ids)
        self.assertFalse(broken.period_ids)
        self.assertEqual(
            broken.invoice_error,
            "The scheduled invoices could not be created: KeyError: 'account_id'",
        )
        activity = broken.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.responsible)
        self.assertEqual(
            activity.activity_type_id, self.env.ref("mail.mail_activity_data_warning")
        )
        self.assertIn("KeyError: 'account_id'", broken.message_ids[0].body)
        # "Contracts to bill" shows the error, and can filter on it
        action = self.env.ref("billing_followup.billing_contract_to_bill_action")
        arch = self.env["billing.contract"].get_view(action.view_id.id)["arch"]
        self.assertIn('name="invoice_error"', arch)
        to_bill = self.env["billing.contract"].search([("invoice_error", "!=", False)])
        self.assertEqual(to_bill, broken)
        # failing again the next day: no second activity
        self._run_cron("2026-02-03", broken=broken)
        self.assertEqual(len(broken.activity_ids), 1)
        # repaired: the next run bills the missed periods and clears the error
        self._run_cron("2026-02-04")
        self.assertEqual(len(broken.invoice_ids), 2)
        self.assertFalse(broken.invoice_error)

    def test_manual_generation_still_raises(self):
        """By hand, the user sees the error at once instead of a note."""
        contract = self._contract()
        Contract = type(self.env["billing.contract"])
        with (
            patch.object(
                Contract, "_prepare_invoice_values", side_effect=RuntimeError("boom")
            ),
            self.assertRaisesRegex(RuntimeError, "boom"),
        ):
            contract._generate_invoices(date(2026, 1, 1))
        self.assertFalse(contract.invoice_error)


class TestMonthEnds(ContractCommon):
    def _billed_daily(self, contract, first, last):
        day = first
        while day <= last:
            contract._generate_invoices(day)
            day += timedelta(days=1)
        return contract.period_ids.sorted("date_start")

    def test_contract_started_on_the_31st_keeps_its_day(self):
        """Billed day by day, a contract started on 31 January resumes on
        28 February and then on 31 March again, not on the 28th for ever."""
        contract = self._contract(date_start=date(2026, 1, 31))
        periods = self._billed_daily(contract, date(2026, 1, 31), date(2026, 5, 31))
        self.assertEqual(
            [(p.date_start, p.date_end) for p in periods],
            [
                (date(2026, 1, 31), date(2026, 2, 27)),
                (date(2026, 2, 28), date(2026, 3, 30)),
                (date(2026, 3, 31), date(2026, 4, 29)),
                (date(2026, 4, 30), date(2026, 5, 30)),
                (date(2026, 5, 31), date(2026, 6, 29)),
            ],
        )
        self.assertEqual(contract.next_billing_date, date(2026, 6, 30))

    def test_billing_day_31_is_the_last_day_of_each_month(self):
        contract = self._contract(billing_day=31)
        periods = self._billed_daily(contract, date(2026, 1, 1), date(2026, 4, 30))
        self.assertEqual(
            periods.mapped("billing_date"),
            [
                date(2026, 1, 31),
                date(2026, 2, 28),
                date(2026, 3, 31),
                date(2026, 4, 30),
            ],
        )

    def test_leap_day_contract_bills_and_renders_its_proforma(self):
        contract = self._contract(date_start=date(2028, 2, 29))
        lines = contract._billing_proforma_values("en_US")["lines"]
        self.assertEqual(
            [line["name"] for line in lines],
            [
                f"{contract.name}, period from 02/29/2028 to 03/28/2028 "
                "(billed on 02/29/2028)",
                f"{contract.name}, period from 03/29/2028 to 04/28/2028 "
                "(billed on 03/29/2028)",
                f"{contract.name}, period from 04/29/2028 to 05/28/2028 "
                "(billed on 04/29/2028)",
            ],
        )
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "billing_followup.report_contract_proforma", contract.ids
        )
        self.assertIn("02/29/2028", html.decode())
        # a yearly-style anchor: the next period starts on 29 February
        invoice = contract._generate_invoices(date(2028, 2, 29))
        self.assertEqual(invoice.invoice_date, date(2028, 2, 29))
        self.assertEqual(contract.next_billing_date, date(2028, 3, 29))
