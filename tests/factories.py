"""factory_boy factories. They build rows through the services where services hold
rules (paths of units), so tests exercise the same code as the application."""

import datetime

import factory

from yangguang.org import services as org_services
from yangguang.org.enums import PostCode, UnitKind
from yangguang.org.models import Certificate, Post, Unit, User


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"单位{n}")
    kind = UnitKind.BUREAU
    parent = None
    code = ""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return org_services.unit_create(**kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"职员{n}")
    unit = None
    password = "correct-horse-battery-9"

    @classmethod
    def _create(cls, model_class, *args, posts=(), **kwargs):
        post_objects = [Post.objects.get(code=code) for code in posts]
        return org_services.user_create(posts=post_objects, **kwargs)


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    holder = factory.SubFactory(UserFactory)
    number = factory.Sequence(lambda n: f"37000{n:06d}")
    issuing_authority = "阳光市人民政府"
    valid_from = datetime.date(2024, 1, 1)
    valid_to = datetime.date(2099, 12, 31)  # past any day the suite may run
    status = "valid"


def post(code: PostCode) -> Post:
    return Post.objects.get(code=code)
