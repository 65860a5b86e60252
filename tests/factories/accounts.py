"""Factories: Staff, roles, branches and agents."""

import factory
from django.contrib.auth.models import Group
from django.contrib.gis.geos import Point

from realestate.accounts.models import Agent, Branch, User
from tests.factories.base import DUBAI


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "pass")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            for name in extracted:
                self.groups.add(Group.objects.get_or_create(name=name)[0])
        if create:
            self.save()


class SuperUserFactory(UserFactory):
    username = factory.Sequence(lambda n: f"super{n}")
    is_superuser = True


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Branch
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"branch-{n}")
    name = factory.Sequence(lambda n: f"Branch {n}")
    city = "Dubai"
    location = factory.LazyFunction(lambda: Point(*DUBAI, srid=4326))


class AgentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agent

    user = factory.SubFactory(UserFactory)
    branch = factory.SubFactory(BranchFactory)
    licence_number = factory.Sequence(lambda n: f"BRN-{10000 + n}")


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Group {n}")
