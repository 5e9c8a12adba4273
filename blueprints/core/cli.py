"""Command-line tasks: `flask --app app upgrade-db | setup | create-admin | load-demo | backup | restore |
pdf-converter`."""
import os

import click
from flask import current_app

from models import Organization, User, db
from models.migrations import upgrade

from .backup import backup_command, restore_command
from ..documents.pdf_supervisor import pdf_converter_command
from .demo import DEMO_PASSWORD, describe_accounts, load_demo


def _print_accounts():
    click.echo(f"Демо-учётные записи (пароль «{DEMO_PASSWORD}»):")
    for login, description in describe_accounts():
        click.echo(f"  {login:<11} {description}")


def register_cli(app):
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(pdf_converter_command)

    @app.cli.command("upgrade-db")
    def upgrade_db():
        """Create the database or bring it to the current schema."""
        with db.connection_context():
            applied = upgrade(db)
        click.echo(f"Применено миграций: {len(applied)}" + (f" ({', '.join(applied)})" if applied else ""))

    @app.cli.command("setup")
    def setup():
        """Upgrade the database; on a new database load the demo data (unless OPORA_DEMO=0)."""
        with db.connection_context():
            applied = upgrade(db)
            is_new = "0001_initial" in applied
            if is_new and current_app.config["OPORA_DEMO"]:
                load_demo()
            if User.select().where(User.login == "school1").exists():
                _print_accounts()
        click.echo(f"База данных: {current_app.config['DATABASE_URL']}")
        host, port = os.environ.get("HOST", "127.0.0.1"), os.environ.get("PORT", "8000")
        click.echo(f"Откройте http://{host}:{port}/")

    @app.cli.command("load-demo")
    def load_demo_command():
        """Load the demo organisations and accounts into an empty database."""
        with db.connection_context():
            if Organization.select().exists():
                raise click.ClickException("В базе уже есть организации: демо-данные не загружены.")
            load_demo()
            _print_accounts()

    @app.cli.command("create-admin")
    @click.option("--login", prompt="Логин администратора", default="admin")
    @click.option("--full-name", prompt="ФИО", default="Администратор")
    @click.password_option("--password", prompt="Пароль", confirmation_prompt="Повторите пароль")
    def create_admin(login, full_name, password):
        """Create an administrator account; the password is asked, never defaulted."""
        if len(password) < 8:
            raise click.ClickException("Пароль должен быть не короче 8 символов.")
        with db.connection_context():
            upgrade(db)
            if User.select().where(User.login == login).exists():
                raise click.ClickException(f"Пользователь {login} уже существует.")
            user = User(login=login, full_name=full_name, role="admin",
                        position="Администратор системы")
            user.set_password(password)
            user.save()
        click.echo(f"Администратор {login} создан.")
