"""The dispute ladder: one test per rung, items without a lead, rulings written back, properties.

tests/data/disputes is a small rule set built so that each clue below stops at a known rung.
"""

from __future__ import annotations

import random
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import xxrules
from xxrules import Rung, Status, record_ruling, write_ruling
from xxrules.jurisdiction import arbiters, closeness, field_owner, jurisdiction_graph

from .conftest import HERE

DISPUTES = HERE / "data" / "disputes"
CHINA = timezone(timedelta(hours=8))


@pytest.fixture(scope="module")
def rules() -> xxrules.RuleSet:
    return xxrules.load_ruleset(DISPUTES)


def route(rules: xxrules.RuleSet, text: str, **fields: object) -> xxrules.Decision:
    return rules.route({"id": "c-1", "text": text, **fields})


def names(refs) -> list[str]:
    return [ref.name for ref in refs]


# --------------------------------------------------------------------- each rung


def test_item_list_settles_when_one_item_names_the_other_contender_as_cooperating(rules):
    decision = route(rules, "孩子学校食堂的饭菜发霉了，好几个学生吃了拉肚子")
    assert decision.status is Status.routed
    assert decision.lead.name == "市场监督管理局"
    assert decision.resolution.rung is Rung.item_list and decision.resolution.settled
    assert decision.resolution.path == ("dept:market", "item:school_canteen", "dept:education")
    assert "教育局" in names(decision.assisting)
    assert sorted(names(c.lead for c in decision.candidates)) == ["市场监督管理局", "教育局"]


def test_field_ownership_settles_when_both_items_lie_in_one_field(rules):
    decision = route(rules, "隔壁半夜噪音太大，吵得睡不着")
    assert decision.lead.name == "生态环境局"
    resolution = decision.resolution
    assert resolution.rung is Rung.field_ownership
    assert [s.rung for s in resolution.steps] == [Rung.item_list, Rung.field_ownership]
    assert resolution.path == ("dept:ecology", "role:生态环境", "field:noise")
    assert "公安局" in names(decision.assisting)


def test_closeness_settles_for_the_department_that_also_works_in_the_other_field(rules):
    decision = route(rules, "小区门口有人占道卖熟食，也没有健康证")
    assert decision.lead.name == "市场监督管理局"
    assert decision.resolution.rung is Rung.closeness
    assert decision.resolution.path[0] == "dept:market"


def test_unsettled_dispute_goes_to_the_approval_department_with_the_regulators(rules):
    decision = route(rules, "共享充电宝乱收费，共享单车还堵在门口")
    assert decision.status is Status.disputed and decision.lead is None
    resolution = decision.resolution
    assert not resolution.settled and resolution.rung is Rung.approval_and_regulators
    assert names(resolution.escalate_to) == ["行政审批服务局", "城市管理局", "市场监督管理局"]
    assert names(resolution.provisional) == ["城市管理局", "市场监督管理局"]
    assert "act provisionally" in decision.reason and decision.coordinator.name == "市场监督管理局"


def test_approval_department_in_the_dispute_sends_it_to_establishment_and_justice(rules):
    decision = route(rules, "这家店超范围经营，营业执照上根本没有这一项")
    resolution = decision.resolution
    assert resolution.rung is Rung.establishment_and_justice
    assert sorted(names(resolution.escalate_to)) == ["党群工作部", "组织人事部"]
    assert resolution.steps[3].rung is Rung.approval_and_regulators and not resolution.steps[3].settled


def test_approval_and_establishment_in_the_dispute_leave_it_to_the_task_force(rules):
    decision = route(rules, "政务大厅窗口编制不够，排队排了三个小时")
    assert decision.resolution.rung is Rung.task_force
    assert names(decision.resolution.escalate_to) == ["市场监督管理局"]


def test_item_without_a_lead_is_settled_by_the_owner_of_its_field(rules):
    decision = route(rules, "网上买的预制菜吃了拉肚子")
    assert decision.status is Status.routed
    assert decision.lead.name == "市场监督管理局"
    assert decision.item.id == "unlabelled_food"
    assert decision.resolution.rung is Rung.field_ownership
    assert "has no lead" in decision.reason


def test_item_without_a_lead_in_an_unowned_field_escalates_and_names_who_acts(rules):
    decision = route(rules, "小区开了个共享自习室，收费不明也没人管")
    assert decision.status is Status.disputed
    assert decision.resolution.rung is Rung.approval_and_regulators
    assert decision.resolution.provisional  # nothing falls through
    assert decision.explanation.fired[0].lead == "未定牵头部门"


