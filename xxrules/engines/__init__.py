"""Other engines deciding which rules hold, cross-checked against the evaluator."""
