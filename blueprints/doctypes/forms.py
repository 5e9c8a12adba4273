"""The template upload form: the file goes through the upload gate while the form validates."""
from flask import current_app
from wtforms import FileField, StringField
from wtforms.validators import Length, Optional, ValidationError

from ..core.forms import BaseForm, strip
from ..documents.gate import TemplateRejected, check_template


class TemplateUploadForm(BaseForm):
    file = FileField("Файл шаблона (.docx)", description=(
        "Документ Word .docx до 5 МБ. Перед сохранением он проверяется и заполняется образцом "
        "данных; новая версия не применяется, пока вы её не включите."))
    note = StringField("Что изменено", filters=[strip], validators=[
        Optional(), Length(max=500, message="Не длиннее 500 символов.")],
        description="Например: «исправлен отступ в подписи».")

    def __init__(self, *args, doctype=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.doctype = doctype
        self.content = None  # the accepted file's bytes
        self.rejection = None  # the gate's reason, for the audit log

    def validate_file(self, field):
        upload = field.data
        if not upload or not getattr(upload, "filename", ""):
            raise ValidationError("Выберите файл .docx.")
        # One byte over the limit is enough for the gate to say "too big"; never read more.
        data = upload.read(current_app.config["MAX_UPLOAD_BYTES"] + 1)
        try:
            check_template(self.doctype, data)
        except TemplateRejected as rejection:
            self.rejection = str(rejection)
            raise ValidationError(self.rejection) from rejection
        self.content = data

    @property
    def filename(self):
        name = getattr(self.file.data, "filename", "") or ""
        return name.replace("\\", "/").rsplit("/", 1)[-1][:255]  # no client path