def test_an_undisputed_clue_has_no_resolution(rules):
    decision = route(rules, "广告牌歪了，快掉下来了")
    assert decision.status is Status.routed and decision.resolution is None


# ------------------------------------------------------------------ graph queries


def test_graph_queries_used_by_the_ladder(rules):
    G = jurisdiction_graph(rules)
    assert field_owner(G, "noise") == "ecology"
    assert field_owner(G, "sharing") is None
    assert closeness(G, "market", "city") == pytest.approx(0.25)  # cooperates on 1 of the field's items
    assert closeness(G, "urban", "food") == 0.0
    assert arbiters(G, ["market", "approval"], Rung.approval_and_regulators) == []
    assert arbiters(G, ["market", "urban"], Rung.approval_and_regulators) == ["approval"]


def test_settle_api_climbs_the_ladder_for_departments_passing_a_clue_round(rules):
    decision = route(rules, "学校食堂的饭菜有问题")
    assert rules.settle(["教育局", "市场监督管理局"], decision).lead.name == "市场监督管理局"
    assert rules.settle(["城市管理局", "市场监督管理局"]).rung is Rung.approval_and_regulators
    with pytest.raises(ValueError, match="unknown department '城管局'"):
        rules.settle(["城管局"])
    with pytest.raises(ValueError, match="none were given"):
        rules.settle([])


def test_office_host_in_the_dispute_still_sends_it_to_the_task_force(shipped):
    parties = ["行政审批服务局", "组织人事部", "党群工作部", "市场监督管理局"]  # every arbiter is a party
    resolution = shipped.settle(parties)
    assert resolution.rung is Rung.task_force and names(resolution.escalate_to) == ["市场监督管理局"]
    assert [step.rung for step in resolution.steps][-1] is Rung.task_force


def test_a_lead_routing_already_named_stands_when_departments_pass_the_clue_round(shipped):
    decision = shipped.route({"id": "r-05", "text": "健身房办了卡充了八万，老板跑路了", "amount": 80000})
    assert decision.lead.name == "发展改革和商务局" and decision.resolution is None
    resolution = shipped.settle(["市场监督管理局", "教育体育局", "发展改革和商务局"], decision)
    assert resolution.lead.name == "发展改革和商务局" and resolution.rung is Rung.item_list
    assert "already name" in resolution.steps[0].detail
    # without a decision there is no item or field in play: nothing settles it below the escalation rungs
    assert shipped.settle(["市场监督管理局", "教育体育局", "发展改革和商务局"]).rung is Rung.approval_and_regulators


def test_shipped_pack_holdout_disputes_are_settled_or_escalated(shipped):
    # a bus line (城管交通) against a red light run (公安): the ladder decides, either settling it on a lead the
    # holdout file accepts or escalating it to the arbiters; which one moves with the graph as rules are added
    decision = shipped.route({"id": "h-31", "text": "公交车司机开车打电话，还闯红灯"})
    assert {c.lead.name for c in decision.candidates} == {"公安局", "城市管理和交通运输局"}
    if decision.status is Status.routed:
        assert decision.resolution.settled and decision.lead.name in {"公安局", "城市管理和交通运输局"}
    else:
        assert decision.status is Status.disputed and decision.resolution.escalate_to
    unsettled = shipped.settle(["城市管理和交通运输局", "市场监督管理局"])
    assert unsettled.rung is Rung.approval_and_regulators
    assert names(unsettled.escalate_to)[0] == "行政审批服务局"


# ------------------------------------------------------------------------ rulings


def test_recorded_ruling_written_back_routes_the_same_clue_without_a_dispute(tmp_path):
    folder = tmp_path / "rules"
    shutil.copytree(DISPUTES, folder)
    clue = {"id": "12345-2024-0503-017", "text": "共享充电宝乱收费，共享单车还堵在门口"}
    before = xxrules.load_ruleset(folder)
    disputed = before.route(clue)
    assert disputed.status is Status.disputed
    item = record_ruling(
        before,
        disputed,
        lead="市场监督管理局",
        decided_by="行政审批服务局",
        decided_at=datetime(2024, 5, 3, 15, 0, tzinfo=CHINA),
        note="5月3日协调会纪要",
    )
    path = write_ruling(item, folder)
    assert path.name == "rulings.yaml"
    after = xxrules.load_ruleset(folder)
    decision = after.route(clue)
    assert decision.status is Status.routed and decision.resolution is None
    assert decision.lead.name == "市场监督管理局"
    assert names(decision.assisting) == ["城市管理局"]
    recorded = after.items[item.id]
    assert recorded.ruling.decided_by == "approval" and recorded.ruling.clue_id == clue["id"]
    with pytest.raises(ValueError, match="already recorded"):
        write_ruling(item, folder)


