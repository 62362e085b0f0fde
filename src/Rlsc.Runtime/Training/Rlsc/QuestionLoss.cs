namespace Rlsc.Runtime.Training.Rlsc;

/// <summary>
/// What the compute-the-loss phase of one question leaves besides its accumulated gradient: the loss and each
/// sample's values, for the logging phase.
/// </summary>
/// <param name="Loss">The question's loss (the sum of its micro-batches' losses).</param>
/// <param name="SequenceLogProbs">log p(y|x) of each sample.</param>
/// <param name="Weights">Each sample's signal (w(y) for rlsc).</param>
/// <param name="Coefficients">Each sample's factor in the loss.</param>
/// <param name="EntropySums">Each sample's sum of token entropies.</param>
/// <param name="ForwardTokens">Tokens, padding included, that went through forward and backward for this question (its
/// share of the micro-batches it was packed into).</param>
sealed record QuestionLoss(double Loss, double[] SequenceLogProbs, double[] Weights, double[] Coefficients, double[] EntropySums, long ForwardTokens);
