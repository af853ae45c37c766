"""Referral chains (线索移送): verdicts, rules, deadlines, the CLI and properties."""

from __future__ import annotations

import json
import random
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import xxrules
from xxrules import TransferredClue, Verdict
from xxrules.transfers import (
    check_transfer_lines,
    check_transfers,
    has_loop,
    is_push_down,
    loop_departments,
    transfer_chain,
    unit_level,
)
from xxrules.transfers.chains import PRECEDENCE

from .conftest import FIXTURES, MINI
from .test_cli import check_golden, run
from .test_properties import _write_shuffled

REFERRALS = FIXTURES / "clues" / "referrals.jsonl"
GAS = "小区门口饭店的液化气罐漏气，一股煤气味。"  # routes to 城市管理和交通运输局 (燃气) in the shipped pack


def t(sender: str, receiver: str, at: str, reason: str = "") -> dict:
    return {"from": sender, "to": receiver, "at": at, "reason": reason}


def clue(*transfers: dict, text: str = GAS, **fields) -> dict:
    return {"id": "c", "text": text, "received_at": "2024-05-06T09:00:00+08:00", **fields, "transfers": list(transfers)}


def fixture_rows() -> dict[str, dict]:
    return {row["id"]: row for row in map(json.loads, REFERRALS.read_text(encoding="utf-8").splitlines())}


# ------------------------------------------------------------- the fixture cases


@pytest.mark.parametrize(
    ("clue_id", "verdict", "responsible", "escalate_to"),
    [
        ("r-01", "ok", "城市管理和交通运输局", []),  # 市场监管 hands a gas clue to the gas department (燃气)
        ("r-02", "late_return", "住房和城乡建设局", []),  # 09-30 → 10-09: 2 working days over National Day
        ("r-03", "ok", "城市管理和交通运输局", []),  # 09-30 → 10-08: the first working day after the holiday
        ("r-04", "loop", "城市管理和交通运输局", []),  # 城管 → 环保 → 城管, settled by the item list
        (
            "r-05",
            "loop",
            "发展改革和商务局",
            [],
        ),  # 市场监管 → 教体 → 发改商务 → 市场监管; routing already names 发改商务 (gym cards: 单用途预付卡)
        ("r-06", "too_many_hops", "城市管理和交通运输局", ["市场监督管理局"]),  # the 4th hop reaches 燃气
        ("r-07", "not_allowed", "城市管理和交通运输局", []),  # pushed down to 马王街道办事处
        ("r-08", "not_allowed", "市场监督管理局", []),  # a food complaint sent to 税务局
        ("r-09", "ok", "公安局", []),  # 假药: criminal referral to the police, after the return window
        ("r-10", "ok", "市场监督管理局", []),  # found by 应急管理局 in an inspection: notice
        ("r-11", "not_allowed", "城市管理和交通运输局", []),  # a broken chain
        ("r-12", "late_return", "教育体育局", []),  # Spring Festival: 02-09 and 02-18 were working days
    ],
)
def test_fixture_verdicts(shipped, clue_id, verdict, responsible, escalate_to):
    report = check_transfers(shipped, fixture_rows()[clue_id])
    assert report.verdict.value == verdict, report.findings
    assert report.responsible is not None and report.responsible.name == responsible
    assert [d.name for d in report.escalate_to] == escalate_to


def test_the_fixtures_cover_every_verdict(shipped):
    verdicts = {check_transfers(shipped, row).verdict for row in fixture_rows().values()}
    assert verdicts == set(Verdict) - {Verdict.invalid}


# ----------------------------------------------------------------------- names


