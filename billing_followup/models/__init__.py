# Mixins first: the models that inherit them need them registered.
from . import billing_followup_message_mixin, billing_proforma_mixin  # isort: split

from . import (
    billing_contract_invoice,
    billing_contract_proforma,
    billing_contract_schedule,
    billing_invoice_proforma,  # isort: split
)

from . import (
    account_journal,
    account_move,
    account_move_credit_hold,
    account_move_hold,
    account_move_line,
    account_move_send,
    account_payment_term,
    billing_aging_report,
    billing_contract,
    billing_contract_deliverable,
    billing_contract_period,
    billing_followup_engine,
    billing_followup_engine_actions,
    billing_followup_engine_failures,
    billing_followup_engine_mail,
    billing_followup_engine_plan,
    billing_followup_engine_profiles,
    billing_followup_engine_stages,
    billing_followup_engine_thanks,
    billing_followup_event,
    billing_followup_event_approval,
    billing_followup_promise,
    billing_followup_review,
    billing_followup_rule,
    billing_followup_sequence,
    billing_followup_stage,
    billing_followup_step,
    billing_followup_weekday,
    billing_followup_worklist,
    billing_scope_change,
    mail_mail,
    res_company,
    res_config_settings,
    res_partner,
    res_partner_pause,
    res_partner_payer_profile,
    res_partner_stage,
)
