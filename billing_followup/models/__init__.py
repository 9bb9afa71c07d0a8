from . import billing_followup_engine
