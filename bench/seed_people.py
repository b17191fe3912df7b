"""The bench seed's people (bench/seed.py): committees, members with Chinese and English names,
and the grants the regulation's roles need, as the bot's services leave them.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from bench.seed_writer import DAY, MIN, SEED_BASE, SPAN, Writer
from bot.people.roles import Role

SURNAMES, GIVEN = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "伟芳娜敏静磊洋艳勇军杰娟涛明超华"
ENGLISH = ("Alice", "Ben", "Dana", "Eli", "Fay", "Gus", "Hana", "Ivan"), ("Smith", "Wong", "Lee")
COMMITTEES = (
    "宣传委员会",
    "组织委员会",
    "纪检委员会",
    "青年委员会",
    "学术委员会",
    "统战委员会",
    "工会委员会",
    "妇女委员会",
)


@dataclass
class Staff:
    ids: list[int] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)
    committee: dict[int, int | None] = field(default_factory=dict)
    roles: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    heads: dict[int, int] = field(default_factory=dict)  # committee → its head (L3)


def make_people(w: Writer, rng: random.Random, n: int, now: datetime) -> Staff:
    """People with their grants: one secretary (L1), two deputies (L2), office and emergency
    office staff (R4, L4), a head for each committee (L3, R5) and two administrators."""
    s, start, staff = Staff(), now - SPAN - 30 * DAY, max(2, min(20, n // 100))
    count = max(1, min(len(COMMITTEES), n // 10))
    committees = [
        w.add("committees", {"name": f"{name}（基准）", "created_at": start})["id"]
        for name in COMMITTEES[:count]
    ]
    roles = [
        Role.SECRETARY,
        Role.DEPUTY,
        Role.DEPUTY,
        *[Role.OFFICE] * staff,
        *[Role.EMERGENCY_OFFICE] * staff,
        *[Role.COMMITTEE_HEAD] * count,
        Role.ADMIN,
        Role.ADMIN,
    ]
    if n < len(roles) + 5:
        raise ValueError(f"Seed at least {len(roles) + 5} people.")
    grants: list[tuple[int, Role, int | None]] = []
    for k in range(n):
        role = roles[k] if k < len(roles) else None
        chinese = rng.random() < 0.8
        first, last = (
            (rng.choice(SURNAMES) + rng.choice(GIVEN), None)
            if chinese
            else (rng.choice(ENGLISH[0]), rng.choice(ENGLISH[1]))
        )
        cid = (
            committees[len(s.heads)]
            if role == Role.COMMITTEE_HEAD
            else (rng.choice(committees) if rng.random() < 0.6 else None)
        )
        joined = start + rng.random() * 25 * DAY
        pid = w.add(
            "people",
            {
                "telegram_id": SEED_BASE + k,
                "first_name": first,
                "last_name": last,
                "username": f"seed{k}" if rng.random() < 0.6 else None,
                "language_code": "zh-hans" if chinese else "en",
                "locale": ("zh_CN" if chinese else "en") if rng.random() < 0.9 else None,
                "committee_id": cid,
                "started_at": joined + MIN,
                "created_at": joined,
                "blocked_at": joined + DAY if rng.random() < 0.005 else None,
                "updated_at": joined,
            },
        )["id"]
        w.audit(joined, "person.seen", ("person", pid), None)
        w.audit(joined + MIN, "person.started", ("person", pid), None, pid)
        s.ids.append(pid)
        s.names[pid] = " ".join(p for p in (first, last) if p)
        s.committee[pid] = cid
        if role is not None:
            s.roles[role].append(pid)
            grants.append((pid, role, cid if role == Role.COMMITTEE_HEAD else None))
            if role == Role.COMMITTEE_HEAD and cid is not None:
                s.heads[cid] = pid
    admin = s.roles[Role.ADMIN][0]
    for cid in committees:
        w.audit(start + 26 * DAY, "committee.create", ("committee", cid), "R5", admin)
    for pid, role, cid in grants:
        by = None if role == Role.ADMIN else admin
        w.add(
            "role_grants",
            {
                "person_id": pid,
                "role": str(role),
                "committee_id": cid,
                "granted_by_id": by,
                "granted_at": start + 27 * DAY,
            },
        )
        w.audit(start + 27 * DAY, "role.grant", ("person", pid), "R4", by, role=str(role))
    return s
