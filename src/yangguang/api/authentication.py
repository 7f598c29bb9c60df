"""Who calls the REST API.

Staff: their browser session, or ``Authorization: Token <key>`` with a staff token
the member issued for themselves on their account page (the program then acts with the
member's posts and scope); a token expires, and its owner or the security administrator
may revoke it. Machine sources (video analytics, sensors): ``Authorization: ApiKey
<key>`` of a registered API client of kind "machine"; they reach only the events
endpoint, and have no user.
"""

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from yangguang.api.models import ApiClient, ClientKind, StaffToken
from yangguang.api.services import api_client_by_key, staff_token_for_key, staff_token_used
from yangguang.org.models import User


def _credentials(request: Request, keyword: str) -> str | None:
    """The key after ``keyword`` in the Authorization header; None when the header
    names another scheme (another authenticator's business)."""
    parts = get_authorization_header(request).split()
    if not parts or parts[0].lower() != keyword.lower().encode():
        return None
    if len(parts) != 2:  # "<keyword> <key>"
        raise exceptions.AuthenticationFailed(
            _("Give the key as “Authorization: %(keyword)s <key>”.") % {"keyword": keyword}
        )
    try:
        return parts[1].decode("ascii")
    except UnicodeDecodeError as exc:
        raise exceptions.AuthenticationFailed(_("The key is not valid.")) from exc


class StaffTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[User, StaffToken] | None:
        key = _credentials(request, self.keyword)
        if key is None:
            return None
        token = staff_token_for_key(key)
        if token is None or token.revoked:
            raise exceptions.AuthenticationFailed(_("The token is not valid or was revoked."))
        if token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(
                _("The token has expired: issue a new one on your account page.")
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The token's account is disabled."))
        staff_token_used(token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'


class ApiClientAuthentication(BaseAuthentication):
    """A machine client's key. A wrong key is 401; a key of a disabled client, or of
    another kind of client (Open311), is 403."""

    keyword = "ApiKey"

    def authenticate(self, request: Request) -> tuple[AnonymousUser, ApiClient] | None:
        key = _credentials(request, self.keyword)
        if key is None:
            return None
        client = api_client_by_key(key)
        if client is None:
            raise exceptions.AuthenticationFailed(_("The API key is not valid."))
        if not client.is_active:
            raise exceptions.PermissionDenied(_("This API client is disabled."))
        if client.kind != ClientKind.MACHINE:
            raise exceptions.PermissionDenied(_("This API key is not for machine events."))
        return AnonymousUser(), client

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'


class StaffTokenScheme(OpenApiAuthenticationExtension):
    target_class = StaffTokenAuthentication
    name = "staffToken"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Staff token, issued by its owner: `Token <key>`.",
        }


class ApiClientScheme(OpenApiAuthenticationExtension):
    target_class = ApiClientAuthentication
    name = "machineApiKey"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Key of a registered machine client: `ApiKey <key>`.",
        }
