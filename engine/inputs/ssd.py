"""The Standard Safeguarding Dataset (SSD) read as case timelines: one case per child.

The SSD is a set of `ssd_` tables a council builds inside its case-management database, keyed
by the child's `pers_person_id`. MAPPING says which date column of which table becomes which
event type (engine/rules/vocabulary.yaml names the same sources; docs/importers.md explains what
is left out and why). Every mapped table present becomes one arm of a UNION ALL ordered by child,
date and the table's own row id, read through database.py's streaming reader like any events table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from ..model import InputError, InputProblem
from .dbtables import Query, capped, columns, value_kind

# Values the SSD's nchar flags use for "yes" (councils' systems differ).
YES = ("Y", "y", "Yes", "YES", "yes", "1", "T", "t", "true", "True", "TRUE")


@dataclass(frozen=True)
class Mapping:
    """One date column of one SSD table, read as events of one type."""

    table: str
    date: str
    type: str
    key: str  # the table's row id: a stable order for same-day rows, and named in error messages
    attrs: dict[str, str] = field(default_factory=dict)  # attribute name -> column
    person: str | None = None  # the child's id column (None: `via`)
    via: tuple[str, str, str, str] | None = None  # (table, its key, its person column, our column)
    only: tuple[str, str, tuple] | None = None  # (column, "in" | "not_in" | "like" | "not_like", values)


_SEEN = {"seen": "{p}_visit_seen", "seen_alone": "{p}_visit_seen_alone"}


def _visit(table, prefix, etype, plan=None, bedroom=True):
    attrs = {k: v.format(p=prefix) for k, v in _SEEN.items()}
    if bedroom:
        attrs["bedroom_seen"] = f"{prefix}_visit_bedroom"
    if plan:
        attrs["plan"] = plan
    short = prefix.split("_")[0]
    return Mapping(table, f"{prefix}_visit_date", etype, f"{prefix}_visit_id", attrs, f"{short}_person_id")


MAPPING: tuple[Mapping, ...] = (
    Mapping("ssd_contacts", "cont_contact_date", "contact", "cont_contact_id",
            {"contact": "cont_contact_id", "source": "cont_contact_source_code"}, "cont_person_id"),
    Mapping("ssd_cin_episodes", "cine_referral_date", "referral", "cine_referral_id",
            {"referral": "cine_referral_id", "team": "cine_referral_team", "worker": "cine_referral_worker_id"},
            "cine_person_id"),
    Mapping("ssd_cin_episodes", "cine_close_date", "cin_closed", "cine_referral_id",
            {"referral": "cine_referral_id", "reason": "cine_close_reason"}, "cine_person_id"),
    Mapping("ssd_cin_assessments", "cina_assessment_start_date", "assessment_started", "cina_assessment_id",
            {"assessment": "cina_assessment_id", "referral": "cina_referral_id", "team": "cina_assessment_team"},
            "cina_person_id"),
    Mapping("ssd_cin_assessments", "cina_assessment_auth_date", "assessment_authorised", "cina_assessment_id",
            {"assessment": "cina_assessment_id", "referral": "cina_referral_id", "team": "cina_assessment_team",
             "worker": "cina_assessment_worker_id", "child_seen": "cina_assessment_child_seen"}, "cina_person_id"),
    Mapping("ssd_s47_enquiry", "s47e_s47_start_date", "strategy_discussion", "s47e_s47_enquiry_id",
            {"s47": "s47e_s47_enquiry_id", "referral": "s47e_referral_id", "team": "s47e_s47_completed_by_team"},
            "s47e_person_id"),
    Mapping("ssd_s47_enquiry", "s47e_s47_end_date", "s47_completed", "s47e_s47_enquiry_id",
            {"s47": "s47e_s47_enquiry_id", "referral": "s47e_referral_id", "nfa": "s47e_s47_nfa",
             "team": "s47e_s47_completed_by_team", "worker": "s47e_s47_completed_by_worker_id"}, "s47e_person_id"),
    Mapping("ssd_initial_cp_conference", "icpc_icpc_date", "icpc", "icpc_icpc_id",
            {"meeting": "icpc_icpc_meeting_id", "s47": "icpc_s47_enquiry_id", "plan": "icpc_cp_plan_id",
             "referral": "icpc_referral_id", "due": "icpc_icpc_target_date", "transfer_in": "icpc_icpc_transfer_in",
             "team": "icpc_icpc_team"}, "icpc_person_id"),
    Mapping("ssd_cp_plans", "cppl_cp_plan_start_date", "cp_plan_started", "cppl_cp_plan_id",
            {"plan": "cppl_cp_plan_id", "icpc": "cppl_icpc_id", "referral": "cppl_referral_id",
             "category": "cppl_cp_plan_initial_category"}, "cppl_person_id"),
    Mapping("ssd_cp_plans", "cppl_cp_plan_end_date", "cp_plan_ended", "cppl_cp_plan_id",
            {"plan": "cppl_cp_plan_id", "referral": "cppl_referral_id"}, "cppl_person_id"),
    Mapping("ssd_cp_reviews", "cppr_cp_review_date", "cp_review", "cppr_cp_review_id",
            {"plan": "cppr_cp_plan_id", "meeting": "cppr_cp_review_meeting_id", "due": "cppr_cp_review_due",
             "quorate": "cppr_cp_review_quorate", "continue_plan": "cppr_cp_review_outcome_continue_cp"},
            "cppr_person_id"),
    _visit("ssd_cp_visits", "cppv_cp", "cp_visit", plan="cppv_cp_plan_id"),
    Mapping("ssd_cin_plans", "cinp_cin_plan_start_date", "cin_plan_started", "cinp_cin_plan_id",
            {"plan": "cinp_cin_plan_id", "referral": "cinp_referral_id", "team": "cinp_cin_plan_team",
             "worker": "cinp_cin_plan_worker_id"}, "cinp_person_id"),
    Mapping("ssd_cin_plans", "cinp_cin_plan_end_date", "cin_plan_ended", "cinp_cin_plan_id",
            {"plan": "cinp_cin_plan_id", "referral": "cinp_referral_id"}, "cinp_person_id"),
    _visit("ssd_cin_visits", "cinv_cin", "cin_visit"),
    Mapping("ssd_cla_episodes", "clae_cla_episode_start_date", "became_looked_after", "clae_cla_episode_id",
            {"episode": "clae_cla_episode_id", "cla": "clae_cla_id", "reason": "clae_cla_episode_start_reason"},
            "clae_person_id", only=("clae_cla_episode_start_reason", "in", ("S",))),
    Mapping("ssd_cla_episodes", "clae_cla_episode_ceased_date", "ceased_looked_after", "clae_cla_episode_id",
            {"episode": "clae_cla_episode_id", "cla": "clae_cla_id", "reason": "clae_cla_episode_ceased_reason"},
            "clae_person_id", only=("clae_cla_episode_ceased_reason", "not_in", ("X1",))),
    Mapping("ssd_cla_placement", "clap_cla_placement_start_date", "placement_started", "clap_cla_placement_id",
            {"placement": "clap_cla_placement_id", "cla": "clap_cla_id", "placement_type": "clap_cla_placement_type"},
            "clap_person_id"),
    Mapping("ssd_cla_placement", "clap_cla_placement_end_date", "placement_ended", "clap_cla_placement_id",
            {"placement": "clap_cla_placement_id", "cla": "clap_cla_id",
             "reason": "clap_cla_placement_change_reason"}, "clap_person_id"),
    Mapping("ssd_legal_status", "lega_legal_status_start_date", "legal_status_changed", "lega_legal_status_id",
            {"legal_status": "lega_legal_status"}, "lega_person_id"),
    Mapping("ssd_cla_care_plan", "lacp_cla_care_plan_start_date", "care_plan", "lacp_table_id", {}, "lacp_person_id"),
    # Reviews name the period of care (clar_cla_id), not the child: the child comes from its episodes.
    Mapping("ssd_cla_reviews", "clar_cla_review_date", "lac_review", "clar_cla_review_id",
            {"cla": "clar_cla_id", "due": "clar_cla_review_due_date", "participation": "clar_cla_review_participation"},
            via=("ssd_cla_episodes", "clae_cla_id", "clae_person_id", "clar_cla_id"),
            only=("clar_cla_review_cancelled", "not_in", YES)),
    # A cancelled review was not held: its own type, so no timescale counts it as a review.
    Mapping("ssd_cla_reviews", "clar_cla_review_date", "lac_review_cancelled", "clar_cla_review_id",
            {"cla": "clar_cla_id", "due": "clar_cla_review_due_date", "cancelled": "clar_cla_review_cancelled"},
            via=("ssd_cla_episodes", "clae_cla_id", "clae_person_id", "clar_cla_id"),
            only=("clar_cla_review_cancelled", "in", YES)),
    _visit("ssd_cla_visits", "clav_cla", "lac_visit", bedroom=False),
    Mapping("ssd_cla_health", "clah_health_check_date", "dental_check", "clah_health_check_id",
            {"check_type": "clah_health_check_type", "status": "clah_health_check_status"}, "clah_person_id",
            only=("clah_health_check_type", "like", ("%dental%", "%Dental%", "%DENTAL%"))),
    Mapping("ssd_cla_health", "clah_health_check_date", "health_assessment", "clah_health_check_id",
            {"check_type": "clah_health_check_type", "status": "clah_health_check_status"}, "clah_person_id",
            only=("clah_health_check_type", "not_like", ("%dental%", "%Dental%", "%DENTAL%"))),
    Mapping("ssd_missing", "miss_missing_episode_start_date", "missing_started", "miss_table_id",
            {"episode_type": "miss_missing_episode_type"}, "miss_person_id"),
    Mapping("ssd_missing", "miss_missing_episode_end_date", "missing_ended", "miss_table_id",
            {"episode_type": "miss_missing_episode_type", "rhi_offered": "miss_missing_rhi_offered",
             "rhi_accepted": "miss_missing_rhi_accepted"}, "miss_person_id"),
    Mapping("ssd_permanence", "perm_adm_decision_date", "adoption_decision", "perm_table_id",
            {"cla": "perm_cla_id"}, "perm_person_id"),
    Mapping("ssd_permanence", "perm_placement_order_date", "placement_order", "perm_table_id",
            {"cla": "perm_cla_id"}, "perm_person_id"),
    Mapping("ssd_permanence", "perm_matched_date", "adoption_match", "perm_table_id",
            {"cla": "perm_cla_id"}, "perm_person_id"),
    Mapping("ssd_permanence", "perm_placed_for_adoption_date", "placed_for_adoption", "perm_table_id",
            {"cla": "perm_cla_id"}, "perm_person_id"),
    # Who holds the case: each involvement from its start date (docs/rules.md, "Who held the case").
    Mapping("ssd_involvements", "invo_involvement_start_date", "worker_allocated", "invo_involvements_id",
            {"worker": "invo_professional_id", "team": "invo_professional_team",
             "role": "invo_professional_role_id", "referral": "invo_referral_id"}, "invo_person_id"),
)

SSD_TABLES = sorted({m.table for m in MAPPING} | {"ssd_person"})


def present(conn) -> bool:
    """True where the database holds any of the SSD tables casecheck reads."""
    insp = sa.inspect(conn)
    names = {n.lower() for n in insp.get_table_names()} | {n.lower() for n in insp.get_view_names()}
    return any(t in names for t in SSD_TABLES)


def _condition(c, only):
    """The SQL condition of Mapping.only, over the arm's columns c (by lower-case name)."""
    name, op, values = only
    col = c[name]
    if op == "in":
        return col.in_(values)
    if op == "not_in":
        return sa.or_(col.is_(None), col.not_in(values))
    if op == "like":
        return sa.or_(*(col.like(v) for v in values))
    return sa.or_(col.is_(None), sa.and_(*(col.not_like(v) for v in values)))


