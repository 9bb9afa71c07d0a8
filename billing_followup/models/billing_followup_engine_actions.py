import logging
from collections import Counter, defaultdict
from dataclasses import replace

from odoo import Command, api, models

from ..tools import followup_decision as logic
from ..tools import followup_kinds as kinds

_logger = logging.getLogger(__name__)


class BillingFollowupEngineActions(models.AbstractModel):
    """The reminder pass and the engine's actions: events first (the
    ledger), then one `_perform_<kind>` per kind of event, all in batch so
    that a batch costs the same number of queries whatever its number of
    customers."""

    _inherit = "billing.followup.engine"

    @api.model
    def _pass_reminders(self, run):
        """The reminder steps planning found due, batch by batch: each batch
        locked, re-planned and acted on. The statements rendered for them
        and not attached (skipped, paid meanwhile) are dropped after."""
        engine = self.with_context(billing_prerendered_statements=run.statement_pdfs)
        counts = engine._in_batches(
            run,
            run.due,
            lambda keys: engine._act(engine._decide(keys, run.date, run.now)),
        )
        self._drop_statement_pdfs(run)
        return counts

    @api.model
    def _act(self, decisions):
        """Record and perform the actions of `decisions`; returns counts."""
        counts = Counter()
        vals_list = []
        # Records browsed from one recordset share its prefetching: the
        # contacts and their email checks are read once for the batch.
        partners = self.env["res.partner"].browse([p for p, _c in decisions])
        partners = {partner.id: partner for partner in partners}
        # the invoices of the items the events list, read once for the batch
        self.env["account.move.line"].browse(
            line_id
            for _on, decision, _seq in decisions.values()
            if isinstance(decision, logic.Action)
            for line_id in decision.listed
        ).fetch(["move_id"])
        for (partner_id, company_id), (on, decision, _seq) in decisions.items():
            if not isinstance(decision, logic.Action):
                counts[kinds.skipped_key(decision.reason)] += 1
                continue
            if not self._has_sender(company_id, decision):
                counts[kinds.skipped_key(kinds.SKIP_NO_SENDER)] += 1
                if not decision.clear_stage:
                    continue
                # only the emailing step waits for the address, not the stage
                decision = replace(decision, step_id=None)
            vals, action_counts = self._action_events(
                partners[partner_id], company_id, on, decision
            )
            vals_list += vals
            counts.update(action_counts)
        if counts[kinds.skipped_key(kinds.SKIP_NO_SENDER)]:
            _logger.warning(
                "Follow-up: %s reminders not sent, their company has no email",
                counts[kinds.skipped_key(kinds.SKIP_NO_SENDER)],
            )
        # the ledger is written by the engine only: users may only read it
        events = self.env["billing.followup.event"].sudo().create(vals_list)
        self.env.cr.flush()
        self._perform(events.filtered(lambda e: e.state == kinds.DONE))
        return counts

    @api.model
    def _has_sender(self, company_id, action):
        """A step that emails needs the company's address as its sender:
        without it nothing is recorded, and the step goes out once it is
        set (a mail with an empty From would be refused or lost)."""
        step = self.env["billing.followup.step"].browse(action.step_id)
        return not step.send_email or self.env["res.company"].browse(company_id).email

    @api.model
    def _action_events(self, partner, company_id, on, action):
        """Event values of one action (its step's, and clearing the stage
        when nothing is overdue any more) and their counts."""
        vals_list, counts = [], Counter()
        if action.step_id is not None:
            vals_list, counts = self._step_events(partner, company_id, on, action)
        step = self.env["billing.followup.step"].browse(action.step_id)
        if action.clear_stage and not (step.stage_id and action.set_stage):
            vals_list.append(
                {
                    "partner_id": partner.id,
                    "company_id": company_id,
                    "date": on,
                    "kind": kinds.STAGE,
                    "key": kinds.stage_clear_key(on),
                    "stage_id": self.env["billing.followup.stage"]._lowest().id,
                    "stage_from_id": partner.with_company(
                        company_id
                    ).billing_stage_id.id,
                    "note": self.env._(
                        "Nothing overdue any more: back to good standing."
                    ),
                }
            )
            counts["stages_cleared"] += 1
        return vals_list, counts

    @api.model
    def _step_events(self, partner, company_id, on, action):
        """Event values of a step, one per channel, and their counts."""
        step = self.env["billing.followup.step"].browse(action.step_id)
        # a customer in manual mode: every step waits for a user's review
        review = step.needs_review or action.review
        contact = partner._billing_contact()
        listed = self.env["account.move.line"].browse(action.listed)
        base = {
            "partner_id": partner.id,
            "company_id": company_id,
            "date": on,
            "step_id": step.id,
            "cycle_date": action.cycle,
            "line_ids": [Command.set(action.listed)],
            "reminded_line_ids": [Command.set(action.about)],
            "move_ids": [Command.set(listed.move_id.ids)],
            "contact_id": contact.id,
            "state": self._step_state(step, action, review),
        }
        counts = Counter(customers_acted=1)
        counts[base["state"]] += base["state"] != kinds.DONE
        channels = []
        problem = step.send_email and contact._billing_email_problem_text()
        if problem:
            counts["undeliverable"] += 1
            channels.append((kinds.EMAIL, {"state": kinds.FAILED, "note": problem}))
        elif step.send_email:
            channels.append((kinds.EMAIL, {}))
        if step.create_activity or (problem and not step.print_letter):
            # the person who acts must know the email did not go out
            failed = problem and self.env._(
                "The reminder email was not sent: %(reason)s", reason=problem
            )
            channels.append((kinds.ACTIVITY, {"note": failed} if failed else {}))
        if step.print_letter:
            channels.append((kinds.LETTER, {}))
        if step.stage_id and action.set_stage:
            current = partner.with_company(company_id).billing_stage_id
            channels.append(
                (
                    kinds.STAGE,
                    {"stage_id": step.stage_id.id, "stage_from_id": current.id},
                )
            )
        for kind, extra in channels:
            if extra.get("state") != kinds.FAILED:
                counts[kinds.COUNT_KEYS[kind]] += 1
        first = action.about[0] if action.heads_up else None
        return [
            base
            | {"kind": kind, "key": kinds.step_key(step.id, action.cycle, kind, first)}
            | extra
            for kind, extra in channels
        ], counts

    @api.model
    def _step_state(self, step, action, review):
        """A step whose stage needs approval waits for a manager (then for
        its review, if it has one); nothing of it happens before."""
        if action.approval:
            return kinds.TO_APPROVE
        return kinds.TO_REVIEW if review else kinds.DONE

    @api.model
    def _perform(self, events):
        """Carry out done events, kind by kind in the order of the kinds."""
        # mails, activities and stages for customers of other users too
        by_kind = events.sudo().grouped("kind")
        for kind in events._fields["kind"].get_values(self.env):
            if kind in by_kind:
                getattr(self, f"_perform_{kind}")(by_kind[kind])

    @api.model
    def _perform_email(self, events):
        # the statements rendered before the lock, still true, are attached
        reused = self._reuse_statement_pdfs(events)
        self.with_context(billing_statement_attachments=reused)._send_emails(events)

    @api.model
    def _perform_thanks(self, events):
        self._send_emails(events)

    @api.model
    def _perform_activity(self, events):
        self._create_activities(events)

    @api.model
    def _perform_letter(self, events):
        """Letters are printed from their event (report): nothing to send."""

    @api.model
    def _perform_stage(self, events):
        self._apply_stages(events)

    @api.model
    def _responsible(self, partner, company, moves=None):
        """Who gets the customer's activities: its responsible, else the
        company's, else the invoices' salesperson, else a follow-up manager;
        never a user nobody reads (OdooBot, archived, portal, elsewhere)."""
        partner = partner.with_company(company)
        # the cron runs as OdooBot: the candidates' groups and companies are read
        candidates = (
            partner.billing_responsible_id
            | company.billing_responsible_id
            | (moves or self.env["account.move"]).invoice_user_id
        ).sudo()
        managers = (
            self.env.ref("billing_followup.billing_followup_group_manager")
            .sudo()
            .all_user_ids.sorted("id")
        )
        for user in [*candidates, *managers]:
            if self._reads_activities(user, company):
                return user.with_env(self.env)
        return self.env["res.users"]

    @api.model
    def _reads_activities(self, user, company):
        """Whether `user` (read as superuser) reads the activities of
        `company`'s customers: active, internal, not OdooBot, in the company."""
        return bool(
            user.active
            and not user.share
            and not user._is_superuser()
            and company in user.company_ids
        )

    @api.model
    def _create_activities(self, events):
        """The activities of `events`, on their step's activity type (a call
        by default), for the customer's responsible."""
        call = self.env.ref("mail.mail_activity_data_call")
        wanted = {}
        for event in events:
            user = self._responsible(event.partner_id, event.company_id, event.move_ids)
            key = (
                event.partner_id.id,
                (event.step_id.activity_type_id or call).id,
                user.id,
                event.date,
            )
            summary = event.step_id.activity_summary or event.step_id.name
            wanted.setdefault(key, [summary, event.browse()])[1] |= event
        found = self._schedule_activities(wanted)
        for key, (_summary, grouped) in wanted.items():
            grouped.activity_id = found[key]

    @api.model
    def _schedule_activities(self, wanted):
        """One activity per customer, type, person and day: `wanted` maps
        (partner id, type id, user id, date) to (summary, events); an activity
        of the same key joins them (a failed email on a call day, two cycles,
        a stage entered that day) and gets their notes too. Returns
        {key: activity}."""
        if not wanted:
            return {}
        # activities assigned to other users (the responsibles)
        Activity = self.env["mail.activity"].sudo()
        existing = Activity.search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", list({key[0] for key in wanted})),
                ("date_deadline", "in", list({key[3] for key in wanted})),
            ]
        )
        found = {
            (a.res_id, a.activity_type_id.id, a.user_id.id, a.date_deadline): a
            for a in existing
        }
        for key, (summary, events) in wanted.items():
            if key in found:
                # what the joining events are about, when it is not said yet
                about = [summary] if summary != found[key].summary else []
                found[key]._billing_add_notes(about + events.mapped("note"))
        missing = [key for key in wanted if key not in found]
        model_id = self.env["ir.model"]._get_id("res.partner")
        created = Activity.with_context(mail_activity_quick_update=True).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": key[0],
                    "activity_type_id": key[1],
                    "summary": wanted[key][0],
                    "note": Activity._billing_notes_html(wanted[key][1].mapped("note")),
                    "user_id": key[2] or False,
                    "date_deadline": key[3],
                }
                for key in missing
            ]
        )
        found.update(zip(missing, created, strict=True))
        return found

    @api.model
    def _apply_stages(self, events):
        """Move the customers to their events' stages; back in good standing
        a manual stage is released. Then the stages' side effects."""
        groups = defaultdict(lambda: self.env["res.partner"])
        lowest = self.env["billing.followup.stage"]._lowest()
        for event in events:
            groups[(event.company_id, event.stage_id)] |= event.partner_id
        for (company, stage), partners in groups.items():
            vals = {"billing_stage_id": stage.id}
            if stage == lowest:
                vals["billing_stage_manual"] = False
            # the stage is a manager's field: the engine sets it for them
            partners.with_company(company).sudo().with_context(
                billing_stage_engine=True
            ).write(vals)
        self._stage_side_effects(events)
