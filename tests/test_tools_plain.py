"""`billing_followup/tools/` is plain Python: no module of it uses the ORM."""

import ast
from pathlib import Path

import odoo.addons.billing_followup.tools as tools

ORM_MODULES = ("odoo.models", "odoo.api", "odoo.fields", "odoo.orm")
ORM_NAMES = {"models", "api", "fields", "Command", "orm"}


def orm_imports(source):
    """The ORM modules or names `source` imports, sorted."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules = [node.module]
            if node.module == "odoo":
                found |= {a.name for a in node.names if a.name in ORM_NAMES}
        else:
            continue
        found |= {
            module
            for module in modules
            if any(module == m or module.startswith(f"{m}.") for m in ORM_MODULES)
        }
    return sorted(found)


def test_the_check_sees_each_way_to_import_the_orm():
    source = (
        "import odoo.models\n"
        "from odoo import api, tools\n"
        "from odoo.fields import Domain\n"
        "from odoo.orm.models import BaseModel\n"
        "from odoo.tools import SQL\n"
    )
    assert orm_imports(source) == [
        "api",
        "odoo.fields",
        "odoo.models",
        "odoo.orm.models",
    ]


def test_no_module_of_tools_imports_the_orm():
    paths = sorted(Path(tools.__file__).parent.glob("*.py"))
    assert len(paths) > 3
    offenders = {
        path.name: found
        for path in paths
        if (found := orm_imports(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}
