from odoo.tests import TransactionCase, new_test_user


class TestGroupsAndMenus(TransactionCase):
    """The follow-up groups, their implications and the Follow-up menu."""

    def test_manager_implies_user(self):
        user_group = self.env.ref("billing_followup.billing_followup_group_user")
        manager_group = self.env.ref("billing_followup.billing_followup_group_manager")
        self.assertIn(user_group, manager_group.implied_ids)
        self.assertEqual(user_group.full_name, "Billing follow-up / User")
        self.assertEqual(manager_group.full_name, "Billing follow-up / Manager")

    def test_accountants_get_the_groups(self):
        accountant = new_test_user(
            self.env, login="bf_accountant", groups="account.group_account_invoice"
        )
        adviser = new_test_user(
            self.env, login="bf_adviser", groups="account.group_account_manager"
        )
        self.assertTrue(
            accountant.has_group("billing_followup.billing_followup_group_user")
        )
        self.assertFalse(
            accountant.has_group("billing_followup.billing_followup_group_manager")
        )
        self.assertTrue(
            adviser.has_group("billing_followup.billing_followup_group_manager")
        )

    def test_menu_visible_to_accountants_only(self):
        menu = self.env.ref("billing_followup.billing_followup_menu_root")
        accountant = new_test_user(
            self.env, login="bf_accountant", groups="account.group_account_invoice"
        )
        employee = new_test_user(
            self.env, login="bf_employee", groups="base.group_user"
        )
        Menu = self.env["ir.ui.menu"]
        self.assertIn(menu.id, Menu.with_user(accountant)._visible_menu_ids())
        self.assertNotIn(menu.id, Menu.with_user(employee)._visible_menu_ids())
        self.assertEqual(menu.parent_id, self.env.ref("account.menu_finance"))
