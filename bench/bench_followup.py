"""Benchmark of the daily follow-up run: seconds and SQL queries.

For each size N it builds N customers with M open invoices each (5 ORM-made
invoices cloned by SQL, so that every stored field is what Odoo computes),
as a database in use has them: emailed (each with its portal token),
written the day before, with the customers' payer profiles and the
planner's statistics. Then it measures, in a transaction rolled back
afterwards:
- the run on a day when nothing is due, the first run (it writes every
  customer's worklist row), and on the next day (it keeps them);
- the run on a day when every customer gets a reminder (emails rendered and
  queued, events written);
- the payer-profile refresh of every customer, the aging pivot (customer x
  bucket), the company's 12-month DSO trend, and the accountant's screens:
  the dashboard's counts (every card, mine and everybody's), what the
  reminders achieve (per step) and the 13-week cash forecast (per week).
- the run of the next day, once the reminded step charges a late fee and
  every tenth customer agreed a payment plan: the others are charged a fee
  (a fee invoice posted, an event written), those in a plan get the
  heads-up of their first instalment.
Run it with `make bench`; it prints a table for the README, with the peak
memory (RSS) of the process at the end of each row. `--rows` measures some
rows only: `make bench SIZES=100000 ROWS=nothing` is the half-million open
items size (documented in the README, not run in CI).
"""

import argparse
import resource
import time
from datetime import timedelta

import odoo
from odoo import Command, api, fields
from odoo.modules.registry import Registry
from odoo.tools import SQL, config


def build(env, customers, invoices, due):
    """N customers with M posted invoices each, all due on `due`."""
    company = env.company
    # a company without an email address sends no reminder (skipped_no_sender)
    company.email = company.email or "billing@bench.example"
    template_partner = env["res.partner"].create(
        {
            "name": "Bench customer",
            "email": "bench@customer.example",
        }
    )
    moves = env["account.move"].create(
        [
            {
                "move_type": "out_invoice",
                "partner_id": template_partner.id,
                "invoice_date": due - timedelta(days=30),
                "invoice_date_due": due,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": f"Service {i}",
                            "quantity": 1,
                            "price_unit": 100.0 + i,
                            "tax_ids": [],
                        }
                    )
                ],
            }
            for i in range(invoices)
        ]
    )
    moves.action_post()
    for move in moves:
        move._portal_ensure_token()
    # a customer's payer profile is refreshed once; the clones share it
    template_partner._billing_refresh_payer_profile(company, due)
    env.flush_all()
    cr = env.cr
    partner_ids = sql_clone(cr, "res_partner", [template_partner.id] * customers)
    cr.execute(
        SQL(
            "UPDATE res_partner SET commercial_partner_id = id,"
            " name = 'Bench customer ' || id, complete_name = 'Bench customer ' || id"
            " WHERE id = ANY(%s)",
            partner_ids,
        )
    )
    pairs = [(move.id, pid) for pid in partner_ids for move in moves]
    cr.execute("CREATE TEMP TABLE bench_map (tid int, pid int, new_id int)")
    cr.execute(
        SQL(
            "INSERT INTO bench_map SELECT t, p, nextval('account_move_id_seq')"
            " FROM unnest(%s::int[], %s::int[]) AS u(t, p)",
            [t for t, _p in pairs],
            [p for _t, p in pairs],
        )
    )
    move_cols = sql_columns(
        cr,
        "account_move",
        {"id", "partner_id", "name", "commercial_partner_id", "access_token"},
    )
    # each invoice was emailed: Odoo gave it its own portal token then
    cr.execute(
        SQL(
            "INSERT INTO account_move"
            " (id, partner_id, commercial_partner_id, name, access_token, %s)"
            " SELECT m.new_id, m.pid, m.pid, t.name || '-' || m.new_id,"
            " gen_random_uuid()::text, %s"
            " FROM bench_map m JOIN account_move t ON t.id = m.tid",
            SQL(", ".join(move_cols)),
            SQL(", ".join(f"t.{c}" for c in move_cols)),
        )
    )
    line_cols = sql_columns(cr, "account_move_line", {"id", "move_id", "partner_id"})
    cr.execute(
        SQL(
            "INSERT INTO account_move_line (move_id, partner_id, %s)"
            " SELECT m.new_id, m.pid, %s"
            " FROM bench_map m JOIN account_move_line l ON l.move_id = m.tid",
            SQL(", ".join(line_cols)),
            SQL(", ".join(f"l.{c}" for c in line_cols)),
        )
    )
    cr.execute("DROP TABLE bench_map")
    # written the day before the runs, as in a database in use: a run keeps
    # the worklist rows of customers unchanged since they were written
    for table in ("res_partner", "account_move", "account_move_line"):
        cr.execute(
            SQL(
                "UPDATE %s SET write_date = write_date - interval '1 day'"
                " WHERE write_date >= now()",
                SQL.identifier(table),
            )
        )
    # a production database has its planner statistics (autovacuum); tables
    # filled inside this transaction have none until analysed
    cr.execute("ANALYZE res_partner, account_move, account_move_line")
    env.invalidate_all()
    company.billing_breaker_confirmed_date = due + timedelta(days=1)
    return env["res.partner"].browse(partner_ids)