def test_departments_by_id_name_alias_role_and_territorial_unit(shipped):
    report = check_transfers(
        shipped,
        clue(
            t("market_regulation", "城管局", "2024-05-06T10:00:00+08:00"),
            t(
                "城市管理和交通运输局", "燃气", "2024-05-06T11:00:00+08:00"
            ),  # 燃气 is a role 城管局 holds: a transfer to itself
            text="小区液化气罐漏气",
            location={"new_city": "沣西", "street": "马王街道"},
        ),
    )
    assert [d.id for d in report.chain] == ["market_regulation", "urban_transport", "urban_transport"]
    named = check_transfers(shipped, clue(t("马王街道办事处", "马王", "2024-05-06T10:00:00+08:00")))
    assert [d.name for d in named.chain] == ["马王街道办事处", "马王街道办事处"]


def test_an_unknown_department_makes_the_clue_invalid_never_a_guess(shipped):
    report = check_transfers(shipped, clue(t("市场监管局", "城管大队", "2024-05-06T10:00:00+08:00"), found_by="安监站"))
    assert report.verdict is Verdict.invalid and report.responsible is None
    assert report.error is not None
    assert "transfers.0.to: unknown department '城管大队'" in report.error.message
    assert "found_by: unknown department '安监站'" in report.error.message
    assert "did you mean" in report.error.message


def test_a_malformed_transfer_is_invalid_with_its_field(shipped):
    report = check_transfers(shipped, {"id": "x", "text": "煤气味", "transfers": [{"from": "住建局", "at": "昨天"}]})
    assert report.verdict is Verdict.invalid
    assert "transfers.0.to" in report.error.message and "transfers.0.at" in report.error.message


# ------------------------------------------------------------------ allowed


def test_a_transfer_to_the_lead_or_an_assisting_department_is_allowed(shipped):
    report = check_transfers(
        shipped,
        clue(
            t("城管局", "消防大队", "2024-05-06T10:00:00+08:00"), t("消防大队", "城管局", "2024-05-06T11:00:00+08:00")
        ),
    )
    assert report.verdict is Verdict.loop  # allowed, but a ping-pong
    assert not [f for f in report.findings if f.verdict is Verdict.not_allowed]


def test_a_transfer_to_a_department_with_no_role_is_not_allowed(shipped):
    report = check_transfers(shipped, clue(t("市场监管局", "税务局", "2024-05-06T10:00:00+08:00")))
    assert report.verdict is Verdict.not_allowed
    assert report.responsible.name == "市场监督管理局"
    assert "税务局 is not competent" in report.findings[0].message
    assert "城市管理和交通运输局" in [d.name for d in report.competent]


def test_pushing_down_to_a_street_or_new_city_without_a_role_is_not_allowed(shipped):
    for unit in ("马王街道", "沣西新城管委会"):
        report = check_transfers(shipped, clue(t("城管局", unit, "2024-05-06T10:00:00+08:00")))
        assert report.verdict is Verdict.not_allowed
        assert "pushed down" in report.findings[0].message and "事项不得下推街镇" in report.findings[0].message


def test_a_territorial_unit_the_decision_names_may_receive_the_clue(shipped):
    fumes = "楼下烧烤店油烟太大，熏得窗户都不敢开"
    report = check_transfers(
        shipped,
        clue(
            t("城管局", "马王街道", "2024-05-06T10:00:00+08:00"),
            text=fumes,
            location={"new_city": "沣西", "street": "马王街道"},
        ),
    )
    assert "马王街道办事处" in [a.name for a in report.decision.assisting]
    assert report.verdict is Verdict.ok


def test_police_are_competent_only_for_a_criminal_case(shipped):
    fake_drugs = "村里有人上门推销保健品说能治高血压，其实是假药，老人买了好几千"
    criminal = check_transfers(shipped, clue(t("市场监管局", "公安局", "2024-05-06T10:00:00+08:00"), text=fake_drugs))
    assert xxrules.Flag.criminal_check in criminal.decision.flags and criminal.verdict is Verdict.ok
    ordinary = check_transfers(shipped, clue(t("城管局", "公安局", "2024-05-06T10:00:00+08:00")))
    assert ordinary.verdict is Verdict.not_allowed


