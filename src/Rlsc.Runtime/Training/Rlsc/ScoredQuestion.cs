using Rlsc.Runtime.Training.Policy;

namespace Rlsc.Runtime.Training.Rlsc;

/// <summary>
/// A question after the generate-and-score phase of a step (TRL's generate-and-score, before its compute-the-loss):
/// what the loss phase needs, all without a graph.
/// </summary>
/// <param name="PromptIds">The rendered prompt's tokens.</param>
/// <param name="Samples">The N completions sampled from p_old.</param>
/// <param name="Batches">The micro-batches (sample indices) that fit training.micro_batch_tokens.</param>
/// <param name="Answers">Each sample's extracted final answer; null when it has none.</param>
/// <param name="Group">The samples as the objective sees them.</param>
/// <param name="Signals">Every sample's signal and coefficient when they are known before the loss phase (from the
/// answers or lengths, or from the no-grad pass over all N); null when each micro-batch computes its own from its
/// scores in the loss phase.</param>
/// <param name="NoSignal">All coefficients are 0 (ttrl without a majority): scored for the metrics only, no graph.</param>
sealed record ScoredQuestion(
    int[] PromptIds,
    IReadOnlyList<SampledCompletion> Samples,
    IReadOnlyList<List<int>> Batches,
    IReadOnlyList<string?> Answers,
    QuestionGroup Group,
    SampleSignals? Signals,
    bool NoSignal);