def sql_columns(cr, table, excluded):
    cr.execute(
        SQL(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_name = %s ORDER BY ordinal_position",
            table,
        )
    )
    return [f'"{name}"' for (name,) in cr.fetchall() if name not in excluded]


def sql_clone(cr, table, source_ids):
    """Copy rows of `table` by SQL, one copy per id listed; returns new ids."""
    columns = sql_columns(cr, table, {"id"})
    cr.execute(
        SQL(
            "INSERT INTO %s (%s) SELECT %s FROM %s t"
            " JOIN unnest(%s::int[]) WITH ORDINALITY AS u(id, n) ON u.id = t.id"
            " ORDER BY u.n RETURNING id",
            SQL.identifier(table),
            SQL(", ".join(columns)),
            SQL(", ".join(f"t.{c}" for c in columns)),
            SQL.identifier(table),
            source_ids,
        )
    )
    return [row[0] for row in cr.fetchall()]


def charge_fees(env, on):
    """The steps reached on `on` charge a fixed fee of 40 from now on."""
    product = env["product.product"].create(
        {"name": "Late fee", "type": "service", "taxes_id": []}
    )
    policy = env["billing.late.fee.policy"].create(
        {"name": "Bench fee", "fixed_amount": 40.0, "product_id": product.id}
    )
    sequence = env.company.billing_followup_sequence_id
    sequence.late_fee_policy_id = policy
    events = env["billing.followup.event"].search([("date", "=", on)], limit=1)
    events.step_id.apply_late_fee = True


def start_plans(env, partners, first):
    """Every tenth customer agreed a plan of two instalments, the first on
    `first`: its invoices leave the ladder, its fee too."""
    partners = partners[::10]
    moves = env["account.move"].search(
        [("partner_id", "in", partners.ids), ("move_type", "=", "out_invoice")]
    )
    by_partner = moves.grouped("partner_id")
    plans = env["billing.payment.plan"].create(
        [
            {
                "partner_id": partner.id,
                "move_ids": [Command.set(by_partner[partner].ids)],
                "line_ids": [
                    Command.create({"date": first, "amount": 300.0}),
                    Command.create(
                        {
                            "date": first + timedelta(days=30),
                            "amount": sum(by_partner[partner].mapped("amount_total"))
                            - 300.0,
                        }
                    ),
                ],
            }
            for partner in partners
        ]
    )
    plans.action_start()
    return plans


def measure(env, label, function):
    cr = env.cr
    env.flush_all()
    env.invalidate_all()
    queries = cr.sql_log_count
    start = time.perf_counter()
    function()
    env.flush_all()
    seconds = time.perf_counter() - start
    # the peak resident memory of the process so far, in MB (Linux: KB)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return label, seconds, cr.sql_log_count - queries, peak


def _aging(env, on):
    """The aging pivot on `on`: open amount per customer and bucket (the
    bench's invoices are dated in the future: as of today it would read
    none)."""
    return (
        env["billing.aging.report"]
        .with_context(billing_aging_date=on)
        ._read_group([], ["partner_id", "bucket"], ["amount_residual:sum"])
    )


def _dso(env, on):
    """The DSO trend up to `on`: the company's countback DSO per month."""
    return (
        env["billing.dso.report"]
        .with_context(billing_dso_date=on)
        ._read_group(
            [("level", "=", "company")], ["month:month"], ["dso_countback:avg"]
        )
    )


