"""The audit trail: logins, denials, role changes and every other security event."""
from peewee import JOIN, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from .base import BaseModel, now
from .user import User


ACTIONS = {
    # Risk profiles (risks/routes.py)
    "risks.opened": "Открыта самодиагностика рисков для школ перечня",
    "risks.diagnosis_submitted": "Школа отправила самодиагностику рисков",
    "risks.levels_saved": "Изменены уровни рискового профиля",
    "risks.confirmed": "Рисковый профиль подтверждён",
    "risks.reopened": "Самодиагностика рисков возвращена школе",
    "risks.profile_registered": "Зарегистрирован рисковый профиль ОО",
    "risks.summary_registered": "Зарегистрирована сводная справка о рисковых профилях",
    "risks.questionnaire_saved": "Изменена анкета самодиагностики рисков",
    "methodology_saved": "Сохранена методика выявления ШНОР",
    "school_context_saved": "Сохранены данные о социальном контексте школ",
    "identification_run": "Рассчитан перечень ШНОР",
    "identification_manual": "Перечень ШНОР изменён вручную",
    "identification_approved": "Зарегистрирован приказ об утверждении перечня ШНОР",
    "identification_published": "Опубликован перечень ШНОР и методика",
    "roadmap.remind": "Напоминание школе по дорожной карте",
    # Curators and visits (blueprints/visits).
    "curator_assigned": "Назначен куратор школы",
    "curator_ended": "Прекращено кураторство",
    "visit_planned": "Запланирован выезд куратора",
    "visit_written": "Составлена справка по итогам выезда",
    "visit_registered": "Зарегистрирована справка по итогам выезда",
    "visit_corrected": "Исправлена зарегистрированная справка по итогам выезда",
    "visit_deleted": "Отменён выезд (справка не была зарегистрирована)",
    "visit_published": "Опубликована справка по итогам выезда",
    "visit_to_roadmap": "Рекомендации выезда добавлены в дорожную карту",
    "notifications.settings": "Настройки уведомлений",
    "notifications.retry": "Письмо отправлено повторно",
    "login": "Вход",
    "login_failed": "Неудачный вход",
    "login_locked": "Вход заблокирован",
    "logout": "Выход",
    "password_changed": "Смена пароля",
    "password_reset": "Пароль установлен администратором",
    "user_created": "Создан пользователь",
    "user_updated": "Изменён пользователь",
    "role_changed": "Смена роли",
    "access_denied": "Отказ в доступе",
    "organization_created": "Добавлена организация",
    "organization_updated": "Изменена организация",
    "organization_deleted": "Удалена организация",
    "organizations_imported": "Загрузка справочника",
    "order_created": "Создан проект приказа",
    "order_updated": "Изменён проект приказа",
    "order_deleted": "Удалён проект приказа",
    "order_registered": "Зарегистрирован приказ",
    "job_started": "Запущено формирование пакета документов",
    "job_cancelled": "Отменено формирование пакета документов",
    "document_published": "Опубликован документ",
    "document_withdrawn": "Отозван документ",
    "body_created": "Создан коллегиальный орган",
    "body_updated": "Изменён коллегиальный орган",
    "body_deleted": "Удалён коллегиальный орган",
    "body_member_created": "Добавлен член органа",
    "body_member_updated": "Изменён член органа",
    "body_member_deleted": "Удалён член органа",
    "meeting_created": "Создано заседание",
    "meeting_updated": "Изменено заседание",
    "meeting_deleted": "Удалено заседание",
    "meeting_registered": "Зарегистрирован протокол",
    "programme_created": "Создана программа",
    "programme_submitted": "Программа отправлена на рассмотрение",
    "programme_returned": "Программа возвращена на доработку",
    "programme_agreed": "Программа согласована",
    "programme_commented": "Замечание к программе",
    "programme_comment_answered": "Ответ на замечание",
    "programmes_approved": "Программы утверждены приказом",
    "programmes_published": "Программы опубликованы",
    "reference_updated": "Изменён справочник",
    "indicator_created": "Добавлен показатель",
    "indicator_updated": "Изменён показатель",
    "indicator_rule_created": "Добавлено правило проверки показателей",
    "indicator_rule_updated": "Изменено правило проверки показателей",
    "indicator_rule_deleted": "Удалено правило проверки показателей",
    "partnership_proposed": "Предложена пара школ",
    "partnership_updated": "Изменена предложенная пара школ",
    "partnership_deleted": "Удалена предложенная пара школ",
    "partnerships_imported": "Загружены пары школ",
    "assessment_results_imported": "Загружены результаты оценочных процедур",
    # Monitoring campaigns (monitoring/campaign_views.py)
    "monitoring.campaign_created": "Создана мониторинговая кампания",
    "monitoring.campaign_saved": "Изменена мониторинговая кампания",
    "monitoring.campaign_launched": "Мониторинг начат приказом",
    "monitoring.campaign_closed": "Сбор отчётов мониторинга завершён",
    "monitoring.campaign_copied": "Кампания мониторинга скопирована на следующий период",
    "monitoring.remind": "Школе напомнили об отчёте мониторинга",
    "partnerships_approved": "Пары школ утверждены приказом",
    "partnerships_order_published": "Опубликован приказ об утверждении пар",
    "monitoring_note_saved": "Сохранены тексты аналитической справки",
    "monitoring_note_registered": "Зарегистрирована аналитическая справка (версия)",
    "monitoring_results_order_registered": "Зарегистрирован приказ об итогах мониторинга",
    "roadmap_imported": "Загружена дорожная карта",
    "roadmap_updated": "Изменены реквизиты дорожной карты",
    "roadmap_deleted": "Удалена дорожная карта",
    "roadmap_activity_updated": "Изменено мероприятие дорожной карты",
    "roadmap_activity_added": "Добавлено мероприятие дорожной карты",
    "roadmap_activity_deleted": "Удалено мероприятие дорожной карты",
    "roadmap_section_saved": "Изменён раздел дорожной карты",
    "roadmap_section_deleted": "Удалён раздел дорожной карты",
    "roadmap_evidence_added": "Добавлено подтверждение исполнения",
    "roadmap_evidence_removed": "Удалено подтверждение исполнения",
    # The partnership agreement (blueprints/partnerships/agreement.py).
    "partnership_terms_saved": "Изменены условия соглашения о партнёрстве",
    "partnership_row_added": "Добавлена строка плана взаимодействия",
    "partnership_row_updated": "Изменена строка плана взаимодействия",
    "partnership_row_removed": "Удалена строка плана взаимодействия",
    "partnership_row_moved": "Перемещена строка плана взаимодействия",
    "partnership_confirmed": "Соглашение о партнёрстве согласовано стороной",
    "partnership_registered": "Зарегистрированы соглашение и план взаимодействия",
    "partnership_row_marked": "Отметка о выполнении плана взаимодействия",
    "partnership_evidence_added": "Добавлено подтверждение выполнения плана взаимодействия",
    "partnership_evidence_removed": "Удалено подтверждение выполнения плана взаимодействия",
    "partnership_report": "Сформирована справка о реализации плана взаимодействия",
    "partnership_scan_uploaded": "Загружен скан подписанного соглашения",
    "document_signed_published": "Подписанная копия опубликована на сайте",
    "document_signed_hidden": "Подписанная копия снята с сайта",
    # Consolidated monitoring data as open data (blueprints/monitoring/data_views.py).
    "monitoring_data_published": "Данные мониторинга опубликованы как открытые данные",
    "monitoring_data_withdrawn": "Данные мониторинга сняты с публикации",
    "template_uploaded": "Загружен шаблон",
    "template_rejected": "Шаблон отклонён",
    "template_activated": "Шаблон включён",
    "template_rolled_back": "Возврат к версии шаблона",
    "template_builtin_restored": "Возврат к встроенному шаблону",
    # monitoring: school reports (issue 12, item 3)
    "monitoring_report_submitted": "Отчёт по мониторингу отправлен в центр",
    "monitoring_report_commented": "Замечание к отчёту по мониторингу",
    "monitoring_report_remark_answered": "Замечание к отчёту по мониторингу учтено",
    "monitoring_report_returned": "Отчёт по мониторингу возвращён на доработку",
    "monitoring_report_accepted": "Отчёт по мониторингу принят",
    "monitoring_evidence_added": "Добавлено приложение к отчёту по мониторингу",
    "monitoring_evidence_removed": "Удалено приложение к отчёту по мониторингу",
    "monitoring_values_imported": "Загружены значения отчётов по мониторингу из .xlsx",
}