def test_the_task_force_office_and_arbiters_may_receive_a_disputed_or_unmatched_clue(shipped):
    report = check_transfers(
        shipped,
        clue(
            t("税务局", "行政审批服务局", "2024-05-06T10:00:00+08:00"),
            t("行政审批服务局", "组织人事部", "2024-05-06T11:00:00+08:00"),
            text="有个东西不知道归谁管",
        ),
    )
    assert report.decision.status is xxrules.Status.unmatched
    assert report.verdict is Verdict.ok
    routed = check_transfers(shipped, clue(t("城管局", "行政审批服务局", "2024-05-06T10:00:00+08:00")))
    assert routed.verdict is Verdict.not_allowed  # nothing to arbitrate for a routed clue


# ------------------------------------------------------------------ the chain


def test_a_broken_chain_is_a_finding_naming_both_transfers(shipped):
    report = check_transfers(
        shipped,
        clue(
            t("市场监管局", "城管局", "2024-05-06T10:00:00+08:00"),
            t("应急管理局", "城管局", "2024-05-06T11:00:00+08:00"),
        ),
    )
    assert report.verdict is Verdict.not_allowed and report.findings[0].transfer == 1
    assert (
        "transfers[1] is from 应急管理局 but transfers[0] gave the clue to 城市管理和交通运输局"
        in report.findings[0].message
    )
    assert report.responsible.name == "城市管理和交通运输局"


def test_times_going_back_are_a_finding(shipped):
    report = check_transfers(
        shipped,
        clue(
            t("市场监管局", "应急管理局", "2024-05-06T11:00:00+08:00"),
            t("应急管理局", "城管局", "2024-05-06T10:00:00+08:00"),
        ),
    )
    assert report.verdict is Verdict.not_allowed
    assert "earlier than transfers[0]" in report.findings[0].message


def test_a_transfer_before_the_clue_was_received_is_a_finding(shipped):
    report = check_transfers(shipped, clue(t("市场监管局", "城管局", "2024-05-06T08:00:00+08:00")))
    assert report.verdict is Verdict.not_allowed and report.findings[0].transfer == 0
    assert "earlier than received_at" in report.findings[0].message


# -------------------------------------------------------------- return window


def test_a_late_holder_becomes_first_responsible(shipped):
    report = check_transfers(
        shipped,
        clue(
            t("市场监管局", "应急管理局", "2024-05-06T10:00:00+08:00"),
            t("应急管理局", "城管局", "2024-05-08T10:00:00+08:00"),
        ),
    )
    assert report.verdict is Verdict.late_return and report.findings[0].transfer == 1
    assert report.responsible.name == "应急管理局" and "首办负责" in report.findings[0].message


def test_the_first_holder_counts_from_received_at(shipped):
    late = check_transfers(shipped, clue(t("市场监管局", "城管局", "2024-05-09T10:00:00+08:00")))
    assert late.verdict is Verdict.late_return and late.responsible.name == "市场监督管理局"
    unknown = check_transfers(shipped, clue(t("市场监管局", "城管局", "2024-05-09T10:00:00+08:00"), received_at=None))
    assert unknown.verdict is Verdict.ok
    assert "no received_at: the first holder's return window was not checked" in unknown.notes


def test_the_return_window_comes_from_the_policy(shipped):
    data = shipped.to_dict()
    data["jurisdiction"]["handling"] = {**data["jurisdiction"].get("handling", {}), "return_window_working_days": 3}
    lenient = xxrules.RuleSet.from_dict(data)
    late = clue(t("市场监管局", "城管局", "2024-05-09T10:00:00+08:00"))
    assert check_transfers(shipped, late).verdict is Verdict.late_return
    assert check_transfers(lenient, late).verdict is Verdict.ok


