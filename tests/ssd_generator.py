"""A generated Standard Safeguarding Dataset: the SSD's own table and field names (from
tests/data/ssd/ssd-tables.md, the data model's public field list), filled with seeded random
children whose timelines casecheck's rules have something to say about.

`build(engine, n_children, seed)` creates the tables and rows in any SQLAlchemy database (SQLite,
PostgreSQL) and returns what was written, so tests can say what each child's timeline must hold.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import sqlalchemy as sa

REFERENCE = Path(__file__).parent / "data" / "ssd" / "ssd-tables.md"


def reference_tables() -> dict[str, list[tuple[str, str]]]:
    """{table: [(field, type), ...]} as the reference lists them."""
    tables, cur = {}, None
    for line in REFERENCE.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^## (ssd_\w+)", line)
        if m:
            cur = tables.setdefault(m.group(1), [])
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cur is not None and len(cells) >= 2 and cells[0] not in ("field", "---") and not cells[0].startswith("-"):
            cur.append((cells[0], cells[1].lower()))
    return tables


def _sql_type(name: str, typ: str):
    if typ == "datetime":
        return sa.DateTime
    if typ in ("int",):
        return sa.Integer
    if typ == "float":
        return sa.Float
    return sa.String(400)


GENERATED = ("ssd_person", "ssd_involvements", "ssd_contacts", "ssd_cin_episodes", "ssd_cin_assessments",
             "ssd_cin_plans", "ssd_cin_visits", "ssd_s47_enquiry", "ssd_initial_cp_conference", "ssd_cp_plans",
             "ssd_cp_reviews", "ssd_cp_visits", "ssd_cla_episodes", "ssd_cla_reviews", "ssd_cla_visits",
             "ssd_cla_placement", "ssd_cla_health", "ssd_missing", "ssd_department", "ssd_professionals")


def metadata() -> sa.MetaData:
    md = sa.MetaData()
    for table, fields in reference_tables().items():
        if table in GENERATED:
            sa.Table(table, md, *(sa.Column(f, _sql_type(f, t)) for f, t in fields))
    return md


def _day(rng, start, span):
    return start + dt.timedelta(days=rng.randrange(span))


def _ts(d: dt.date, rng) -> dt.datetime:
    """The SSD's dates are datetimes: some at midnight, some with a time of day."""
    return dt.datetime(d.year, d.month, d.day, rng.choice([0, 0, 9, 14]), rng.choice([0, 30]))


