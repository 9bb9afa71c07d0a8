from . import (
    base_partner_merge_automatic_wizard,
    billing_credit_hold_override,
    billing_followup_call,
    billing_followup_coexistence,
    billing_followup_partner_settings,
    billing_followup_pause,
    billing_followup_release_run,
    billing_followup_run_preview,
    billing_followup_send_now,
    billing_followup_stage_set,
    billing_followup_step_preview,
    mail_compose_message,
)