def test_the_policy_under_its_old_key_referral_still_loads(shipped):
    data = shipped.to_dict()
    data["jurisdiction"]["referral"] = {**data["jurisdiction"].pop("handling"), "return_window_working_days": 3}
    assert xxrules.RuleSet.from_dict(data).spec.jurisdiction.handling.return_window_working_days == 3


def test_a_criminal_referral_is_not_a_late_return(shipped):
    row = fixture_rows()["r-09"]  # passed to the police four working days after receipt
    report = check_transfers(shipped, row)
    assert report.verdict is Verdict.ok and not report.findings


# --------------------------------------------------------------------- loops


def test_a_ping_pong_is_a_loop_sent_up_the_ladder(shipped):
    report = check_transfers(shipped, fixture_rows()["r-04"])
    assert report.verdict is Verdict.loop and report.resolution is not None
    assert report.resolution.settled and report.resolution.lead.name == report.responsible.name
    assert "ping-pong 城市管理和交通运输局 → 生态环境局 → 城市管理和交通运输局" in report.findings[0].message


def test_an_unsettled_loop_stays_with_the_holder_and_escalates(shipped):
    report = check_transfers(
        shipped,
        clue(
            t("税务局", "财政金融局", "2024-05-06T10:00:00+08:00"),
            t("财政金融局", "税务局", "2024-05-06T11:00:00+08:00"),
            text="有个东西不知道归谁管",
        ),
    )
    assert report.verdict is Verdict.loop and not report.resolution.settled
    assert report.responsible.name == "税务局"
    assert report.escalate_to == report.resolution.escalate_to
    assert "行政审批服务局" in [d.name for d in report.escalate_to]


def test_a_transfer_to_oneself_is_a_loop(shipped):
    report = check_transfers(shipped, clue(t("城管局", "城市管理和交通运输局", "2024-05-06T10:00:00+08:00")))
    assert report.verdict is Verdict.loop


def test_every_problem_is_a_finding_and_the_verdict_is_the_most_serious(shipped):
    report = check_transfers(
        shipped,
        clue(t("城管局", "税务局", "2024-05-06T10:00:00+08:00"), t("税务局", "城管局", "2024-05-09T10:00:00+08:00")),
    )
    assert {f.verdict for f in report.findings} == {Verdict.loop, Verdict.late_return, Verdict.not_allowed}
    assert report.verdict is Verdict.loop
    assert (Verdict.loop, Verdict.too_many_hops, Verdict.late_return, Verdict.not_allowed) == PRECEDENCE


# ---------------------------------------------------------------------- hops


def test_max_hops_transfers_are_fine_one_more_goes_to_the_task_force(shipped):
    hops = [
        t("应急管理局", "市场监管局", "2024-05-06T10:00:00+08:00"),
        t("市场监管局", "消防大队", "2024-05-06T11:00:00+08:00"),
        t("消防大队", "住建局", "2024-05-06T12:00:00+08:00"),
        t("住建局", "城管局", "2024-05-06T13:00:00+08:00"),
    ]
    assert check_transfers(shipped, clue(*hops[:3])).verdict is Verdict.ok
    report = check_transfers(shipped, clue(*hops))
    assert report.verdict is Verdict.too_many_hops and report.findings[0].transfer == 3
    assert [d.name for d in report.escalate_to] == ["市场监督管理局"]


# ---------------------------------------------------------- deadlines, notices


def test_deadlines_count_working_days(shipped):
    report = check_transfers(
        shipped, clue(t("市场监管局", "城管局", "2024-09-30T15:00:00+08:00"), received_at="2024-09-30T09:00:00+08:00")
    )
    due = {d.name.split()[0]: d.due for d in report.deadlines}
    assert due["return_by"].isoformat() == "2024-10-08T23:59:59.999999+08:00"
    assert due["handle_by"].isoformat() == "2024-10-12T23:59:59.999999+08:00"  # an adjusted working Saturday