OBJECTS = {
    "organization": "Организация", "user": "Пользователь", "order": "Приказ",
    "generateddocument": "Документ", "body": "Коллегиальный орган", "bodymember": "Член органа",
    "meeting": "Заседание", "templateversion": "Версия шаблона", "programme": "Программа",
    "riskfactor": "Фактор риска", "indicator": "Показатель", "roadmap": "Дорожная карта",
    "roadmapactivity": "Мероприятие дорожной карты", "partnership": "Партнёрство",
    "planrow": "Мероприятие плана взаимодействия",
    "monitoringreport": "Отчёт школы по мониторингу",
}


class AuditLog(BaseModel):
    created_at = DateTimeField(default=now, index=True)
    user = ForeignKeyField(User, null=True, backref="audit_entries", on_delete="SET NULL")
    login = CharField(max_length=50, default="")  # as typed, for failed logins
    action = CharField(max_length=50, index=True)
    object_type = CharField(max_length=50, default="")
    object_id = IntegerField(null=True)
    details = TextField(default="")
    ip = CharField(max_length=45, default="")

    @property
    def object_label(self):
        return OBJECTS.get(self.object_type, self.object_type)

    @property
    def action_label(self):
        return ACTIONS.get(self.action, self.action)

    @classmethod
    def recent(cls):
        return cls.select(cls, User).join(User, JOIN.LEFT_OUTER).order_by(cls.id.desc())
