"""Who may read and change contracts, scope changes and billed periods, and
contracts of other companies; the contract's reminder sequence."""

from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import new_test_user

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
        sequence = self.env["billing.followup.sequence"].create(
            {"name": "Gentle, as agreed", "company_id": self.company.id}
        )
        engine = self.env["billing.followup.engine"]
        key = (self.customer.id, self.company.id)
        self.assertNotEqual(engine._settings([key])[key][0], sequence)
        self.contract.followup_sequence_id = sequence
        self.assertEqual(engine._settings([key])[key][0], sequence)
        self.contract.action_close()
        self.assertNotEqual(engine._settings([key])[key][0], sequence)
