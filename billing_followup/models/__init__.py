from . import (
    account_move,
    billing_followup_engine,
    billing_followup_engine_actions,
    billing_followup_event,
    billing_followup_sequence,
    billing_followup_stage,
    billing_followup_step,
    billing_followup_weekday,
    mail_mail,
    res_company,
    res_partner,
)
