"""The durable_rules engine: rule conditions compiled to durable JSON rulesets, run on a Rete network."""
