"""The ``vigil`` command: a thin layer over vigil's services and selectors.

Django starts only inside the commands that need it, after the data folder is known
(``--data DIR``, else ``VIGIL_DATA_DIR``, else ``./vigil-data``).
"""

from __future__ import annotations

import typer

from vigil.cli import audit, backup, evidence, export, export_public, imports, keys, link, lists, names, records, report, synth
from vigil.cli import users

app = typer.Typer(
    name="vigil",
    help="vigil: documentation of arbitrary detention and enforced disappearance.",
    no_args_is_help=True,
    add_completion=False,
)
records.register(app)
synth.register(app)
backup.register(app)
app.add_typer(imports.app, name="import")
app.add_typer(audit.app, name="audit")
app.add_typer(evidence.app, name="evidence")
app.add_typer(names.app, name="names")
app.add_typer(link.app, name="link")
app.add_typer(lists.app, name="lists")
app.add_typer(keys.app, name="keys")
# One `vigil export` group: the staff exports, and the public dataset.
export.app.registered_commands.extend(export_public.app.registered_commands)
app.add_typer(export.app, name="export")
app.add_typer(report.app, name="report")
app.add_typer(users.app, name="users")


def main() -> None:
    app()
