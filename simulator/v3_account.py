"""``GET /v3/users/me`` (heygen-v3.md §7.7, §8.3): the profile and the one balance that pays.

An API key (``X-Api-Key``) spends the API wallet: ``billing_type: wallet`` with ``remaining_balance`` in
USD. An OAuth token (``Authorization: Bearer``) spends the user's web plan: ``billing_type: subscription``
with the premium credits left. Both read the simulator's one balance (``SimState.quota_seconds``; 60 quota
seconds per credit, as v2's remaining_quota counts them), at ``USD_PER_CREDIT``.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from aiohttp import web

from .routes_webhooks import profile
from .state import SimState
from .v3_common import ok, route

USD_PER_CREDIT = 1.0
SUBSCRIPTION_PLANS = {"free": "free", "pro": "pro", "scale": "team", "enterprise": "enterprise"}


def _resets_at(state: SimState) -> str:
    now = datetime.fromtimestamp(state.now(), timezone.utc)
    first_of_next = (now.replace(day=1) + timedelta(days=32)).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return first_of_next.isoformat().replace("+00:00", "Z")


async def me(state: SimState, request: web.Request) -> web.Response:
    credits = state.quota_seconds / 60
    data = {**profile(state), "billing_type": None, "wallet": None, "subscription": None, "usage_based": None}
    if request.headers.get("X-Api-Key", "").strip():
        data["billing_type"] = "wallet"
        data["wallet"] = {"currency": "usd", "remaining_balance": round(credits * USD_PER_CREDIT, 2),
                          "auto_reload": {"enabled": False, "amount_usd": None, "threshold_usd": None}}  # fmt: skip
    else:
        data["billing_type"] = "subscription"
        data["subscription"] = {
            "plan": SUBSCRIPTION_PLANS.get(state.config.plan.name, "pro"),
            "credits": {
                "premium_credits": {"remaining": int(credits), "resets_at": _resets_at(state)},
                "add_on_credits": {"remaining": 0, "resets_at": None},
            },  # fmt: skip
        }
    return ok(data)


def register(router: web.UrlDispatcher, state: SimState) -> None:
    route(router, state, "UserMeGet", me)
