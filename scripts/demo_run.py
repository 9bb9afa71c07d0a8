# Run by `make demo` inside `odoo shell`: the daily follow-up, as the cron
# does it, for each company, with a one-line summary per company. It runs as
# of the company's whole day (an explicit date), so the demo shows reminders
# whatever the hour; the scheduled action waits for each customer's window.
engine = env["billing.followup.engine"]
for company in env["res.company"].search([], order="id"):
    company_engine = engine.with_company(company).with_context(
        allowed_company_ids=company.ids
    )
    counts = company_engine._run(date=company_engine._today())
    summary = ", ".join(
        f"{key.replace('_', ' ')}: {value}" for key, value in counts.items()
    )
    print(f"    {company.name}: {summary}")
env.cr.commit()

# A client answers one of the reminders just sent, through Odoo's mail
# gateway as an incoming mail server would deliver it (once per database):
# the reply lands in the customer's chatter, its responsible gets a to-do,
# its reminders wait, and the review list says "client replied".
Event = env["billing.followup.event"]
if not Event.search_count([("kind", "=", "reply")]):
    reminder = Event.search(
        [("kind", "=", "email"), ("mail_id", "!=", False)], order="id", limit=1
    )
    if reminder:
        mail = reminder.mail_id
        env["mail.thread"].message_process(
            None,
            f"""From: {reminder.contact_id.email_formatted}
To: {reminder.company_id.email or "billing@example.com"}
Subject: Re: {mail.subject}
Message-ID: <demo-reply-{reminder.id}@client.example>
In-Reply-To: {mail.message_id}
References: {mail.message_id}
Content-Type: text/plain; charset="utf-8"

Hello, we paid this last Friday; could you check your bank account? Thanks.
""",
        )
        print(f"    {reminder.partner_id.name} replied to its reminder")
        env.cr.commit()