def _columns_of(table: str, cols: dict):
    """A table and its columns by lower-case name (databases that fold names to upper case too)."""
    t = sa.table(table, *(sa.column(c["name"]) for c in cols.values()))
    return t, {k: t.c[v["name"]] for k, v in cols.items()}


def _plan(db, cols_of: dict, skipped: dict) -> list:
    """The mappings whose table and columns this database holds, with the attributes present."""
    plan = []
    for m in MAPPING:
        cols = cols_of[m.table]
        if cols is None:
            skipped.setdefault(m.table, f"no table {m.table}")
            continue
        need = [m.date, m.key] + ([m.person] if m.person else [m.via[3]]) + ([m.only[0]] if m.only else [])
        gone = [c for c in need if c not in cols]
        if m.via and (cols_of[m.via[0]] is None or not {m.via[1], m.via[2]} <= set(cols_of[m.via[0]])):
            gone.append(f"{m.via[0]}.{m.via[2]} (which names the child)")
        if gone:
            skipped.setdefault(f"{m.table}.{m.date}", f"table {m.table} has no {', '.join(gone)}")
            continue
        date_type = cols[m.date]["type"]
        if db.backend != "sqlite" and not isinstance(date_type, (sa.Date, sa.DateTime)):
            raise InputProblem(db.name, None, f"table {m.table}: column {m.date} has type {date_type}; "
                                              "the SSD's dates must be DATE, DATETIME or TIMESTAMP")
        plan.append((m, cols, {a: c for a, c in m.attrs.items() if c in cols}))
    return plan


