"""Another follow-up module in the same database (Odoo Enterprise's
account_followup, OCA's account_credit_control): the settings warn, and the
run leaves it the customers it also reminds until a manager chooses."""

from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user

from odoo.addons.billing_followup.tools import followup_decision as logic

from .followup_common import FollowupEngineCommon, day


class TestCoexistence(FollowupEngineCommon):
    def _install_fake(self, name):
        """The other module as installed, without its code or fields: every
        customer then counts as reminded by it."""
        self.env["ir.module.module"].sudo().create(
            {"name": name, "state": "installed", "shortdesc": name}
        )
        self.env.registry.clear_cache()
        self.addCleanup(self.env.registry.clear_cache)

    def test_alone_the_addon_sends(self):
        self.assertEqual(self.env["res.company"]._billing_other_followup_modules(), ())
        settings = self.env["res.config.settings"].create({})
        self.assertFalse(settings.billing_other_followup_modules)
        self._invoice(self.customer, 100.0, day(-40), day(-2))
        self.assertEqual(self._run(day(0))["emails"], 1)

    def test_enterprise_followup_installed_until_a_manager_decides(self):
        self._install_fake("account_followup")
        self._invoice(self.customer, 100.0, day(-40), day(-2))
        counts = self._run(day(0))
        self.assertEqual(counts["skipped_other_module"], 1)
        self.assertFalse(counts.get("emails"))
        self.assertFalse(self._events())
        self.assertFalse(self.engine._look_ahead(day(0), 30, self.customer))
        settings = Form(self.env["res.config.settings"])
        self.assertEqual(settings.billing_other_followup_modules, "account_followup")
        self.assertEqual(settings.billing_coexistence, "other")
        settings.billing_coexistence = "this"
        settings.save().execute()
        self.assertEqual(self.company.billing_coexistence, "this")
        counts = self._run(day(0))
        self.assertEqual(counts["emails"], 1)
        self.assertFalse(counts.get("skipped_other_module"))

    def test_a_manager_who_is_not_administrator_decides(self):
        self._install_fake("account_credit_control")
        manager = new_test_user(
            self.env,
            login="bf_coexist_boss",
            groups="billing_followup.billing_followup_group_manager",
            company_id=self.company.id,
        )
        clerk = new_test_user(
            self.env,
            login="bf_coexist_clerk",
            groups="billing_followup.billing_followup_group_user",
            company_id=self.company.id,
        )
        self.assertFalse(manager.has_group("base.group_system"))
        with self.assertRaises(AccessError):
            self.env["billing.followup.coexistence"].with_user(clerk).create({})
        self._invoice(self.customer, 100.0, day(-40), day(-2))
        self.assertEqual(self._run(day(0))["skipped_other_module"], 1)
        wizard = Form(self.env["billing.followup.coexistence"].with_user(manager))
        self.assertEqual(wizard.other_modules, "account_credit_control")
        self.assertEqual(wizard.coexistence, "other")
        wizard.coexistence = "this"
        wizard.save().action_apply()
        self.assertEqual(self.company.billing_coexistence, "this")
        self.assertEqual(self._run(day(0))["emails"], 1)

    def test_credit_control_installed(self):
        self._install_fake("account_credit_control")
        other = self.customer.copy({"name": "Second"})
        for customer in self.customer | other:
            self._invoice(customer, 100.0, day(-40), day(-2))
        counts = self._run(day(0), self.customer | other)
        self.assertEqual(counts["skipped_other_module"], 2)
        self.assertFalse(self._events(self.customer | other))

    def test_decision_leaves_the_customer_to_the_other_module(self):
        item = logic.Item(1, day(-10), 100.0)
        steps = (logic.Step(1, 1),)
        shared = logic.Settings(steps=steps, other_module=True)
        decision = logic.decide([item], logic.History(), shared, day(0))
        self.assertEqual(decision, logic.Skip(logic.SKIP_OTHER_MODULE))
        self.assertFalse(logic.may_thank(shared, day(0)))
        alone = logic.Settings(steps=steps)
        self.assertTrue(logic.may_thank(alone, day(0)))
        self.assertIsInstance(
            logic.decide([item], logic.History(), alone, day(0)), logic.Action
        )
