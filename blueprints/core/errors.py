"""Error pages in Russian; a short fragment when htmx asked for one."""
import logging

from flask import redirect, render_template
from flask_htmx import make_response
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, default_exceptions

from .htmx import wants_fragment
from .stash import stash_form

log = logging.getLogger("opora")

MESSAGES = {
    400: ("Неверный запрос", "Запрос не удалось обработать. Вернитесь назад и повторите."),
    403: ("Доступ запрещён", "У вашей учётной записи нет прав на эту страницу."),
    404: ("Страница не найдена", "Такой страницы нет, или у вас нет к ней доступа."),
    405: ("Действие недоступно", "Этот адрес не принимает такой запрос."),
    413: ("Слишком большой объём данных",
          "Файл или форма превышают допустимый размер. Уменьшите файл и повторите."),
    429: ("Слишком много попыток", "Подождите немного и повторите."),
    503: ("Сервис временно недоступен", "Повторите попытку позже."),
    500: ("Внутренняя ошибка",
          "Что-то пошло не так на сервере. Ваши данные не сохранены; повторите позже."),
}


def fail(code, message):
    """Abort with a Russian message shown on the error page (e.g. 429 with the wait time)."""
    error = default_exceptions[code](description=message)
    error.opora_message = True
    raise error


def render_error(code, message=None):
    title, default = MESSAGES.get(code, MESSAGES[400 if code < 500 else 500])
    template = "errors/_error.html" if wants_fragment() else "errors/error.html"
    return render_template(template, code=code, title=title, message=message or default), code


def init_app(app):
    @app.errorhandler(CSRFError)
    def _csrf(error):
        target = stash_form()  # back to the same page with what was typed, if it was kept
        if target:
            return make_response(redirect=target) if wants_fragment() else redirect(target, 303)
        return render_error(
            400,
            "Форма устарела или отправлена не с этой страницы. "
            "Обновите страницу (введённые данные сохранятся в браузере) и отправьте снова.",
        )

    @app.errorhandler(HTTPException)
    def _http(error):
        if error.code is None or error.code < 400:
            return error
        custom = error.description if getattr(error, "opora_message", False) else None
        response = render_error(error.code, custom)
        if error.code == 405 and error.valid_methods:
            return response[0], 405, {"Allow": ", ".join(error.valid_methods)}
        return response

    @app.errorhandler(Exception)
    def _unexpected(error):
        if isinstance(error, HTTPException):
            return _http(error)
        log.exception("unhandled error")
        return render_error(500)

