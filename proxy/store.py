"""Reading and writing the proxy's tables: organisations, keys, created jobs, audit rows."""

import datetime as dt
import json
import time

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from proxy.crypto import Vault
from proxy.db import ApiKey, Audit, Job, Org, now

SCOPES = ("read", "generate", "admin")


class StoreError(Exception):
    pass


def month_start(moment: dt.datetime) -> dt.datetime:
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def tail_of(credential: str) -> str:
    return credential[-4:] if len(credential) >= 12 else ""


OWNERS_REMEMBERED = 100_000


class Store:
    """`key_cache_seconds`: how long a process reuses a key and its organisation as read, so a revocation,
    expiry or disabling made elsewhere reaches every worker within that time (at once in this process).
    Owners of created ids never change, so they are remembered (bounded) once read.
    """

    def __init__(self, engine: AsyncEngine, vault: Vault, key_cache_seconds: float = 1.0):
        self.engine = engine
        self.vault = vault
        self.session = async_sessionmaker(engine, expire_on_commit=False)
        self.key_cache_seconds = key_cache_seconds
        self._keys: dict[str, tuple[float, tuple | None]] = {}
        self._owners: dict[tuple[str, str], str] = {}

    def forget_cached(self) -> None:
        self._keys.clear()

    # ------------------------------------------------------------ organisations

    async def add_org(self, org_id: str, kind: str, credential: str, *, monthly_cap=None, test_only=False) -> Org:
        org = Org(
            org_id=org_id,
            disabled=False,
            credential_kind=kind,
            credential_sealed=self.vault.seal(org_id, credential),
            credential_tail=tail_of(credential),
            monthly_cap=monthly_cap,
            test_only=test_only,
        )
        async with self.session() as session, session.begin():
            if await session.get(Org, org_id) is not None:
                raise StoreError(f"organisation {org_id} already exists")
            session.add(org)
            session.add(Audit(org_id=org_id, event="org.add", detail=f"credential {kind} …{org.credential_tail}"))
        return org

    async def org(self, org_id: str) -> Org | None:
        async with self.session() as session:
            return await session.get(Org, org_id)

    async def orgs(self) -> list[Org]:
        async with self.session() as session:
            return list((await session.scalars(select(Org).order_by(Org.org_id))).all())

    async def set_credential(self, org_id: str, kind: str, credential: str) -> None:
        values = {
            "credential_kind": kind,
            "credential_sealed": self.vault.seal(org_id, credential),
            "credential_tail": tail_of(credential),
            "updated_at": now(),
        }
        await self._update_org(org_id, values, "credential.set", f"credential {kind} …{values['credential_tail']}")

    async def set_org(self, org_id: str, **values) -> None:
        detail = ", ".join(f"{k}={v}" for k, v in values.items())
        await self._update_org(org_id, {**values, "updated_at": now()}, "org.change", detail)

    async def _update_org(self, org_id: str, values: dict, event: str, detail: str) -> None:
        self.forget_cached()
        async with self.session() as session, session.begin():
            result = await session.execute(update(Org).where(Org.org_id == org_id).values(**values))
            if result.rowcount == 0:
                raise StoreError(f"no organisation {org_id}")
            session.add(Audit(org_id=org_id, event=event, detail=detail))

    def credential_of(self, org: Org) -> str:
        return self.vault.open(org.org_id, org.credential_sealed)

    async def reencrypt(self) -> int:
        """Re-seals every credential with the current master key; returns how many changed."""
        changed = 0
        for org in await self.orgs():
            if not self.vault.sealed_by_current(org.credential_sealed):
                credential = self.credential_of(org)
                async with self.session() as session, session.begin():
                    sealed = self.vault.seal(org.org_id, credential)
                    await session.execute(update(Org).where(Org.org_id == org.org_id).values(credential_sealed=sealed))
                    session.add(Audit(org_id=org.org_id, event="credential.reencrypt", detail=self.vault.key_id))
                changed += 1
        return changed

    # ------------------------------------------------------------ keys

    async def add_key(self, key: ApiKey) -> None:
        async with self.session() as session, session.begin():
            if await session.get(Org, key.org_id) is None:
                raise StoreError(f"no organisation {key.org_id}")
            session.add(key)
            session.add(Audit(org_id=key.org_id, key_id=key.key_id, event="key.create", detail=key.scopes))

    async def key_with_org(self, key_id: str) -> tuple[ApiKey, Org] | None:
        now_ = time.monotonic()
        cached = self._keys.get(key_id)
        if cached is not None and cached[0] > now_:
            return cached[1]
        async with self.session() as session:
            row = (await session.execute(select(ApiKey, Org).join(Org).where(ApiKey.key_id == key_id))).first()
        found = (row[0], row[1]) if row else None
        if self.key_cache_seconds > 0 and found is not None:
            if len(self._keys) > 10_000:
                self._keys.clear()
            self._keys[key_id] = (now_ + self.key_cache_seconds, found)
        return found

    async def keys(self, org_id: str) -> list[ApiKey]:
        async with self.session() as session:
            query = select(ApiKey).where(ApiKey.org_id == org_id).order_by(ApiKey.created_at)
            return list((await session.scalars(query)).all())

    async def revoke_key(self, key_id: str) -> ApiKey:
        self.forget_cached()
        async with self.session() as session, session.begin():
            key = await session.get(ApiKey, key_id)
            if key is None:
                raise StoreError(f"no key {key_id}")
            if key.revoked_at is None:
                key.revoked_at = now()
                session.add(Audit(org_id=key.org_id, key_id=key_id, event="key.revoke"))
            return key

    # ------------------------------------------------------------ jobs and audit

    async def owner_of(self, kind: str, job_id: str) -> str | None:
        owner = self._owners.get((kind, job_id))
        if owner is not None:
            return owner
        async with self.session() as session:
            job = await session.get(Job, (kind, job_id))
        if job is not None:
            if len(self._owners) >= OWNERS_REMEMBERED:
                self._owners.clear()
            self._owners[(kind, job_id)] = job.org_id
        return job.org_id if job else None

    async def billed_this_month(self, org_id: str) -> int:
        query = select(func.count()).where(Job.org_id == org_id, Job.billed, Job.created_at >= month_start(now()))
        async with self.session() as session:
            return int(await session.scalar(query) or 0)

    async def record_call(self, org_id, key_id, operation, status, latency_ms, jobs, *, billed, detail=None) -> None:
        """One transaction: the ids this call created, and its audit row when it was billed (or refused)."""
        async with self.session() as session, session.begin():
            for kind, job_id in dict.fromkeys(jobs):
                # an id seen before (an action that answers the id it was given) keeps its first owner
                if await session.get(Job, (kind, job_id)) is None:
                    session.add(
                        Job(kind=kind, job_id=job_id, org_id=org_id, key_id=key_id, operation=operation, billed=billed)
                    )
            if billed:
                session.add(
                    Audit(
                        org_id=org_id,
                        key_id=key_id,
                        event="call",
                        operation=operation,
                        status=status,
                        job_id=",".join(j for _, j in jobs) or None,
                        latency_ms=round(latency_ms, 2),
                        detail=json.dumps(detail) if detail else None,
                    )
                )

    async def audit(self, org_id: str | None = None, limit: int = 100) -> list[Audit]:
        query = select(Audit).order_by(Audit.id.desc()).limit(limit)
        if org_id:
            query = query.where(Audit.org_id == org_id)
        async with self.session() as session:
            return list((await session.scalars(query)).all())