def test_rulings_on_different_clues_never_share_an_id(rules):
    when = datetime(2024, 5, 3, tzinfo=CHINA)
    ids = {
        record_ruling(
            rules,
            route(rules, "共享充电宝乱收费").model_copy(update={"clue_id": clue_id}),
            lead="市场监督管理局",
            decided_by="行政审批服务局",
            decided_at=when,
        ).id
        for clue_id in ["工单甲", "工单乙", "C-1", "c-1", "c 1"]
    }
    assert len(ids) == 5


def test_ruling_refuses_unknown_departments_and_unmatched_clues(rules):
    disputed = route(rules, "共享充电宝乱收费")
    when = datetime(2024, 5, 3, tzinfo=CHINA)
    with pytest.raises(ValueError, match="unknown department"):
        record_ruling(rules, disputed, lead="城管局", decided_by="行政审批服务局", decided_at=when)
    unmatched = route(rules, "谢谢你们")
    with pytest.raises(ValueError, match="no rule matched"):
        record_ruling(rules, unmatched, lead="市场监督管理局", decided_by="行政审批服务局", decided_at=when)


# --------------------------------------------------------------------- properties

WORDS = [
    "食堂",
    "学校",
    "噪音",
    "占道",
    "熟食",
    "广告牌",
    "共享",
    "超范围经营",
    "窗口编制",
    "预制菜",
    "共享自习室",
    "饭菜",
    "门口",
    "半夜",
    "投诉",
]


def _copy_shuffled(target: Path, seed: int) -> Path:
    """The disputes rule set copied under random file names, so the files load in another order."""
    rng = random.Random(seed)
    target.mkdir(parents=True, exist_ok=True)
    files = sorted(DISPUTES.glob("*.yaml"))
    rng.shuffle(files)
    for index, source in enumerate(files):
        (target / f"{rng.randrange(10**6)}-{index}.yaml").write_text(
            source.read_text(encoding="utf-8"), encoding="utf-8"
        )
    return target


@pytest.fixture(scope="module")
def shuffled_sets(tmp_path_factory) -> list[xxrules.RuleSet]:
    """Six copies of the disputes rule set whose files load in other orders (loaded once: loading is slow)."""
    return [xxrules.load_ruleset(_copy_shuffled(tmp_path_factory.mktemp("order"), seed)) for seed in range(6)]


@given(words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=5), which=st.integers(0, 5))
def test_resolution_is_deterministic_and_independent_of_file_order(rules, shuffled_sets, words, which):
    text = "，".join(words)
    shuffled = shuffled_sets[which]
    first, again, other = route(rules, text), route(rules, text), route(shuffled, text)
    assert first == again
    assert first.model_dump(exclude={"explanation", "ruleset"}) == other.model_dump(exclude={"explanation", "ruleset"})


def _shipped_words() -> list[str]:
    """Keywords of the shipped pack's items, so generated clues mix fields and dispute often."""
    pack = xxrules.load_ruleset()
    return sorted({w for item in pack.items.values() if item.keywords for w in (item.keywords.any or ())})


SHIPPED_WORDS = _shipped_words()


@given(words=st.lists(st.sampled_from(SHIPPED_WORDS), min_size=2, max_size=5))
def test_shipped_pack_ladder_invariants(shipped, words):
    _check_ladder_invariants(shipped.route({"id": "p", "text": "，".join(words)}))


@given(words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=6))
def test_a_resolved_dispute_never_names_two_leads(rules, words):
    _check_ladder_invariants(route(rules, "，".join(words)))


def _check_ladder_invariants(decision: xxrules.Decision) -> None:
    resolution = decision.resolution
    if resolution is None:
        return
    if resolution.settled:
        assert decision.status is Status.routed and decision.lead == resolution.lead
        assert decision.lead.id not in {a.id for a in decision.assisting}
        assert resolution.escalate_to == () and resolution.steps[-1].settled
        assert sum(step.settled for step in resolution.steps) == 1
    else:
        assert decision.status is Status.disputed and decision.lead is None
        assert resolution.escalate_to and resolution.provisional
        assert not any(step.settled for step in resolution.steps)