def test_deadlines_beyond_the_calendar_say_so(shipped):
    report = check_transfers(
        shipped, clue(t("市场监管局", "城管局", "2027-03-01T10:00:00+08:00"), received_at="2027-03-01T09:00:00+08:00")
    )
    assert all(any("no data for 2027" in n for n in d.notes) for d in report.deadlines)
    assert report.deadlines[0].due.date().isoformat() == "2027-03-02"


def test_deadlines_without_a_start_time_have_no_due_date(shipped):
    report = check_transfers(shipped, {"id": "n", "text": GAS})
    assert report.verdict is Verdict.ok and report.responsible.name == "城市管理和交通运输局"
    assert all(d.due is None and d.notes for d in report.deadlines)


def test_an_inspection_outside_the_remit_notifies_the_lead(shipped):
    report = check_transfers(shipped, fixture_rows()["r-10"])
    (notice,) = report.notices
    assert (notice.by.name, notice.to.name) == ("应急管理局", "市场监督管理局")
    assert notice.due.isoformat() == "2024-07-18T23:59:59.999999+08:00"  # 3 working days after 07-15
    assert any(d.name.startswith("transfer_by") for d in report.deadlines)
    own = check_transfers(shipped, {"id": "o", "text": GAS, "found_by": "城管局"})
    assert own.notices == () and own.verdict is Verdict.ok


def test_criminal_deadlines_are_copied_from_the_decision(shipped):
    row = fixture_rows()["r-09"]
    report = check_transfers(shipped, row)
    referral = report.decision.referral
    assert referral is not None and referral.to.name == "公安局"
    assert len(referral.deadlines) == 3 and set(referral.deadlines) <= set(report.deadlines)


# -------------------------------------------------------------- graph helpers


# ------------------------------------------------------------- review regressions


def test_a_loop_away_from_the_first_sender_in_a_broken_chain_is_found_not_a_crash(shipped):
    row = clue(
        t("城管局", "应急管理局", "2024-05-06T10:00:00+08:00"),
        t("市场监管局", "消防救援支队", "2024-05-06T11:00:00+08:00"),
        t("消防救援支队", "市场监管局", "2024-05-06T12:00:00+08:00"),
    )
    report = check_transfers(shipped, row)
    assert report.verdict is Verdict.loop
    assert any(f.verdict is Verdict.not_allowed for f in report.findings)  # the broken chain is still reported


def test_not_allowed_blames_the_sender_of_the_earliest_bad_transfer(shipped):
    row = clue(
        t("城管局", "教育体育局", "2024-05-06T10:00:00+08:00"),  # not competent
        t("教育体育局", "应急管理局", "2024-05-06T11:00:00+08:00"),
        t("应急管理局", "消防救援支队", "2024-05-06T10:30:00+08:00"),
    )  # time goes back
    report = check_transfers(shipped, row)
    assert report.verdict is Verdict.not_allowed
    assert report.responsible.name == "城市管理和交通运输局"
    assert [f.transfer for f in report.findings] == sorted(f.transfer for f in report.findings)


def test_a_finder_handing_over_within_the_transfer_window_is_not_a_late_return(shipped):
    row = clue(t("市场监管局", "城管局", "2024-05-08T10:00:00+08:00"), found_by="市场监管局")
    report = check_transfers(shipped, row)  # 2 working days: within the 3-day transfer window, over the 1-day return
    assert report.verdict is Verdict.ok
    late = clue(t("市场监管局", "城管局", "2024-05-10T10:00:00+08:00"), found_by="市场监管局")
    assert check_transfers(shipped, late).verdict is Verdict.late_return


def test_the_task_force_office_host_is_not_competent_for_a_routed_clue_it_does_not_handle(shipped):
    lamp = "小区门口路灯坏了好几天，晚上黑漆漆的"  # routed to 城管 (属地街镇 assists); 市场监管 hosts the office
    report = check_transfers(shipped, clue(t("城管局", "市场监管局", "2024-05-06T10:00:00+08:00"), text=lamp))
    assert report.decision.status.value == "routed"
    assert report.verdict is Verdict.not_allowed


