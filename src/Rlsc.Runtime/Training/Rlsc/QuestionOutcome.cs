namespace Rlsc.Runtime.Training.Rlsc;

/// <summary>What training on one question produced, for the step's metrics and samples.jsonl.</summary>
/// <param name="EntropySum">Sum of the token entropies over all completion tokens.</param>
/// <param name="Loss">The question's loss (its share of the step's loss).</param>
/// <param name="PaddedTokens">Tokens (with padding) that went through forward and backward.</param>
sealed record QuestionOutcome(
    IReadOnlyList<CompletionLogEntry> Samples,
    double EntropySum,
    double Loss,
    AnswerAgreement Agreement,
    double SamplingSeconds,
    double TrainingSeconds,
    long PaddedTokens,
    SampleLogLine Log);
