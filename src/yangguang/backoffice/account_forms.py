"""Forms of signing in, one's own account, and the security administrator's pages."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yangguang.org.signin import SignInRefused, signin_password_check


class LoginForm(AuthenticationForm):
    """The password step. The lockout is asked before the password is checked
    (org/signin.py); ``refusal`` says why a sign-in was refused."""

    username = forms.CharField(
        label=_("Login name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    refusal: SignInRefused | None = None

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = signin_password_check(
                    request=self.request, username=username, password=password
                )
            except SignInRefused as refusal:
                self.refusal = refusal
                if refusal.code == "invalid":
                    raise self.get_invalid_login_error() from refusal
                raise ValidationError(refusal.message, code=refusal.code) from refusal
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


def _password_help() -> str:
    return " ".join(str(text) for text in password_validators_help_texts() if text)


class NewPasswordForm(forms.Form):
    """A new password, twice. The policy is checked by the service (org/passwords.py)."""

    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = _password_help()

    def clean(self):
        data = super().clean()
        first, second = data.get("new_password1"), data.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("The two passwords differ."))
        return data

    def show_service_error(self, error: ValidationError) -> None:
        messages = error.message_dict.get("password") if hasattr(error, "error_dict") else None
        self.add_error("new_password1", messages or error.messages)


class PasswordChangeForm(NewPasswordForm):
    """The owner's password page: the current password, then the new one twice."""

    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    field_order = ["old_password", "new_password1", "new_password2"]

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_old_password(self) -> str:
        old = self.cleaned_data["old_password"]
        if not self.user.check_password(old):
            raise ValidationError(_("The current password is wrong."), code="wrong_password")
        return old


class CodeForm(forms.Form):
    """Six digits from the authenticator app."""

    code = forms.RegexField(
        label=_("Code from the authenticator app"),
        regex=r"^\s*[0-9]{6}\s*$",
        max_length=12,
        error_messages={"invalid": _("Type the 6 digits the app shows.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "pattern": "[0-9]{6}",
            }
        ),
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("What the token is for"),
        max_length=100,
        help_text=_("e.g. the program that will use it"),
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["days"].initial = settings.STAFF_TOKEN_DAYS
        self.fields["days"].widget.attrs["max"] = settings.STAFF_TOKEN_DAYS

    def clean_days(self) -> int:
        days = self.cleaned_data["days"]
        if days > settings.STAFF_TOKEN_DAYS:
            raise ValidationError(
                _("A token lasts at most %(max)d days.") % {"max": settings.STAFF_TOKEN_DAYS}
            )
        return days


class ResetRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("e.g. the owner forgot the password and asked by telephone"),
    )
    reset_authenticator = forms.BooleanField(
        label=_("Also reset the authenticator (the owner lost the phone)"), required=False
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("Why refused"), max_length=200)
