"""GuessWhat?! (de Vries et al. 2017; Strub et al. 2017): oracle, question generator and guesser
on a synthetic game, supervised then REINFORCE; export to ONNX, report."""
