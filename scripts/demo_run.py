# Run by `make demo` inside `odoo shell`: the daily follow-up, as the cron
# does it, for each company, with a one-line summary per company.
engine = env["billing.followup.engine"]
for company in env["res.company"].search([], order="id"):
    counts = (
        engine.with_company(company)
        .with_context(allowed_company_ids=company.ids)
        ._run()
    )
    summary = ", ".join(
        f"{key.replace('_', ' ')}: {value}" for key, value in counts.items()
    )
    print(f"    {company.name}: {summary}")
env.cr.commit()