def children(n: int, seed: int) -> dict[str, list[dict]]:
    """Rows per table for n children (no database needed)."""
    rng = random.Random(seed)
    rows: dict[str, list[dict]] = {t: [] for t in GENERATED}
    teams = ["T-NORTH", "T-SOUTH", "T-EAST"]
    workers = [f"W{i:03d}" for i in range(12)]
    rows["ssd_department"] = [{"dept_team_id": t, "dept_team_name": t.title()} for t in teams]
    rows["ssd_professionals"] = [{"prof_professional_id": w, "prof_professional_name": f"Worker {w}"} for w in workers]
    for i in range(n):
        pid = f"P{i:05d}"
        rows["ssd_person"].append({"pers_person_id": pid, "pers_sex": rng.choice("MF"),
                                   "pers_dob": _ts(dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(3000)), rng)})
        start = _day(rng, dt.date(2023, 1, 2), 300)
        ref = f"R{i:05d}"
        rows["ssd_contacts"].append({"cont_contact_id": f"CT{i}", "cont_person_id": pid,
                                     "cont_contact_date": _ts(start - dt.timedelta(days=rng.randrange(1, 4)), rng)})
        rows["ssd_cin_episodes"].append({"cine_referral_id": ref, "cine_person_id": pid,
                                         "cine_referral_date": _ts(start, rng), "cine_referral_team": rng.choice(teams)})
        # Involvements: one or two allocations from the referral on.
        d = start
        for j in range(rng.choice([1, 1, 2])):
            rows["ssd_involvements"].append({
                "invo_involvements_id": f"IV{i}-{j}", "invo_person_id": pid, "invo_professional_id": rng.choice(workers),
                "invo_professional_team": rng.choice(teams), "invo_professional_role_id": "Allocated Case Worker",
                "invo_involvement_start_date": _ts(d, rng), "invo_referral_id": ref})
            d += dt.timedelta(days=rng.randrange(20, 120))
        auth = start + dt.timedelta(days=rng.randrange(10, 70))
        rows["ssd_cin_assessments"].append({
            "cina_assessment_id": f"A{i}", "cina_person_id": pid, "cina_referral_id": ref,
            "cina_assessment_start_date": _ts(start + dt.timedelta(days=1), rng),
            "cina_assessment_auth_date": _ts(auth, rng) if rng.random() < 0.9 else None,
            "cina_assessment_team": rng.choice(teams)})
        path = rng.choice(["cin", "cp", "cla"])
        if path == "cin":
            plan = f"CINP{i}"
            ps = auth + dt.timedelta(days=rng.randrange(1, 20))
            rows["ssd_cin_plans"].append({"cinp_cin_plan_id": plan, "cinp_referral_id": ref, "cinp_person_id": pid,
                                          "cinp_cin_plan_start_date": _ts(ps, rng), "cinp_cin_plan_team": rng.choice(teams)})
            v = ps
            for k in range(rng.randrange(1, 6)):
                v += dt.timedelta(days=rng.randrange(10, 60))
                rows["ssd_cin_visits"].append({"cinv_cin_visit_id": f"CV{i}-{k}", "cinv_person_id": pid,
                                               "cinv_cin_visit_date": _ts(v, rng), "cinv_cin_visit_seen": rng.choice("YN")})
        elif path == "cp":
            s47, plan = f"S{i}", f"CPP{i}"
            sd = start + dt.timedelta(days=rng.randrange(0, 5))
            rows["ssd_s47_enquiry"].append({"s47e_s47_enquiry_id": s47, "s47e_referral_id": ref, "s47e_person_id": pid,
                                            "s47e_s47_start_date": _ts(sd, rng),
                                            "s47e_s47_end_date": _ts(sd + dt.timedelta(days=rng.randrange(5, 20)), rng)})
            icpc = sd + dt.timedelta(days=rng.randrange(8, 25))
            rows["ssd_initial_cp_conference"].append({
                "icpc_icpc_id": f"IC{i}", "icpc_icpc_meeting_id": f"M{i}", "icpc_s47_enquiry_id": s47,
                "icpc_person_id": pid, "icpc_cp_plan_id": plan, "icpc_referral_id": ref,
                "icpc_icpc_target_date": _ts(sd + dt.timedelta(days=15), rng), "icpc_icpc_date": _ts(icpc, rng)})
            rows["ssd_cp_plans"].append({"cppl_cp_plan_id": plan, "cppl_referral_id": ref, "cppl_icpc_id": f"IC{i}",
                                         "cppl_person_id": pid, "cppl_cp_plan_start_date": _ts(icpc, rng)})
            r = icpc + dt.timedelta(days=rng.randrange(80, 110))
            rows["ssd_cp_reviews"].append({"cppr_cp_review_id": f"CR{i}", "cppr_person_id": pid, "cppr_cp_plan_id": plan,
                                           "cppr_cp_review_due": _ts(icpc + dt.timedelta(days=91), rng),
                                           "cppr_cp_review_date": _ts(r, rng), "cppr_cp_review_meeting_id": f"RM{i}"})
            v = icpc
            for k in range(rng.randrange(1, 8)):
                v += dt.timedelta(days=rng.randrange(5, 20))
                rows["ssd_cp_visits"].append({"cppv_cp_visit_id": f"PV{i}-{k}", "cppv_person_id": pid,
                                              "cppv_cp_plan_id": plan, "cppv_cp_visit_date": _ts(v, rng)})
        else:
            cla = f"CLA{i}"
            ec = auth + dt.timedelta(days=rng.randrange(1, 30))
            rows["ssd_cla_episodes"].append({"clae_cla_episode_id": f"E{i}", "clae_person_id": pid, "clae_cla_id": cla,
                                             "clae_cla_episode_start_date": _ts(ec, rng),
                                             "clae_cla_episode_start_reason": "S", "clae_entered_care_date": _ts(ec, rng)})
            rows["ssd_cla_placement"].append({"clap_cla_placement_id": f"PL{i}", "clap_cla_id": cla, "clap_person_id": pid,
                                              "clap_cla_placement_start_date": _ts(ec, rng)})
            r = ec
            for k in range(rng.randrange(1, 4)):
                r += dt.timedelta(days=rng.randrange(15, 120))
                rows["ssd_cla_reviews"].append({"clar_cla_review_id": f"LR{i}-{k}", "clar_cla_id": cla,
                                                "clar_cla_review_due_date": _ts(r - dt.timedelta(days=3), rng),
                                                "clar_cla_review_date": _ts(r, rng),
                                                "clar_cla_review_cancelled": "Y" if rng.random() < 0.15 else "N"})
            v = ec
            for k in range(rng.randrange(1, 6)):
                v += dt.timedelta(days=rng.randrange(5, 50))
                rows["ssd_cla_visits"].append({"clav_cla_visit_id": f"LV{i}-{k}", "clav_cla_id": cla, "clav_person_id": pid,
                                               "clav_cla_visit_date": _ts(v, rng)})
            rows["ssd_cla_health"].append({"clah_health_check_id": f"H{i}", "clah_person_id": pid,
                                           "clah_health_check_type": rng.choice(["Health Assessment", "Dental Check"]),
                                           "clah_health_check_date": _ts(ec + dt.timedelta(days=rng.randrange(10, 40)), rng)})
            if rng.random() < 0.3:
                ms = ec + dt.timedelta(days=rng.randrange(5, 60))
                rows["ssd_missing"].append({"miss_table_id": f"MS{i}", "miss_person_id": pid,
                                            "miss_missing_episode_start_date": _ts(ms, rng),
                                            "miss_missing_episode_end_date": _ts(ms + dt.timedelta(days=2), rng),
                                            "miss_missing_episode_type": "Missing"})
    return rows


def build(engine, n_children: int = 40, seed: int = 12) -> dict[str, list[dict]]:
    """Create the SSD tables in this database and fill them; returns the rows written."""
    md = metadata()
    rows = children(n_children, seed)
    with engine.begin() as conn:
        md.create_all(conn)
        for table, data in rows.items():
            if data:
                cols = md.tables[table].columns.keys()
                conn.execute(md.tables[table].insert(), [{c: r.get(c) for c in cols} for r in data])
    return rows