def test_graph_helpers(shipped):
    transfers = TransferredClue.model_validate(
        clue(
            t("housing_construction", "emergency", "2024-05-06T10:00:00"),
            t("emergency", "market_regulation", "2024-05-06T11:00:00"),
            t("market_regulation", "emergency", "2024-05-06T12:00:00"),
        )
    )
    R = transfer_chain(shipped.graph, transfers.transfers)
    assert has_loop(R) and loop_departments(R) == ["emergency", "market_regulation"]
    assert R.nodes["dept:emergency"]["label"] == "应急管理局"
    assert not has_loop(transfer_chain(shipped.graph, transfers.transfers[:2]))
    assert [unit_level(shipped.graph, d) for d in ("housing_construction", "fengxi", "fengxi.mawang")] == [0, 1, 2]
    assert is_push_down(shipped.graph, "fengxi", "fengxi.mawang")
    assert not is_push_down(shipped.graph, "fengxi.mawang", "housing_construction")
    with pytest.raises(nx.NodeNotFound):
        transfer_chain(
            shipped.graph,
            TransferredClue.model_validate(clue(t("nobody", "emergency", "2024-05-06T10:00:00"))).transfers,
        )


# ----------------------------------------------------------------------- CLI


def test_cli_refer_matches_golden():
    result = run("transfers", str(REFERRALS))
    assert result.exit_code == 0, result.stderr
    check_golden("refer_referrals.jsonl", result.stdout)
    assert "12 clues: ok 4 · late_return 2 · loop 2 · too_many_hops 1 · not_allowed 3 · invalid 0" in result.stderr


def test_cli_refer_table_matches_golden():
    result = run("transfers", str(REFERRALS), "--format", "table")
    assert result.exit_code == 0, result.stderr
    check_golden("refer_referrals_table.txt", result.stdout)


def test_cli_refer_contract_and_invalid_lines():
    lines = [
        json.dumps(clue(t("市场监管局", "城管局", "2024-05-06T10:00:00+08:00")), ensure_ascii=False),
        "{not json",
        json.dumps(clue(t("市场监管局", "城管大队", "2024-05-06T10:00:00+08:00")), ensure_ascii=False),
    ]
    result = run("transfers", "-", stdin="\n".join(lines) + "\n")
    assert result.exit_code == 1
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["clue_id"], r["verdict"]) for r in rows] == [("c", "ok"), ("line-2", "invalid"), ("c", "invalid")]
    assert rows[0]["responsible"] == {"id": "urban_transport", "name": "城市管理和交通运输局"}
    assert {"clue_id", "verdict", "responsible", "escalate_to", "deadlines", "findings"} <= set(rows[0])
    assert rows[1]["error"]["line"] == 2 and rows[2]["error"]["line"] == 3
    assert "invalid 2" in result.stderr


# ----------------------------------------------------------------- properties
# The properties use the mini rule set with a task-force office of its own (专班办公室), so the
# office is never a party to a loop; the test below covers the case where it is.

MINI_DEPARTMENTS = [
    "market_regulation",
    "commerce",
    "housing",
    "education",
    "urban",
    "ecology",
    "police",
    "fengxi",
    "fengxi.mawang",
]
PREPAID = {"text": "办卡充了八万老板跑路", "amount": 80000, "location": {"new_city": "沣西"}}
PREPAID_COMPETENT = ["commerce", "market_regulation", "education", "police", "fengxi"]


def _mini_data() -> dict:
    data = xxrules.load_ruleset(MINI).to_dict()
    data["departments"].append({"id": "task_force", "name": "专班办公室", "kind": "coordination"})
    data["jurisdiction"]["task_force_office"] = "task_force"
    return data


