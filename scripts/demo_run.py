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
