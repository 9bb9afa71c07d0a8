from collections import Counter
from dataclasses import replace

from odoo import Command, api, models
from odoo.fields import Domain
from odoo.tools import SQL, format_amount

from ..tools import followup_decision as logic
from ..tools import followup_kinds as kinds
from ..tools import late_fee
from .account_move_fee import PAID_STATES


class BillingLateFeePass(models.Model):
    """The fee pass of the follow-up run: fees decided by
    `followup_fees.fee_due` (shared with the preview), recorded as
    events first (their natural key makes each fee happen once), then
    posted as one fee invoice per event."""

    _inherit = "billing.late.fee.policy"

    @api.model
    def _pass_fees(self, run):
        engine = self.env["billing.followup.engine"]
        counts = Counter(fees_waived=self._waive_paid(run.partners))
        keys = self._fee_candidates(engine._run_candidates(run))
        counts.update(
            engine._in_batches(
                run,
                keys,
                lambda batch: self._charge_fees(batch, run.date),
                kind=kinds.FEE,
            )
        )
        return counts

    @api.model
    def _fee_candidates(self, keys):
        """Sorted (partner id, company id) of `keys` (customers with open
        items) whose ladder went through a step that charges a fee: the only
        ones a fee may be due."""
        open_keys = set(keys)
        if not open_keys:
            return []
        rows = self.env.execute_query(
            SQL(
                """SELECT DISTINCT event.partner_id, event.company_id
                     FROM billing_followup_event event
                     JOIN billing_followup_step step ON step.id = event.step_id
                    WHERE step.apply_late_fee AND event.kind != %s
                      AND event.state = %s AND event.partner_id IN %s""",
                kinds.FEE,
                kinds.DONE,
                tuple(sorted({p for p, _c in open_keys})),
            )
        )
        return sorted(open_keys & {tuple(row) for row in rows})

    @api.model
    def _fee_dues(self, keys, date=None):
        """{key: (date, [logic.FeeDue])} for (partner id, company id) keys on
        `date` (default: each company's today)."""
        engine = self.env["billing.followup.engine"]
        Company = self.env["res.company"]
        gathered = engine._gather(keys)
        dates = {key: date or engine._today(Company.browse(key[1])) for key in keys}
        settings = engine._settings(keys, dates)
        cache = {}
        result = {}
        for key in keys:
            _sequence, rules = settings[key]
            items, history = gathered[key]
            on = dates[key]
            terms = self._fee_terms(items, rules.fee_policy, on, cache)
            rules = replace(rules, fee_terms=terms)
            result[key] = (on, logic.fee_due(items, history, rules, on))
        return result

    @api.model
    def _fee_terms(self, items, fallback, on, cache):
        """{(policy id, currency id): Terms} for `items`, each policy's
        terms computed once per batch, currency and day (`cache`)."""
        terms = {}
        for item in items:
            policy_id = item.fee_policy or fallback
            if not policy_id:
                continue
            cache_key = (policy_id, item.currency, on)
            if cache_key not in cache:
                policy = self.browse(policy_id)
                currency = self.env["res.currency"].browse(item.currency)
                cache[cache_key] = policy._billing_terms(currency, on)
            terms[(policy_id, item.currency)] = cache[cache_key]
        return terms

    @api.model
    def _charge_fees(self, keys, date):
        """Post the fees due for `keys` and record them (the ledger's unique
        key undoes a fee another worker recorded first); returns counts.
        The invoices are created and posted in one go for the batch."""
        dues = [
            (partner_id, company_id, on, due)
            for (partner_id, company_id), (on, fee_dues) in self._fee_dues(
                keys, date
            ).items()
            for due in fee_dues
        ]
        if not dues:
            return Counter()
        fees = self._post_fee_invoices(dues)
        # the ledger is written by the engine only: users may only read it
        self.env["billing.followup.event"].sudo().create(
            [
                self._fee_event_values(partner_id, company_id, on, due)
                | {"move_ids": [Command.set(fee.ids)]}
                for (partner_id, company_id, on, due), fee in zip(
                    dues, fees, strict=True
                )
            ]
        )
        self.env.flush_all()
        return Counter(fees=len(dues))

    @api.model
    def _post_fee_invoices(self, dues):
        """Posted fee invoices, one per (partner id, company id, date, due)
        of `dues` and in their order, a line per invoice charged. What each
        invoice would look up alone (journal, contract, analytic rules,
        last number) is read once for the batch: a fixed number of queries
        however many customers."""
        # read the charged lines and their invoices once for the batch
        charged = self.env["account.move.line"].browse(
            [line for *_k, due in dues for line, _p, _f in due.charges]
        )
        charged.fetch(["move_id", "currency_id"])
        charged.move_id.fetch(["name", "billing_contract_id"])
        journals = self._fee_journals({(c, due.currency) for _p, c, _o, due in dues})
        no_rules = not self._fee_analytic_rules({c for _p, c, _o, _d in dues})
        values_list = []
        for partner_id, company_id, on, due in dues:
            lines = self.env["account.move.line"].browse(
                [line for line, _p, _f in due.charges]
            )
            line_values = [
                self.browse(policy_id)._prepare_fee_line_values(line, fee)
                for (_line, policy_id, fee), line in zip(
                    due.charges, lines, strict=True
                )
            ]
            if no_rules:
                # nothing to look up per line: Odoo would search per line
                for values in line_values:
                    values.setdefault("analytic_distribution", False)
            contract = lines.move_id.billing_contract_id
            values_list.append(
                self.browse(due.charges[0][1])._prepare_fee_invoice_values(
                    line_values,
                    partner_id=partner_id,
                    company_id=company_id,
                    currency_id=due.currency,
                    journal_id=journals[(company_id, due.currency)].id,
                    billing_contract_id=contract.id if len(contract) == 1 else False,
                    invoice_date=on,
                    billing_fee_source_ids=[Command.set(lines.move_id.ids)],
                )
            )
        # the engine posts fees whoever runs it (a follow-up user may not
        # be an invoicing user); the fee's sources are the user's anyway;
        # one note for the batch instead of Odoo's creation message per
        # invoice (a message posted each)
        Move = self.env["account.move"].sudo().with_context(mail_create_nolog=True)
        fees = Move.create(values_list)
        fees.with_context(billing_sequence_formats={}).action_post()
        fees._message_log_batch(
            bodies={
                fee.id: self.env._(
                    "Late fee charged by the follow-up run for %(invoices)s.",
                    invoices=", ".join(fee.billing_fee_source_ids.mapped("name")),
                )
                for fee in fees
            }
        )
        return fees

    @api.model
    def _fee_journals(self, pairs):
        """{(company id, currency id): the sales journal Odoo would pick}."""
        Move = self.env["account.move"].sudo()
        return {
            (company_id, currency_id): Move.new(
                {
                    "move_type": "out_invoice",
                    "company_id": company_id,
                    "currency_id": currency_id,
                }
            ).journal_id
            for company_id, currency_id in pairs
        }

    @api.model
    def _fee_analytic_rules(self, company_ids):
        """Whether analytic distribution models may apply to the fee lines of
        these companies (then Odoo looks them up per line)."""
        # sudo: the rules apply whoever runs the engine
        return bool(
            self.env["account.analytic.distribution.model"]
            .sudo()
            .search_count([("company_id", "in", [*company_ids, False])], limit=1)
        )

    @api.model
    def _fee_event_values(self, partner_id, company_id, on, due):
        currency = self.env["res.currency"].browse(due.currency)
        return {
            "partner_id": partner_id,
            "company_id": company_id,
            "date": on,
            "kind": kinds.FEE,
            "key": due.key,
            "step_id": due.step_id,
            "cycle_date": due.cycle,
            "line_ids": [Command.set([line for line, _p, _f in due.charges])],
            "note": self.env._(
                "Late fee of %(amount)s on %(count)s invoices.",
                amount=format_amount(self.env, due.amount, currency),
                count=len(due.charges),
            ),
        }

    def _prepare_fee_invoice_values(self, lines_values, **values):
        """Values of a fee invoice of this policy; like the contracts'
        `_prepare_invoice_values`, the one place they are built."""
        self.ensure_one()
        return {
            "move_type": "out_invoice",
            "billing_fee_policy_id": self.id,
            "invoice_line_ids": [Command.create(line) for line in lines_values],
            **values,
        }

    def _prepare_fee_line_values(self, line, fee):
        """Values of the fee line charging `line`'s invoice: the fee and how
        it was computed."""
        self.ensure_one()
        values = {
            "name": self._fee_line_name(line, fee),
            "product_id": self.product_id.id,
            "quantity": 1.0,
            "price_unit": fee.amount,
            "billing_fee_source_line_id": line.id,
        }
        if self.account_id:
            values["account_id"] = self.account_id.id
        if self.analytic_distribution:
            values["analytic_distribution"] = self.analytic_distribution
        return values

    def _fee_line_name(self, line, fee):
        currency = line.currency_id
        text = self.env._(
            "Late fee on %(invoice)s: %(base)s overdue %(days)s days",
            invoice=line.move_id.name,
            base=format_amount(self.env, fee.base, currency),
            days=fee.days,
        )
        parts = [text]
        if fee.fixed and fee.pieces:
            parts.append(
                self.env._(
                    "compensation %(amount)s",
                    amount=format_amount(self.env, fee.fixed, currency),
                )
            )
        elif fee.fixed:
            parts.append(format_amount(self.env, fee.fixed, currency))
        for piece in fee.pieces:
            parts.append(
                self.env._(
                    "interest %(days)s days at %(rate)s%% a year (ACT/%(basis)s)",
                    days=piece.days,
                    rate=round(piece.rate, 4),
                    basis=late_fee.DAY_COUNT,
                )
            )
        if fee.capped:
            parts.append(self.env._("capped by the policy"))
        return "; ".join(parts)

    @api.model
    def _waive_paid(self, partners=None):
        """Waive the unpaid fees of paid late invoices whose policy says so;
        returns how many."""
        domain = Domain(
            [
                ("billing_fee_policy_id.waive_when_paid", "=", True),
                ("state", "=", "posted"),
                ("payment_state", "not in", PAID_STATES),
                ("company_id", "in", self.env.companies.ids),
            ]
        )
        if partners is not None:
            domain &= Domain(
                "commercial_partner_id", "in", partners.commercial_partner_id.ids
            )
        fees = self.env["account.move"].search(domain, limit=1000)
        paid = fees.filtered(
            lambda fee: all(
                source.payment_state in PAID_STATES
                for source in fee.billing_fee_source_ids
            )
        )
        if paid:
            # the policy waives for the manager who set it
            paid.sudo().with_context(billing_followup_engine=True)._billing_waive_fees(
                self.env._("the late invoice was paid (policy)")
            )
        return len(paid)
