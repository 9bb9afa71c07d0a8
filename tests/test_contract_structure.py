"""Every contract invoice is built by the contract's hooks, the contract's
concerns are named pieces, and one constant says which methods are
scheduled."""

from datetime import date
from unittest.mock import patch

from odoo import Command

from odoo.addons.billing_followup.tools import billing_schedule

from .contract_common import ContractCommon


class TestContractInvoiceHooks(ContractCommon):
    def test_schedule_milestones_and_extra_work_use_the_hooks(self):
        Contract = type(self.env["billing.contract"])
        prepare_invoice = Contract._prepare_invoice_values
        prepare_line = Contract._prepare_invoice_line_values

        def invoice_values(contract, lines_values, **values):
            return {**prepare_invoice(contract, lines_values, **values), "ref": "HOOK"}

        def line_values(contract, name, price_unit, quantity=1.0):
            values = prepare_line(contract, name, price_unit, quantity)
            return {**values, "name": f"[hook] {name}"}

        retainer = self._contract()
        change = self.env["billing.scope.change"].create(
            {
                "contract_id": retainer.id,
                "name": "Extra page",
                "amount": 80.0,
                "approval_date": date(2026, 1, 5),
                "approval_note": "email",
            }
        )
        change.action_approve()
        milestones = self._contract(
            billing_method="milestone",
            billing_schedule="milestone",
            deliverable_ids=[
                Command.create({"name": "Launch", "amount": 900.0, "delivered": True})
            ],
        )
        with (
            patch.object(Contract, "_prepare_invoice_values", invoice_values),
            patch.object(Contract, "_prepare_invoice_line_values", line_values),
        ):
            scheduled = retainer._generate_invoices(date(2026, 1, 1))
            milestones.deliverable_ids.action_invoice()
        milestone = milestones.deliverable_ids.move_id
        self.assertEqual((scheduled | milestone).mapped("ref"), ["HOOK", "HOOK"])
        self.assertEqual(
            sorted(scheduled.invoice_line_ids.mapped("name")),
            [
                f"[hook] {retainer.name}, period from 01/01/2026 to 01/31/2026",
                "[hook] Extra page",
            ],
        )
        self.assertEqual(milestone.invoice_line_ids.name, "[hook] Launch")
        extra = scheduled.invoice_line_ids.filtered("billing_out_of_scope")
        self.assertEqual(extra.billing_scope_change_id, change)


class TestContractPieces(ContractCommon):
    def test_each_concern_is_a_named_class(self):
        Contract = type(self.env["billing.contract"])
        # the class that defines each method first (extensions override
        # the invoice hook further up the MRO)
        owners = {
            method: next(
                cls.__name__
                for cls in reversed(Contract.__mro__)
                if method in vars(cls) and cls.__module__.startswith("odoo.addons.")
            )
            for method in (
                "_generate_invoices",
                "_cron_generate_invoices",
                "_billing_proforma_values",
                "_prepare_invoice_values",
                "action_sign",
            )
        }
        self.assertEqual(
            owners,
            {
                "_generate_invoices": "BillingContractScheduleMixin",
                "_cron_generate_invoices": "BillingContractScheduleMixin",
                "_billing_proforma_values": "BillingContractProformaMixin",
                "_prepare_invoice_values": "BillingContractInvoiceMixin",
                "action_sign": "BillingContract",
            },
        )
        ours = [
            cls.__name__
            for cls in Contract.__mro__
            if cls.__module__.startswith("odoo.addons.billing_followup")
        ]
        self.assertEqual(len(ours), len(set(ours)), ours)

    def test_scheduled_methods_defined_once(self):
        contract = self._contract(sign=False)
        for method in ("retainer", "subscription", "fixed", "hourly", "milestone"):
            contract.billing_method = method
            self.assertEqual(
                contract.is_scheduled, method in billing_schedule.SCHEDULED_METHODS
            )
        arch = self.env["billing.contract"].get_view(
            self.env.ref("billing_followup.billing_contract_view_form").id
        )["arch"]
        self.assertIn("is_scheduled", arch)
        self.assertNotIn("'subscription'", arch)