def _dashboard(env):
    """Every card of the Follow-up dashboard, mine and everybody's."""
    return env["billing.followup.dashboard"].search([]).mapped("count_all")


def _effectiveness(env):
    """What the reminders achieve, per step."""
    return env["billing.followup.effectiveness"]._read_group(
        [],
        ["step_id"],
        ["sent_count:sum", "reminded_amount:sum", "paid_7_share:sum"],
    )


def _forecast(env):
    """The cash forecast's bars: expected receipts per week."""
    return env["billing.cash.forecast"]._read_group(
        [], ["expected_date:week"], ["expected_amount:sum"]
    )


ROWS = ("nothing", "remind", "analytics", "fee")


def run_size(registry, customers, invoices, wanted=ROWS):
    rows = []
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        due = fields.Date.today() + timedelta(days=60)
        while (due + timedelta(days=1)).weekday() >= 5:  # remind on a weekday
            due += timedelta(days=1)
        start = time.perf_counter()
        partners = build(env, customers, invoices, due)
        build_seconds = time.perf_counter() - start
        engine = env["billing.followup.engine"]
        nothing = due - timedelta(days=30)
        remind = due + timedelta(days=1)
        if "nothing" in wanted:
            rows.append(measure(env, "nothing due", lambda: engine._run(date=nothing)))
            rows.append(
                measure(
                    env,
                    "nothing due, next",
                    lambda: engine._run(date=nothing + timedelta(days=1)),
                )
            )
        if {"remind", "analytics", "fee"} & set(wanted):
            rows.append(measure(env, "all remind", lambda: engine._run(date=remind)))
        if "analytics" in wanted:
            rows += _analytics(env, partners, remind)
        reminded = env["billing.followup.event"].search_count(
            [("partner_id", "in", partners.ids), ("kind", "=", "email")]
        )
        if "fee" in wanted:
            charge_fees(env, remind)
            next_day = remind + timedelta(days=1)
            start_plans(env, partners, next_day + timedelta(days=3))
            rows.append(
                measure(env, "fees and plans", lambda: engine._run(date=next_day))
            )
        cr.rollback()
    return build_seconds, rows, reminded


def _analytics(env, partners, on):
    """The payer profiles' refresh and the accountant's screens."""
    company = env.company
    return [
        measure(
            env,
            "profiles refresh",
            lambda: partners._billing_refresh_payer_profile(company, on),
        ),
        measure(env, "aging", lambda: _aging(env, on)),
        measure(env, "DSO trend", lambda: _dso(env, on)),
        measure(env, "dashboard counts", lambda: _dashboard(env)),
        measure(env, "effectiveness", lambda: _effectiveness(env)),
        measure(env, "forecast", lambda: _forecast(env)),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--invoices", type=int, default=5)
    parser.add_argument("--rows", nargs="+", choices=ROWS, default=ROWS)
    parser.add_argument(
        "--no-fees", action="store_true", help="skip the (slow) fee-charging run"
    )
    args = parser.parse_args()
    config.parse_config(
        [
            "-c",
            args.config,
            "--addons-path",
            args.addons_path,
            "-d",
            args.database,
            "--log-level",
            "warn",
        ]
    )
    registry = Registry(args.database)
    print(
        f"{'customers':>9} {'items':>7} {'run':<20} {'seconds':>8} {'queries':>8}"
        f" {'q/customer':>10} {'customers/s':>11} {'peak MB':>8}"
    )
    wanted = [row for row in args.rows if not (args.no_fees and row == "fee")]
    for size in args.sizes:
        build_seconds, rows, reminded = run_size(registry, size, args.invoices, wanted)
        for label, seconds, queries, peak in rows:
            rate = " " * 11
            if label in ("all remind", "fees and plans"):
                rate = f"{size / seconds:11.0f}"
            print(
                f"{size:>9} {size * args.invoices:>7} {label:<20} {seconds:8.2f}"
                f" {queries:>8} {queries / size:10.2f} {rate} {peak:8.0f}"
            )
        print(
            f"{'':>9} {'':>7} (data built in {build_seconds:.0f} s; "
            f"{reminded} customers reminded)"
        )


if __name__ == "__main__":
    main()
