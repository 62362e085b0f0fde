namespace Rlsc.Runtime.Training.Rlsc;

/// <summary>One line of samples.jsonl: a question of a step and the N completions the model trained on.</summary>
public sealed record SampleLogLine(
    int Step,
    int QuestionIndex,
    string? QuestionId,
    string Question,
    long SamplingSeed,
    int PromptTokens,
    double? AnswerAgreement,
    IReadOnlyList<CompletionLogEntry> Completions);

/// <summary>One sampled completion as trained on.</summary>
/// <param name="Sample">0-based index among the question's N samples.</param>
/// <param name="SequenceLogProb">log p(y|x): the sum of the completion tokens' log-probs at the sampling temperature.</param>
/// <param name="Weight">w(y) from the configured weighting (before alpha).</param>
/// <param name="Coefficient">w(y) + alpha (renormalised when configured): the factor on -log p(y|x) in the loss.</param>
/// <param name="Answer">The extracted final answer (last \boxed{}), null when there is none.</param>
public sealed record CompletionLogEntry(
    int Sample,
    string Text,
    int[] TokenIds,
    string FinishReason,
    int Length,
    double SequenceLogProb,
    double Weight,
    double Coefficient,
    double MeanTokenEntropy,
    string? Answer);
