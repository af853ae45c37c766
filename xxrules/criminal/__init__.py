"""Criminal referral (行刑衔接): triggers on a decided clue, 310号 deadlines, and the refusal of 以罚代刑."""
