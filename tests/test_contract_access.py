"""Who may read and change contracts, scope changes and billed periods, and
contracts of other companies; the contract's reminder sequence."""

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import freeze_time, new_test_user

from .contract_common import ContractCommon


class TestContractAccess(ContractCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_ids = [cls.company.id]
        cls.clerk = new_test_user(
            cls.env,
            login="bf_contract_clerk",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=company_ids,
        )
        cls.manager = new_test_user(
            cls.env,
            login="bf_contract_manager",
            groups="account.group_account_manager",
            company_id=cls.company.id,
            company_ids=company_ids,
        )
        cls.auditor = new_test_user(
            cls.env,
            login="bf_contract_auditor",
            groups="account.group_account_readonly",
            company_id=cls.company.id,
            company_ids=company_ids,
        )
        cls.employee = new_test_user(
            cls.env,
            login="bf_contract_employee",
            groups="base.group_user",
            company_id=cls.company.id,
            company_ids=company_ids,
        )
        cls.contract = cls._contract()

    def test_clerk_writes_contracts_and_changes_but_deletes_nothing(self):
        Contract = self.env["billing.contract"].with_user(self.clerk)
        contract = Contract.create(
            {
                "partner_id": self.customer.id,
                "amount": 10.0,
                "company_id": self.company.id,
            }
        )
        contract.scope_included = "<p>Logo design</p>"
        change = (
            self.env["billing.scope.change"]
            .with_user(self.clerk)
            .create({"contract_id": contract.id, "name": "Extra icon", "amount": 50.0})
        )
        with self.assertRaises(AccessError):
            change.unlink()
        with self.assertRaises(AccessError):
            contract.unlink()
        self.contract.with_user(self.clerk)._generate_invoices(date(2026, 1, 1))
        period = self.contract.period_ids.with_user(self.clerk)
        with self.assertRaises(AccessError):
            period.unlink()  # re-billing a period is a manager's decision
        with self.assertRaises(AccessError):
            period.write({"date_start": date(2026, 1, 2)})
        with self.assertRaises(AccessError):  # a claimed period is never billed
            period.create(
                {
                    "contract_id": self.contract.id,
                    "date_start": date(2026, 6, 1),
                    "date_end": date(2026, 6, 30),
                }
            )

    def test_manager_deletes(self):
        contract = self._contract(sign=False)
        contract.with_user(self.manager).unlink()
        self.assertFalse(contract.exists())

    def test_auditor_reads_only_and_employee_nothing(self):
        self.assertEqual(
            self.contract.with_user(self.auditor).partner_id, self.customer
        )
        with self.assertRaises(AccessError):
            self.contract.with_user(self.auditor).amount = 5.0
        with self.assertRaises(AccessError):
            self.contract.with_user(self.employee).read(["name"])

    def test_other_company_contracts_are_hidden(self):
        other = self.setup_other_company()["company"]
        foreign = self.env["billing.contract"].create(
            {"partner_id": self.customer.id, "company_id": other.id, "amount": 1.0}
        )
        visible = self.env["billing.contract"].with_user(self.clerk).search([])
        self.assertIn(self.contract, visible)
        self.assertNotIn(foreign, visible)
        with self.assertRaises(AccessError):
            foreign.with_user(self.clerk).read(["name"])

    def test_contract_reminder_sequence_wins(self):
        """A real run uses the step and template of the contract's sequence;
        once the contract is closed, the company's default again."""
        weekdays = self.env["billing.followup.weekday"].search([])
        statement = self.env.ref("billing_followup.mail_template_statement")
        sequence = self.env["billing.followup.sequence"].create(
            {
                "name": "Gentle, as agreed",
                "company_id": self.company.id,
                "send_weekday_ids": [Command.set(weekdays.ids)],
                "step_ids": [
                    Command.create(
                        {
                            "name": "Agreed reminder",
                            "offset_days": 2,
                            "mail_template_id": statement.id,
                        }
                    )
                ],
            }
        )
        default = self.company.billing_followup_sequence_id
        self.assertNotEqual(default, sequence)
        self.contract.followup_sequence_id = sequence
        with freeze_time("2026-01-30"):  # the contract is found in force today
            invoice = self._invoice(self.customer, 700.0, "2026-01-30")
        self.assertEqual(invoice.billing_contract_id, self.contract)
        self.assertEqual(invoice.invoice_date_due, date(2026, 3, 1), "30 days")
        engine = self.env["billing.followup.engine"]
        Event = self.env["billing.followup.event"]
        counts = engine._run(date=date(2026, 3, 3), partners=self.customer)
        self.assertEqual(counts.get("emails"), 1, counts)
        event = Event.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(event.step_id, sequence.step_ids)
        self.assertEqual(
            event.mail_id.subject,
            f"{self.company.name}: your statement and open balance",
        )
        self.contract.action_close()
        engine._run(date=date(2026, 3, 9), partners=self.customer)
        later = Event.search([("partner_id", "=", self.customer.id)]) - event
        self.assertEqual(later.step_id, self.env.ref("billing_followup.step_statement"))
        self.assertEqual(later.step_id.sequence_id, default)
