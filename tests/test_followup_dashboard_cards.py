"""The Follow-up dashboard: each card counts, for the user's customers and
for everybody's, exactly the records its list opens, per company, in a
fixed number of queries."""

import gc

from odoo.tests import freeze_time, new_test_user

from .followup_common import FollowupEngineCommon, day

USER_GROUPS = (
    "account.group_account_invoice,billing_followup.billing_followup_group_user"
)


class TestFollowupDashboardCards(FollowupEngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.steps[21].needs_review = True
        cls.company_b = cls.setup_other_company(name="Company B")["company"]
        companies = cls.company | cls.company_b
        cls.me = new_test_user(
            cls.env,
            login="bf_dash_me",
            groups=USER_GROUPS,
            company_id=cls.company.id,
            company_ids=companies.ids,
        )
        cls.other = new_test_user(
            cls.env,
            login="bf_dash_other",
            groups=USER_GROUPS,
            company_id=cls.company.id,
        )
        cls.company.billing_responsible_id = cls.other
        cls.company_b.billing_responsible_id = cls.me
        Partner = cls.env["res.partner"]
        cls.mine = cls.customer  # mine in company A by its own responsible
        cls.mine.with_company(cls.company).billing_responsible_id = cls.me
        cls.theirs = Partner.create({"name": "Theirs", "email": "t@theirs.example"})
        cls.theirs.with_company(cls.company).billing_responsible_id = cls.other
        cls.nomail = Partner.create({"name": "No address", "email": False})
        cls.fresh = Partner.create({"name": "Fresh", "email": "f@fresh.example"})
        cls.fresh.with_company(cls.company).billing_responsible_id = cls.me
        cls.old = {p: cls._invoice(p, 100.0, day(-40), day(0)) for p in cls.customers()}

    @classmethod
    def customers(cls):
        return cls.mine | cls.theirs | cls.nomail

    def _fixture(self):
        """Three customers through the ladder (a call at day 14, a review at
        day 21), a broken and a due promise, disputes in both companies, a
        stage to approve, a credit hold, and a heads-up due tomorrow."""
        for offset in (1, 7, 14):
            self._run(day(offset), self.customers())
        disputed = self._invoice(self.theirs, 70.0, day(-10), day(30))
        with freeze_time(day(15)):
            self._promise(self.theirs, self.old[self.theirs], 40.0, day(16))
        self._run(day(19), self.customers())  # the promise of day 16 is broken
        self._run(day(21), self.customers())
        disputed._billing_dispute("Wrong hours")
        self._invoice(self.fresh, 30.0, day(0), day(25))  # heads-up on day 22
        invoice_b = self._invoice(
            self.mine, 80.0, day(-10), day(5), company_id=self.company_b.id
        )
        invoice_b._billing_dispute("Not delivered")
        self.env["billing.followup.event"].sudo().create(
            {
                "partner_id": self.mine.id,
                "company_id": self.company.id,
                "kind": "stage",
                "state": "to_approve",
                "date": day(21),
                "stage_id": self.env.ref("billing_followup.stage_last_resort").id,
            }
        )
        hold = self.env.ref("billing_followup.stage_credit_hold")
        self.theirs.with_company(self.company).sudo().with_context(
            billing_stage_engine=True
        ).billing_stage_id = hold
        with freeze_time(day(22)):
            self._promise(self.mine, self.old[self.mine], 60.0, day(22))
        self.env["billing.followup.worklist"].with_context(
            allowed_company_ids=(self.company | self.company_b).ids
        )._refresh_all(day(22))

    def _promise(self, partner, invoice, amount, on):
        return self.env["billing.followup.promise"].create(
            {
                "partner_id": partner.id,
                "company_id": invoice.company_id.id,
                "move_ids": invoice.ids,
                "amount": amount,
                "date": on,
            }
        )

    def _rows(self, user=None):
        user = user or self.me
        Dashboard = self.env["billing.followup.dashboard"].with_user(user)
        Dashboard = Dashboard.with_context(allowed_company_ids=user.company_ids.ids)
        return Dashboard.search([])

    def _cards(self, rows, company):
        return {
            row.card: (row.count_mine, row.count_all)
            for row in rows
            if row.company_id == company
        }

    def test_counts_are_the_lists_they_open(self):
        self._fixture()
        with freeze_time(day(22)):
            rows = self._rows()
            self.assertEqual(
                self._cards(rows, self.company),
                {
                    "to_review": (1, 3),  # the final step, reviewed by hand
                    "calls": (1, 3),  # the call step of day 14, not done
                    "promises_due": (1, 1),
                    "promises_broken": (0, 1),
                    "disputes": (0, 1),
                    "approvals": (1, 1),
                    "credit_hold": (0, 1),
                    "failed_emails": (0, 1),
                    "next_run": (1, 1),  # the heads-up of day 22
                },
            )
            # company B: the company's responsible is me
            cards_b = self._cards(rows, self.company_b)
            self.assertEqual(cards_b["disputes"], (1, 1))
            self.assertEqual(cards_b["to_review"], (0, 0))
            for row in rows:
                for mine, count in ((True, row.count_mine), (False, row.count_all)):
                    action = row._open(mine)
                    Model = self.env[action["res_model"]].with_user(self.me)
                    Model = Model.with_context(
                        allowed_company_ids=(self.company | self.company_b).ids
                    )
                    self.assertEqual(
                        Model.search_count(action["domain"]),
                        count,
                        f"{row.card} of {row.company_id.name}, mine={mine}",
                    )
            amounts = {row.card: row.amount_all for row in rows if row.has_amount}
            self.assertEqual(amounts["promises_due"], 60.0)
            self.assertEqual(amounts["next_run"], 30.0)

    def test_calls_count_in_their_own_company(self):
        """An activity has no company: the call step's counts for the
        step's company only; a call scheduled by hand counts for the main
        company of the user it is assigned to."""
        self._fixture()
        with freeze_time(day(22)):
            # mine owes in both companies; its call of day 14 is company A's
            self.assertEqual(self._cards(self._rows(), self.company)["calls"], (1, 3))
            self.assertEqual(self._cards(self._rows(), self.company_b)["calls"], (0, 0))
            clerk_b = new_test_user(
                self.env,
                login="bf_dash_clerk_b",
                groups=USER_GROUPS,
                company_id=self.company_b.id,
                company_ids=(self.company | self.company_b).ids,
            )
            self.mine.activity_schedule(
                "mail.mail_activity_data_call",
                date_deadline=day(22),
                summary="Ask about the delivery",
                user_id=clerk_b.id,
            )
            rows = self._rows()
            self.assertEqual(self._cards(rows, self.company)["calls"], (1, 3))
            self.assertEqual(self._cards(rows, self.company_b)["calls"], (1, 1))
            row_b = rows.filtered(
                lambda r: r.company_id == self.company_b and r.card == "calls"
            )
            Worklist = self.env["billing.followup.worklist"].with_context(
                allowed_company_ids=(self.company | self.company_b).ids
            )
            found = Worklist.search(row_b._open(mine=False)["domain"])
            self.assertEqual(
                (found.partner_id, found.company_id), (self.mine, self.company_b)
            )
            self.assertTrue(found.call_due)
            late = Worklist.search([("call_due", "=", False)])
            self.assertNotIn(found, late)

    def test_the_other_accountant_sees_its_own(self):
        self._fixture()
        with freeze_time(day(22)):
            cards = self._cards(self._rows(self.other), self.company)
        # its own: theirs by its own responsible, no address by the company's
        self.assertEqual(cards["to_review"], (2, 3))
        self.assertEqual(cards["failed_emails"], (1, 1))
        self.assertEqual(cards["credit_hold"], (1, 1))
        self.assertEqual(cards["promises_broken"], (1, 1))
        rows = self._rows(self.other)
        self.assertEqual(rows.company_id, self.company, "company B is not its own")

    def test_queries_do_not_grow_with_customers(self):
        for offset in (1, 7):
            self._run(day(offset), self.customers())

        def queries():
            """Records read cold, the environments no one holds collected
            now rather than at the collector's whim (an environment caches
            its companies; see test_engine_scheduled_queries)."""
            rows = self._rows()
            self.env.invalidate_all()
            gc.collect()
            before = self.env.cr.sql_log_count
            rows.mapped("count_all")
            return self.env.cr.sql_log_count - before

        queries()  # warm the caches (rules, references)
        few = queries()
        more = self.env["res.partner"].create(
            [{"name": f"More {n}", "email": f"m{n}@more.example"} for n in range(4)]
        )
        for partner in more:
            self._invoice(partner, 50.0, day(-40), day(0))
        self._run(day(14), self.customers() | more)
        self.assertEqual(queries(), few)
        self.assertLessEqual(few, 2 * 9 + 6)

    def test_the_menu_opens_with_the_dashboard(self):
        """A menu section holds no action in Odoo: the dashboard is its first
        entry."""
        root = self.env.ref("billing_followup.billing_followup_menu_root")
        self.assertEqual(
            root.child_id.sorted("sequence")[0].action,
            self.env.ref("billing_followup.billing_followup_dashboard_action"),
        )
