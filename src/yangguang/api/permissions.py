"""Access rules of the REST API that are not the domain's: who may call an endpoint at
all, and the machine clients' hourly request limit. What a staff member may do to a
report is decided by the reports services and the post matrix, not here."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from yangguang.api.models import ApiClient, ClientKind
from yangguang.api.services import api_client_over_limit
from yangguang.org.rules import Action, permission_name


class IsWorkingStaff(IsAuthenticated):
    """The staff endpoints' default: a signed-in member of staff holding a working post.
    The administrators have no business need to read reports and cases (三员分立;
    等保2.0 GB/T 22239-2019 8.1.4.2 c 最小权限), so the API answers them 403."""

    message = _("The administrators do not read reports and cases.")

    def has_permission(self, request: Request, view) -> bool:
        return super().has_permission(request, view) and request.user.has_perm(
            permission_name(Action.VIEW_WORK)
        )


class IsMachineClient(BasePermission):
    """Authenticated by ``ApiClientAuthentication`` as an active machine client."""

    def has_permission(self, request: Request, view) -> bool:
        client = request.auth
        return (
            isinstance(client, ApiClient) and client.is_active and client.kind == ClientKind.MACHINE
        )


class ApiClientHourlyLimit(BaseThrottle):
    """Each request counts against the client's ``requests_per_hour``; over it, 429
    until the hour turns."""

    def allow_request(self, request: Request, view) -> bool:
        client = request.auth
        return not (isinstance(client, ApiClient) and api_client_over_limit(client))

    def wait(self) -> float:
        now = timezone.now()
        next_hour = now.replace(minute=0, second=0, microsecond=0) + datetime.timedelta(hours=1)
        return (next_hour - now).total_seconds()
