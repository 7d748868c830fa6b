"""Orders, returns and refunds: reads, policy-checked writes, confirmations and audit."""