@pytest.fixture(scope="module")
def office_apart() -> xxrules.RuleSet:
    return xxrules.RuleSet.from_dict(_mini_data())


def test_a_loop_through_the_task_force_office_is_escalated_even_without_other_arbiters(mini):
    # mini's task-force office is 市场监督管理局 and mini has no approval or establishment department.
    row = _chain_clue(["market_regulation", "education", "market_regulation"], [10] * 2)
    assert check_transfers(mini, row).verdict is Verdict.loop


def _chain_clue(departments: list[str], gaps: list[int]) -> dict:
    start = datetime.fromisoformat("2024-05-06T09:00:00+08:00")
    times = [start + timedelta(minutes=sum(gaps[: i + 1])) for i in range(len(departments) - 1)]
    transfers = [t(a, b, at.isoformat()) for a, b, at in zip(departments, departments[1:], times, strict=False)]
    return {"id": "p", **PREPAID, "received_at": start.isoformat(), "transfers": transfers}


@st.composite
def chains_with_a_repeat(draw: st.DrawFn) -> list[str]:
    """A connected chain where some department comes back: a cycle of any length from 1 (to oneself) up."""
    chain = draw(st.lists(st.sampled_from(MINI_DEPARTMENTS), min_size=1, max_size=6))
    back = draw(st.integers(0, len(chain) - 1))
    return chain + [chain[back]] + draw(st.lists(st.sampled_from(MINI_DEPARTMENTS), max_size=3))


@given(chain=chains_with_a_repeat(), gaps=st.lists(st.integers(0, 10_000), min_size=12, max_size=12))
def test_a_ping_pong_of_any_length_is_always_a_loop(office_apart, chain, gaps):
    report = check_transfers(office_apart, _chain_clue(chain, gaps))
    assert report.verdict is Verdict.loop
    assert report.resolution is not None and report.responsible is not None


@given(
    chain=st.lists(st.sampled_from(PREPAID_COMPETENT), min_size=1, max_size=4, unique=True),
    gaps=st.lists(st.integers(0, 240), min_size=4, max_size=4),
)
def test_a_chain_without_repeats_within_the_limits_is_ok(office_apart, chain, gaps):
    report = check_transfers(office_apart, _chain_clue(chain, gaps))
    assert report.verdict is Verdict.ok and report.findings == ()


@settings(max_examples=15)
@given(
    seed=st.integers(0, 10_000),
    chain=chains_with_a_repeat() | st.lists(st.sampled_from(MINI_DEPARTMENTS), min_size=2, max_size=6),
)
def test_reports_are_deterministic_and_independent_of_rule_file_order(office_apart, seed, chain):
    row = _chain_clue(chain, [60 * 20] * 12)
    with tempfile.TemporaryDirectory() as source, tempfile.TemporaryDirectory() as folder:
        (Path(source) / "all.yaml").write_text(office_apart.dump(), encoding="utf-8")
        _write_shuffled(Path(source), Path(folder), random.Random(seed))
        reordered = xxrules.load_ruleset(folder)
    expected = check_transfers(office_apart, row).model_dump(mode="json", exclude={"decision"})
    assert check_transfers(office_apart, row).model_dump(mode="json", exclude={"decision"}) == expected
    assert check_transfers(reordered, row).model_dump(mode="json", exclude={"decision"}) == expected


def test_check_referral_lines_keeps_input_order(shipped):
    lines = REFERRALS.read_text(encoding="utf-8").splitlines()
    assert [r.clue_id for r in check_transfer_lines(shipped, lines)] == [f"r-{i:02d}" for i in range(1, 13)]


def test_cli_refer_is_a_deprecated_alias_of_transfers():
    old, new = run("refer", str(REFERRALS)), run("transfers", str(REFERRALS))
    assert old.stdout == new.stdout and old.exit_code == new.exit_code
    assert "deprecated" in old.stderr and "xxrules transfers" in old.stderr
