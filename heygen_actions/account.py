"""The connected account: remaining quota and credits, and who is connected."""

import logging

from autohive_integrations_sdk import ConnectedAccountHandler, ConnectedAccountInfo

from heygen_core.action import HeyGenAction
from heygen_core.app import integration
from heygen_core.client import HeyGenClient, RetryPolicy, secrets_of
from heygen_core.errors import redact
from heygen_core.shapes import as_dict

logger = logging.getLogger("heygen")

QUOTA_PER_CREDIT = 60
# v3 is HeyGen's current profile endpoint; v1 is the older documented one (OpenAPI 4.0.8), same fields.
PROFILE_PATHS = ("/v3/users/me", "/v1/user/me")
# Showing who is connected must be quick and never block the connection: one retry at most.
PROFILE_RETRY = RetryPolicy(attempts=2, total_seconds=10.0)


@integration.action("get_remaining_quota")
class GetRemainingQuota(HeyGenAction):
    async def run(self, api, inputs):
        data = as_dict(await api.get("/v2/user/remaining_quota"))
        quota = data.get("remaining_quota")
        quota = quota if isinstance(quota, (int, float)) and not isinstance(quota, bool) else None
        details = data.get("details")
        return {
            "remaining_quota": quota,
            "credits": None if quota is None else round(quota / QUOTA_PER_CREDIT, 2),
            "details": details if isinstance(details, dict) else None,
        }


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
