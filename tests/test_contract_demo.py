from dateutil.relativedelta import relativedelta

from odoo.tests import TransactionCase


class TestContractDemo(TransactionCase):
    """The demo shows a signed retainer already billed on its schedule."""

    def test_demo_contract(self):
        contract = self.env.ref("billing_followup.demo_contract_brightside")
        self.assertEqual(contract.state, "signed")
        install_day = contract.create_date.date()
        billed = contract.period_ids.mapped("date_start")
        first = install_day - relativedelta(months=2, day=1)
        self.assertEqual(min(billed), first)
        self.assertEqual(len(contract.invoice_ids), len(billed))
        extra = contract.invoice_ids.invoice_line_ids.filtered("billing_out_of_scope")
        self.assertEqual(
            extra.billing_scope_change_id,
            self.env.ref("billing_followup.demo_scope_change_inventory"),
        )
        payroll = self.env.ref("billing_followup.demo_scope_change_payroll")
        self.assertEqual(payroll.state, "draft")
        self.assertFalse(contract._generate_invoices(install_day))
