"""Built-in stages: one module per stage, each a pure `generate` from inputs to sections."""
