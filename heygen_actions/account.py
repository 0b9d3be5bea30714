"""The connected account: remaining quota and credits, and who is connected."""

import logging

from autohive_integrations_sdk import ConnectedAccountHandler, ConnectedAccountInfo

from heygen_core.action import HeyGenAction
from heygen_core.app import integration
from heygen_core.client import HeyGenClient, RetryPolicy, secrets_of
from heygen_core.errors import redact
from heygen_core.paths import v3
from heygen_core.routes import call_routes, on_legacy, on_v3, routes_for
from heygen_core.shapes import as_dict

logger = logging.getLogger("heygen")

QUOTA_PER_CREDIT = 60
# v3 is HeyGen's current profile endpoint; v1 is the older documented one (OpenAPI 4.0.8), same fields.
PROFILE_PATHS = (v3("UserMeGet").path, "/v1/user/me")
# Showing who is connected must be quick and never block the connection: one retry at most.
PROFILE_RETRY = RetryPolicy(attempts=2, total_seconds=10.0)


def number(value) -> float | int | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


# Fields v3 adds beside today's three: how the account is billed and what is left, in HeyGen's own unit.
V3_BALANCE_FIELDS = ("billing_type", "currency", "remaining_balance", "plan")


def legacy_quota(data, inputs) -> dict:
    data = as_dict(data)
    quota = number(data.get("remaining_quota"))
    details = data.get("details")
    return {
        "remaining_quota": quota,
        "credits": None if quota is None else round(quota / QUOTA_PER_CREDIT, 2),
        "details": details if isinstance(details, dict) else None,
        **dict.fromkeys(V3_BALANCE_FIELDS),
    }


def v3_balance(data) -> tuple[str | None, float | None, float | None, str | None, dict | None]:
    """(currency, remaining balance, credits left, plan, the block) from the one block billing_type names.

    An API key's wallet counts USD (or credits on Enterprise); an OAuth connection's web plan counts premium and
    add-on credits; usage-based billing counts credits. No v3 field is in the legacy quota units (60 a credit).
    """
    billing = as_dict(data).get("billing_type")
    block = as_dict(as_dict(data).get(billing)) if isinstance(billing, str) else {}
    if billing == "wallet":
        currency, balance = block.get("currency"), number(block.get("remaining_balance"))
        return currency, balance, balance if currency == "credits" else None, None, block or None
    if billing == "subscription":
        pools = as_dict(block.get("credits"))
        left = [number(as_dict(pools.get(pool)).get("remaining")) for pool in ("premium_credits", "add_on_credits")]
        known = [value for value in left if value is not None]
        credits = sum(known) if known else None
        return "credits", credits, credits, block.get("plan"), block or None
    if billing == "usage_based":
        credits = number(block.get("remaining_credits"))
        return "credits", credits, credits, None, block or None
    return None, None, None, None, None


def v3_quota(data, inputs) -> dict:
    currency, balance, credits, plan, block = v3_balance(data)
    return {
        "remaining_quota": None,
        "credits": credits,
        "details": block,
        "billing_type": as_dict(data).get("billing_type"),
        "currency": currency,
        "remaining_balance": balance,
        "plan": plan,
    }


QUOTA_ROUTES = routes_for(
    "get_remaining_quota",
    on_v3("UserMeGet", response=v3_quota),
    on_legacy("GET", "/v2/user/remaining_quota", response=legacy_quota),
)


@integration.action("get_remaining_quota")
class GetRemainingQuota(HeyGenAction):
    async def run(self, api, inputs):
        return await call_routes(api, QUOTA_ROUTES, inputs)


def text_of(value) -> str | None:
    return value if isinstance(value, str) and value else None


def account_info(profile: dict) -> ConnectedAccountInfo:
    username = text_of(profile.get("username"))
    return ConnectedAccountInfo(
        email=text_of(profile.get("email")),
        first_name=text_of(profile.get("first_name")),
        last_name=text_of(profile.get("last_name")),
        username=username,
        # HeyGen's username is the account's opaque unique id (e.g. 15ebafd8...); no separate id field is documented.
        user_id=text_of(profile.get("user_id")) or text_of(profile.get("id")) or username,
        avatar_url=text_of(profile.get("avatar_url")),
    )


@integration.connected_account()
class HeyGenConnectedAccount(ConnectedAccountHandler):
    """Who is connected, for the platform to show. Never raises: an account HeyGen will not describe (old API
    plan, a network failure) is still a working connection, shown without a name."""

    async def get_account_info(self, context) -> ConnectedAccountInfo:
        secrets = secrets_of(getattr(context, "auth", None))
        try:
            async with HeyGenClient.from_context(context) as api:
                for path in PROFILE_PATHS:
                    try:
                        profile = as_dict(await api.get(path, retry=PROFILE_RETRY))
                    except Exception as error:  # the next path, then the empty answer
                        logger.info("%s", redact(f"HeyGen profile {path} unavailable: {error}", secrets))
                        continue
                    if profile:
                        return account_info(profile)
        except Exception as error:
            logger.warning("%s", redact(f"HeyGen profile lookup failed: {type(error).__name__}: {error}", secrets))
        return ConnectedAccountInfo()
