"""The DCA-style evaluation harness: run the co-pilot read-only on cases, score answers deterministically."""
