"""Audit records of log-ins, failed log-ins, lockouts and log-outs, from the auth signals."""

import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from security.middleware import SessionRenewalMiddleware
from security.models import SecurityEvent
from security.policy import lockout_policy
from security.services import record_event


@receiver(user_logged_in, dispatch_uid="security.login")
def _logged_in(sender, request, user, **kwargs):
    record_event(SecurityEvent.Kind.LOGIN, request=request, user=user)
    # The log-in writes the session: its first renewal (security.middleware).
    request.session[SessionRenewalMiddleware.SESSION_KEY] = int(time.time())


@receiver(user_logged_out, dispatch_uid="security.logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record_event(SecurityEvent.Kind.LOGOUT, request=request, user=user)


# axes signals a lockout from its own receiver of user_login_failed, before or after ours
# depending on import order. Whichever runs second writes the lockout record, so that the
# failure is always recorded before the lockout it causes.


@receiver(user_login_failed, dispatch_uid="security.login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    refused = getattr(request, "security_refused_while_locked", False)
    record_event(
        SecurityEvent.Kind.LOGIN_FAILED,
        request=request,
        username=credentials.get("username", ""),
        detail="已锁定，未校验密码" if refused else "用户名或密码不正确",
    )
    if request is None:
        return
    request.security_failure_recorded = True
    pending = getattr(request, "security_lockout_pending", None)
    if pending is not None:
        _record_lockout(request, pending)


@receiver(user_locked_out, dispatch_uid="security.lockout")
def _locked_out(sender, request, username, ip_address, **kwargs):
    # axes signals a lockout at the failure that reaches the limit and again at every attempt
    # while locked; the later ones are already recorded as refused log-ins.
    if getattr(request, "security_refused_while_locked", False):
        return
    if getattr(request, "security_failure_recorded", False):
        _record_lockout(request, username or "")
    else:
        request.security_lockout_pending = username or ""


def _record_lockout(request, username: str) -> None:
    policy = lockout_policy()
    record_event(
        SecurityEvent.Kind.LOCKOUT,
        request=request,
        username=username,
        detail=(
            f"登录失败达到 {policy['failure_limit']} 次，"
            f"该账号或来源地址锁定 {policy['lockout_minutes']} 分钟"
        ),
    )
