"""Criminal referral (行刑衔接): each shipped trigger, its deadlines, and close_case refusing 以罚代刑."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from xxrules import CaseClosure, CaseClosureError, CriminalReview, Flag, Measure, Status, close_case

CHINA = timezone(timedelta(hours=8))
RECEIVED = "2024-09-28T10:00:00+08:00"  # a Saturday before the National Day holiday

TRIGGERED = [
    ("fake-drugs", "楼下药店卖的降压药是假药，吃了一个月血压一点没降", None),
    ("toxic-food", "这家火锅店用地沟油，后厨一股怪味", None),
    ("counterfeit-goods", "批发市场有人卖假冒名牌白酒，以假充真，听说卖了二十多万", 200000),
    ("illegal-fundraising", "小区门口有个理财公司保本高息拉老人投钱，就是非法集资", None),
    ("prepaid-absconding", "健身房老板卷款跑路了，我们三十多个会员的卡钱都没了", 50000),
    ("wage-refusal", "工地老板拖欠我们工资，现在人跑路了电话也失联，一共欠八万", 80000),
    ("illegal-oil-trade", "村口加油点无证卖散装柴油，一个月卖了好几十万", 300000),
    ("pollution-crime", "工厂私设暗管往河里偷排污水，河水都变黑了", None),
    ("violent-resistance", "执法人员检查时店主暴力抗法，打伤执法人员", None),
    ("casualties", "小区燃气爆炸，死了人，楼都塌了一半", None),
]

NOT_TRIGGERED = [
    ("below the counterfeit amount", "网店卖假货，我买了一双假鞋", 300),
    ("prepaid loss below the amount", "健身房老板跑路了，卡里还有两千块", 2000),
    ("death outside a safety field", "家里老人死亡，殡葬服务乱收费", None),
    ("wage arrears without absconding", "公司拖欠工资两个月了", 40000),
]


@pytest.mark.parametrize(("trigger", "text", "amount"), TRIGGERED, ids=[t[0] for t in TRIGGERED])
def test_each_trigger_refers_the_clue_to_the_police(shipped, trigger, text, amount):
    decision = shipped.route({"id": "c-1", "text": text, "amount": amount, "received_at": RECEIVED})
    assert decision.referral is not None, decision.reason
    assert trigger in [hit.id for hit in decision.referral.triggers]
    assert decision.referral.to.name == "公安局"
    assert Flag.criminal_check in decision.flags


@pytest.mark.parametrize(("why", "text", "amount"), NOT_TRIGGERED, ids=[t[0] for t in NOT_TRIGGERED])
def test_near_misses_do_not_refer(shipped, why, text, amount):
    decision = shipped.route({"id": "c-1", "text": text, "amount": amount})
    assert decision.referral is None, [hit.id for hit in decision.referral.triggers]


def test_statutory_deadlines_chain_from_the_clue_receipt(shipped):
    decision = shipped.route({"id": "c-1", "text": "药店卖假药", "received_at": RECEIVED})
    deadlines = {d.name: d for d in decision.referral.deadlines}
    assert deadlines["decide_transfer"].period == "3 days"
    assert deadlines["decide_transfer"].due == datetime(2024, 10, 1, 23, 59, 59, tzinfo=CHINA)
    assert deadlines["transfer_to_police"].period == "24 hours"
    assert deadlines["transfer_to_police"].due == datetime(2024, 10, 2, 23, 59, 59, tzinfo=CHINA)
    assert deadlines["police_decision"].due == datetime(2024, 10, 5, 23, 59, 59, tzinfo=CHINA)
    assert "310号" in deadlines["decide_transfer"].basis


@pytest.mark.parametrize("received", ["2024-09-28T05:00:00-05:00", "2024-09-28T18:00:00"])
def test_deadlines_run_in_china_time_whatever_the_clue_zone(shipped, received):
    # 05:00 at UTC-5 is 18:00 in China; a time without a zone is China time
    decision = shipped.route({"id": "c-1", "text": "药店卖假药", "received_at": received})
    due = decision.referral.deadlines[0].due
    assert due == datetime(2024, 10, 1, 23, 59, 59, tzinfo=CHINA) and due.utcoffset() == timedelta(hours=8)


def test_a_trigger_limited_to_fields_ignores_rules_that_lost(shipped):
    # 跑路 also fires the prepaid-card item rule, which loses to wage arrears: no prepaid-card trigger
    decision = shipped.route({"id": "c-1", "text": "工地包工头跑路了，拖欠农民工工资", "amount": 50000})
    assert decision.item.id == "migrant_wage_arrears"
    assert [hit.id for hit in decision.referral.triggers] == ["wage-refusal"]


def test_deadlines_without_a_receipt_time_are_listed_without_a_due_time(shipped):
    decision = shipped.route({"id": "c-1", "text": "药店卖假药"})
    assert [d.due for d in decision.referral.deadlines] == [None, None, None]


def test_a_clue_no_rule_routes_still_carries_its_referral(shipped):
    decision = shipped.route({"id": "c-1", "text": "店主暴力抗法，袭警"})
    assert decision.status is Status.unmatched
    assert decision.referral.triggers[0].id == "violent-resistance"


# --------------------------------------------------------------------- close_case


@pytest.fixture()
def fake_drugs(shipped):
    return shipped.route({"id": "c-9", "text": "药店卖假药", "received_at": RECEIVED})


def test_administrative_penalty_alone_cannot_close_a_referred_case(fake_drugs):
    with pytest.raises(CaseClosureError) as caught:
        close_case(fake_drugs, CaseClosure(measures=[Measure.administrative_penalty]))
    assert "不得以罚代刑" in caught.value.reason and "公安局" in caught.value.reason
    assert caught.value.clue_id == "c-9"


def test_a_review_does_not_replace_the_transfer_when_a_trigger_held(fake_drugs):
    review = CriminalReview(
        decided_by="市场监督管理局", decided_at=datetime(2024, 9, 29, tzinfo=CHINA), reason="金额不大"
    )
    with pytest.raises(CaseClosureError):
        close_case(fake_drugs, CaseClosure(measures=["administrative_penalty"], criminal_review=review))


def test_transfer_must_say_when_it_went_to_the_police(fake_drugs):
    with pytest.raises(CaseClosureError, match="police_transfer_at"):
        close_case(fake_drugs, CaseClosure(measures=["administrative_penalty", "criminal_transfer"]))
    closure = CaseClosure(
        measures=["administrative_penalty", "criminal_transfer"],
        police_transfer_at=datetime(2024, 9, 30, 9, tzinfo=CHINA),
    )
    assert close_case(fake_drugs, closure) is closure


def test_criminal_check_flag_alone_needs_a_transfer_or_a_reasoned_review(shipped):
    decision = shipped.route({"id": "c-5", "text": "健身房办了卡，老板跑路了，损失六万", "amount": 60000})
    decision = decision.model_copy(update={"referral": None})  # only the rule's criminal_check flag remains
    assert Flag.criminal_check in decision.flags
    with pytest.raises(CaseClosureError, match="criminal_review"):
        close_case(decision, CaseClosure(measures=["administrative_penalty"]))
    review = CriminalReview(
        decided_by="发展改革和商务局", decided_at=datetime(2024, 5, 2, tzinfo=CHINA), reason="已全额退款, 未达追诉标准"
    )
    assert close_case(decision, CaseClosure(measures=["administrative_penalty"], criminal_review=review))


def test_an_ordinary_case_closes_with_a_penalty(shipped):
    decision = shipped.route({"id": "c-2", "text": "小区门口烧烤摊油烟太大"})
    assert close_case(decision, CaseClosure(measures=["rectification_order"])).measures == (
        Measure.rectification_order,
    )
