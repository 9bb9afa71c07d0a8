from odoo import api, fields, models, tools
from odoo.exceptions import AccessError

# Follow-up modules that remind customers too: Odoo Enterprise's and OCA's.
OTHER_FOLLOWUP_MODULES = ("account_followup", "account_credit_control")


class ResCompany(models.Model):
    _inherit = "res.company"

    def _billing_pays_online(self):
        """Whether a client of this company can pay online (a published,
        enabled or test payment provider): the messages and the client's
        page offer online payment only then."""
        self.ensure_one()
        return self._billing_pays_online_cached(self.id)

    @api.model
    @tools.ormcache("company_id")
    def _billing_pays_online_cached(self, company_id):
        # sudo: whether a provider exists is not a secret of the provider
        return bool(
            self.env["payment.provider"]
            .sudo()
            .search_count(
                [
                    ("company_id", "=", company_id),
                    ("state", "in", ("enabled", "test")),
                    ("is_published", "=", True),
                ],
                limit=1,
            )
        )

    billing_followup_rule_ids = fields.One2many(
        "billing.followup.rule", "company_id", "Reminder Sequence Rules"
    )
    billing_followup_sequence_id = fields.Many2one(
        "billing.followup.sequence",
        "Default Reminder Sequence",
        help="Sequence of customers that have none of their own.",
    )
    billing_responsible_id = fields.Many2one(
        "res.users",
        "Default Follow-up Responsible",
        help="Gets the follow-up activities of customers without a responsible.",
    )
    billing_min_amount = fields.Monetary(
        "Minimum Amount to Follow Up",
        currency_field="currency_id",
        help="A customer who owes less than this (converted to each invoice "
        "currency) gets no reminder, stage change or fee for it.",
    )
    billing_loyalty_streak = fields.Integer(
        "Loyalty Streak",
        help="Invoices in a row paid on time that earn a credit on the next "
        "customer invoice (0: no loyalty credit).",
    )
    billing_loyalty_mode = fields.Selection(
        [
            ("line", "A line on the next invoice"),
            ("credit_note", "A credit note for the next invoice"),
        ],
        "Loyalty Credit As",
        default="line",
        required=True,
        help="When the customer's next invoice is posted, the credit is a "
        "discount line on it, or a credit note posted and reconciled with it.",
    )
    billing_loyalty_percent = fields.Float(
        "Loyalty Credit (%)", help="Credit as a percentage of the next invoice."
    )
    billing_loyalty_amount = fields.Monetary(
        "Loyalty Credit (Fixed)", help="A fixed credit instead of a percentage."
    )
    billing_loyalty_cap = fields.Monetary(
        "Loyalty Credit Cap", help="The most a loyalty credit gives (0: no cap)."
    )
    billing_loyalty_product_id = fields.Many2one(
        "product.product",
        "Loyalty Credit Product",
        help="Product (and so income account and taxes) of the credit line.",
    )
    billing_loyalty_account_id = fields.Many2one(
        "account.account",
        "Loyalty Credit Account",
        help="Account of the credit line; empty: the product's income account.",
    )
    billing_breaker_factor = fields.Float(
        "Circuit Breaker Factor",
        default=3.0,
        help="A run that would send more than this many times the recent daily "
        "average stops and waits for a manager to confirm.",
    )
    billing_breaker_minimum = fields.Integer(
        "Circuit Breaker Minimum",
        default=200,
        help="Runs sending up to this many messages never trip the breaker.",
    )
    billing_breaker_tripped = fields.Integer(
        "Messages Held",
        readonly=True,
        help="Messages the last run held back, waiting for confirmation.",
    )
    billing_breaker_confirmed_date = fields.Date(
        "Large Run Confirmed For",
        readonly=True,
    )
    billing_coexistence = fields.Selection(
        [("other", "The other module sends"), ("this", "This addon sends")],
        "Coexistence",
        required=True,
        default="other",
        help="When another follow-up module is installed, which one reminds the "
        "customers it also follows up; until a manager decides, this addon "
        "leaves them to the other module.",
    )

    @api.model
    @tools.ormcache()
    def _billing_other_followup_modules(self):
        """Names of the other follow-up modules installed (the cache is
        cleared when modules are installed or removed)."""
        # sudo: which modules are installed is no secret, reading them needs rights
        modules = (
            self.env["ir.module.module"]
            .sudo()
            .search(
                [("name", "in", OTHER_FOLLOWUP_MODULES), ("state", "=", "installed")]
            )
        )
        return tuple(sorted(modules.mapped("name")))

    @api.model
    def _billing_followup_set_default_sequence(self):
        """Give the shipped default sequence to companies without one."""
        sequence = self.env.ref("billing_followup.sequence_default")
        self.search([("billing_followup_sequence_id", "=", False)]).write(
            {"billing_followup_sequence_id": sequence.id}
        )

    @api.model_create_multi
    def create(self, vals_list):
        sequence = self.env.ref(
            "billing_followup.sequence_default", raise_if_not_found=False
        )
        for vals in vals_list:
            vals.setdefault("billing_followup_sequence_id", sequence and sequence.id)
        return super().create(vals_list)

    def _billing_check_manager(self):
        """Follow-up managers change some of these settings from the
        follow-up menu, in sudo: only in their own companies."""
        manager = "billing_followup.billing_followup_group_manager"
        if not self.env.user.has_group(manager) or self - self.env.user.company_ids:
            raise AccessError(
                self.env._(
                    "Only a follow-up manager of %(companies)s can do this.",
                    companies=", ".join(self.mapped("display_name")),
                )
            )

    def action_billing_confirm_large_run(self):
        """A manager lets today's held run go out; the scheduled action resumes."""
        engine = self.env["billing.followup.engine"]
        for company in self:
            # the run compares with the day in the company's time zone
            company.write(
                {
                    "billing_breaker_confirmed_date": engine._today(company),
                    "billing_breaker_tripped": 0,
                }
            )
        self.env.ref("billing_followup.ir_cron_billing_followup")._trigger()
        return True
