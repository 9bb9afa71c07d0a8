"""One Odoo process running the follow-up of given customers, for the test
of two processes sharing the work (tests/test_engine_processes.py).

It loads the registry, waits for the common start time, runs the main
company's scheduled follow-up restricted to the customers and prints its
counts as JSON.
"""

import argparse
import json
import os
import time

from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry
from odoo.tools import config


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--date", required=True)
    parser.add_argument("--partners", required=True, help="comma-separated ids")
    parser.add_argument("--start-at", type=float, required=True, help="epoch")
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
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.ref("base.main_company")
        env = env(context={"allowed_company_ids": company.ids})
        partners = env["res.partner"].browse(
            [int(pid) for pid in args.partners.split(",")]
        )
        time.sleep(max(args.start_at - time.time(), 0))
        started = time.time()
        counts = env["billing.followup.engine"]._run_batches(
            fields.Date.to_date(args.date), partners, commit=True
        )
        cr.commit()
    print(
        json.dumps(
            {
                "pid": os.getpid(),
                "seconds": round(time.time() - started, 2),
                "counts": counts,
            }
        )
    )


if __name__ == "__main__":
    main()
