"""Two real Odoo processes on one PostgreSQL run the follow-up of the same
customers at the same time: each customer gets one reminder, and both
processes did part of the work."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from odoo.tests import TransactionCase
from odoo.tools import config

from .committed_data import CommittedCustomers

CUSTOMERS = int(os.environ.get("BILLING_PROCESSES_CUSTOMERS", 2000))


class TestTwoProcesses(TransactionCase):
    def test_two_processes_share_the_customers(self):
        data = CommittedCustomers(self.env.cr.dbname, CUSTOMERS, "Shared").create(self)
        worker = Path(__file__).with_name("followup_worker.py")
        start_at = time.time() + 8  # both registries loaded by then
        command = [
            sys.executable,
            str(worker),
            "-c",
            config["config"],
            "--addons-path",
            ",".join(config["addons_path"]),
            "-d",
            self.env.cr.dbname,
            "--date",
            data.today.isoformat(),
            "--partners",
            ",".join(map(str, data.partner_ids)),
            "--start-at",
            str(start_at),
        ]
        processes = []
        for _i in range(2):
            processes.append(
                subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
            )
            self.addCleanup(processes[-1].kill)  # before the data is removed
        outputs = [process.communicate(timeout=300)[0] for process in processes]
        self.assertEqual([p.returncode for p in processes], [0, 0], outputs)
        results = [json.loads(out.strip().splitlines()[-1]) for out in outputs]
        emails = [result["counts"].get("emails", 0) for result in results]
        self.assertEqual(sum(emails), CUSTOMERS, results)
        self.assertTrue(all(emails), f"both processes sent reminders: {results}")
        self.assertNotEqual(results[0]["pid"], results[1]["pid"])
        with data.db.cursor() as cr:
            done = data.emails_per_customer(cr)
        self.assertEqual(len(done), CUSTOMERS)
        self.assertEqual(set(done.values()), {(1, 1)}, "one reminder each")
