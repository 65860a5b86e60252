from django.core.management.base import BaseCommand

from realestate.accounts.roles import roles_sync


class Command(BaseCommand):
    help = "Create the staff roles and make their permissions match the declared ones."

    def handle(self, *args, **options):
        for role, changed in roles_sync().items():
            self.stdout.write(f"{role}: {changed} permission(s) changed")
