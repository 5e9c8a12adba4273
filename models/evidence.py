"""Evidence of execution, shared by road-map activities and partnership plan rows: a
registered document, an external link or an uploaded file, and whose it is."""
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField

from .base import BaseModel, now
from .document import GeneratedDocument
from .organization import Organization
from .user import User


class Evidence(BaseModel):
    """The fields and rules of every evidence table; each subclass adds its owner's key."""

    kind = CharField(max_length=10)  # document, url, file
    document = ForeignKeyField(GeneratedDocument, null=True, on_delete="CASCADE")
    url = CharField(max_length=2000, default="")
    title = CharField(max_length=500, default="")
    file_sha256 = CharField(max_length=64, default="")
    file_size = IntegerField(default=0)
    added_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    added_at = DateTimeField(default=now)
    # Whose evidence it is: the adding user's organisation, kept even if the user moves on.
    organization = ForeignKeyField(Organization, null=True, backref="+", on_delete="SET NULL")

    @classmethod
    def files_visible_to(cls, user):
        """Uploaded files a user may download: staff read every one, a school only its own
        organisation's (never another school's). The evidence rows themselves are shown to
        everyone who sees their owner."""
        query = cls.select().where(cls.kind == "file")
        if user.role == "school":
            query = query.where(cls.organization == user.organization_id)
        return query

    def removable_by(self, user):
        """Staff remove any evidence; a school only what its own organisation added."""
        return user.role != "school" or self.organization_id == user.organization_id
