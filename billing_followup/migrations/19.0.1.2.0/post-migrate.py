"""19.0.1.2.0: the shipped email templates get their new subject and body,
but only where the database still holds a text this addon shipped.

The templates are `noupdate` (an accountant's edits survive updates), so
Odoo leaves them alone. For each template and each of `subject` and
`body_html`: when the English text is one of the shipped versions
(`shipped_templates.json`: fingerprints of every version of the data files
and of their translations in the addon's history), it takes the text of the
data file, read as Odoo's loader (and its *Reset Template*) reads it, for
these two fields only; each translation that is a shipped one takes the
one of the language's `.po` file, any other (edited) translation is kept as
it is. An edited English text keeps the whole field untouched.
"""

import hashlib
import json
import logging
from pathlib import Path

from lxml import etree

from odoo import SUPERUSER_ID, api
from odoo.modules.module import get_module_path
from odoo.tools import SQL
from odoo.tools.convert import _eval_xml, xml_import
from odoo.tools.misc import file_open
from odoo.tools.translate import PoFileReader

_logger = logging.getLogger(__name__)

MODULE = "billing_followup"
FIELDS = ("subject", "body_html")
SHIPPED = Path(__file__).parent / "shipped_templates.json"


def fingerprint(value):
    return hashlib.sha256(value.encode()).hexdigest()[:20]


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    shipped = json.loads(SHIPPED.read_text(encoding="utf-8"))
    translations = po_translations(env)
    for xmlid, fields in shipped.items():
        template = env.ref(f"{MODULE}.{xmlid}", raise_if_not_found=False)
        if template and template.template_fs:
            refresh(env, template, xmlid, fields, translations)


def english(fields, name):
    return fields.get(name, {}).get("en_US", ())


def stored(env, template):
    env.cr.execute(
        SQL(
            "SELECT subject, body_html FROM mail_template WHERE id = %s",
            template.id,
        )
    )
    return dict(zip(FIELDS, env.cr.fetchone(), strict=True))


def refresh(env, template, xmlid, fields, translations):
    """Refresh the fields of `template` whose English text was shipped."""
    before = stored(env, template)
    fresh = [
        name
        for name in FIELDS
        if (before[name] or {}).get("en_US")
        and fingerprint(before[name]["en_US"]) in english(fields, name)
    ]
    if not fresh:
        _logger.info("Template %s was edited: left as it is", xmlid)
        return
    english_texts = file_values(env, template, xmlid, fresh)
    values = {}
    for name in fresh:
        value = {"en_US": english_texts[name]}
        for lang, text in before[name].items():
            if lang == "en_US":
                continue
            # a translation as shipped (its .po file's), or the English text
            shipped = {
                *fields[name].get(lang.split("_")[0], ()),
                *english(fields, name),
            }
            if fingerprint(text) not in shipped:
                value[lang] = text  # edited by someone: kept
            elif translations.get((xmlid, name, lang)):
                value[lang] = translations[(xmlid, name, lang)]
        values[name] = value
    env.cr.execute(
        SQL(
            "UPDATE mail_template SET %s WHERE id = %s",
            SQL(", ").join(
                SQL("%s = %s", SQL.identifier(name), json.dumps(value))
                for name, value in values.items()
            ),
            template.id,
        )
    )
    template.invalidate_recordset(list(values))
    changed = [name for name in values if values[name] != before[name]]
    if changed:
        _logger.info("Template %s refreshed: %s", xmlid, ", ".join(changed))


def file_values(env, template, xmlid, names):
    """{field: English text} of `names` in the template's record of its data
    file, as Odoo's loader stores them. Nothing is written through the ORM:
    a template written is rendered on some record of its model to check it,
    which an upgrade cannot let fail."""
    with file_open(template.template_fs, "rb") as source:
        doc = etree.parse(source)
    [record] = doc.xpath("//record[@id=$xmlid]", xmlid=xmlid)
    loader = xml_import(env, MODULE, {}, mode="init", xml_filename=template.template_fs)
    return {
        node.get("name"): str(
            template._fields[node.get("name")].convert_to_cache(
                _eval_xml(loader, node, env), template
            )
        )
        for node in record.xpath("field")
        if node.get("name") in names
    }


def po_translations(env):
    """{(xmlid, field, lang): text} of the templates in the addon's .po."""
    result = {}
    i18n = Path(get_module_path(MODULE)) / "i18n"
    for lang, _name in env["res.lang"].get_installed():
        path = i18n / f"{lang.split('_')[0]}.po"
        if lang == "en_US" or not path.exists():
            continue
        with path.open("rb") as po:
            for entry in PoFileReader(po):
                model, _sep, field = (entry.get("name") or "").partition(",")
                if entry.get("type") == "model" and model == "mail.template":
                    xmlid = entry["imd_name"].split(".")[-1]
                    if field in FIELDS and entry["value"]:
                        result[(xmlid, field, lang)] = entry["value"]
    return result