def query(db, conn, notes: list[InputError] | None):
    """The SSD as one ordered select (see dbtables.Query); tables that are absent are noted."""
    names = {m.table for m in MAPPING} | {m.via[0] for m in MAPPING if m.via}
    cols_of = {t: columns(conn, t, db.name) for t in names}
    skipped: dict[str, str] = {}
    plan = _plan(db, cols_of, skipped)
    if not plan:
        raise InputProblem(db.name, None, "holds none of the SSD tables and columns casecheck reads "
                                          f"({', '.join(SSD_TABLES)})")
    # Each attribute column of the union belongs to one arm; the others give NULL of its type
    # (PostgreSQL will not match an untyped NULL, read as text, with a timestamp).
    nulls = [sa.cast(sa.null(), cols[c]["type"]) for _, cols, present in plan for c in present.values()]
    arms, attrs, sources, pos = [], [], [], 5
    for i, (m, cols, present) in enumerate(plan):
        t, c = _columns_of(m.table, cols)
        if m.via:
            vt, vkey, vperson, ours = m.via
            v_table, v = _columns_of(vt, cols_of[vt])
            via = sa.select(v[vkey], v[vperson]).select_from(v_table).distinct().subquery()
            person = via.c[v[vperson].name]
            src = t.join(via, c[ours] == via.c[v[vkey].name])
        else:
            person, src = c[m.person], t
        cells, places = list(nulls), []
        for a, col in present.items():
            places.append((a, pos, value_kind(cols[col]["type"])))
            cells[pos - 5] = capped(db, c[col], cols[col]["type"])  # never fetched longer than the cell limit
            pos += 1
        arm = sa.select(sa.cast(person, sa.String).label("case"), c[m.date].label("date"),
                        sa.literal_column(f"'{m.type}'", sa.String).label("type"),  # our own names only
                        sa.literal_column(str(i), sa.Integer).label("src"),
                        sa.cast(c[m.key], sa.String).label("k"),
                        *(cell.label(f"a{j}") for j, cell in enumerate(cells))).select_from(src)
        arm = arm.where(c[m.date].is_not(None), person.is_not(None))
        if m.only:
            arm = arm.where(_condition(c, m.only))
        arms.append(arm)
        attrs.append(places)
        sources.append((m.table, m.key))
    u = sa.union_all(*arms).subquery("ssd")
    stmt = sa.select(*u.c).order_by(u.c.case, u.c.date, u.c.src, u.c.k)
    if notes is not None:
        for why in skipped.values():
            notes.append(InputError(db.name, None, f"SSD: {why}; the events it would give are not read"))
    return Query(stmt, attrs, [], sources, {})
