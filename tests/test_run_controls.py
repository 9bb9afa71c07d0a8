"""Running by hand: the preview runs only today; a follow-up manager who is
not an administrator releases a run held by the circuit breaker."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, freeze_time, new_test_user

from .followup_common import FollowupEngineCommon, day


class TestRunControls(FollowupEngineCommon):
    def _preview(self, on):
        wizard = self.env["billing.followup.run.preview"].create({"date": on})
        wizard.action_compute()
        wizard.line_ids.filtered(lambda ln: ln.date == on).selected = True
        return wizard

    def test_preview_of_another_day_cannot_send(self):
        self._invoice(self.customer, 100.0, day(-40), day(-2))
        with freeze_time(day(-1)):
            tomorrow = self._preview(day(0))
            self.assertFalse(tomorrow.is_today)
            self.assertTrue(tomorrow.line_ids.filtered("selected"))
            with self.assertRaisesRegex(UserError, "Only today's follow-up"):
                tomorrow.action_run_selected()
        with (
            freeze_time(day(1)),
            self.assertRaisesRegex(UserError, "Only today's follow-up"),
        ):
            self._preview(day(0)).action_run_selected()
        self.assertFalse(self._events())
        with freeze_time(day(0)):
            form = Form(self.env["billing.followup.run.preview"])
            self.assertTrue(form.is_today)
            form.date = day(3)
            self.assertFalse(form.is_today)
            self._preview(day(0)).action_run_selected()
        self.assertEqual(self._events(kind="email").date, day(0))

    def test_manager_releases_a_held_run(self):
        manager = new_test_user(
            self.env,
            login="bf_release_boss",
            groups="billing_followup.billing_followup_group_manager",
            company_id=self.company.id,
        )
        self.assertFalse(manager.has_group("base.group_system"))
        clerk = new_test_user(
            self.env,
            login="bf_release_clerk",
            groups="billing_followup.billing_followup_group_user",
            company_id=self.company.id,
        )
        self.company.write({"billing_breaker_minimum": 1, "billing_breaker_factor": 3})
        customers = self.customer | self.customer.copy({"name": "Second"})
        for customer in customers:
            self._invoice(customer, 100.0, day(-40), day(-2))
        self.assertEqual(self._run(day(0), customers)["held_by_breaker"], 2)
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(manager).create({})
        with self.assertRaises(AccessError):
            self.env["billing.followup.release.run"].with_user(clerk).create({})
        menu = self.env.ref("billing_followup.billing_followup_release_run_menu")
        Menu = self.env["ir.ui.menu"]
        self.assertIn(menu.id, Menu.with_user(manager)._visible_menu_ids())
        self.assertNotIn(menu.id, Menu.with_user(clerk)._visible_menu_ids())
        wizard = Form(self.env["billing.followup.release.run"].with_user(manager))
        self.assertEqual(wizard.held, 2)
        with freeze_time(day(0)):
            action = wizard.save().action_release()
        self.assertIn("2 held messages", action["params"]["message"])
        self.assertEqual(self.company.billing_breaker_confirmed_date, day(0))
        self.assertEqual(self._run(day(0), customers)["emails"], 2)
