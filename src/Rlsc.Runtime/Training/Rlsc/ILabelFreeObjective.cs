using static TorchSharp.torch;

using Rlsc.Core.Config;

namespace Rlsc.Runtime.Training.Rlsc;

/// <summary>
/// A label-free objective over one question's N sampled completions. Every objective here has the form
///   loss = scale * sum_i c_i * g_i,
/// with c_i a per-sample coefficient that carries no gradient (a weight, an advantage, 1/|y_i|) and g_i a
/// differentiable per-sample term (-log p(y_i|x), or the sum of y_i's token entropies). That form lets the trainer
/// split the N samples into micro-batches and add up their gradients exactly, whatever the objective.
/// </summary>
public interface ILabelFreeObjective
{
    LabelFreeObjectiveKind Kind { get; }

    /// <summary>What the scorer must compute beyond log p(y|x).</summary>
    ScoreNeeds Needs { get; }

    /// <summary>
    /// True when the coefficients depend on the model's scores of the samples (rlsc: log p_old; self_certainty:
    /// KL(U || p_old)); false when they follow from the samples alone (ttrl: answers; entropy: lengths).
    /// </summary>
    bool UsesScores { get; }

    /// <summary>
    /// True when a sample's coefficient depends on the other samples' scores too (normalised weights, group
    /// advantages): with several micro-batches the trainer then scores all N without gradients first.
    /// </summary>
    bool CouplesSamples { get; }

    /// <summary>The factor for the configured reductions over N samples and Q questions of a step.</summary>
    double Scale(int samplesPerQuestion, int questionsPerStep);

    /// <summary>
    /// The coefficients of the given samples. <paramref name="scores"/> holds exactly those samples' scores (under
    /// p_old, treated as constants) when <see cref="UsesScores"/>, else null; when <see cref="CouplesSamples"/> and
    /// <see cref="UsesScores"/>, <paramref name="rows"/> is always the whole group.
    /// </summary>
    SampleSignals Signals(QuestionGroup group, IReadOnlyList<int> rows, RowScores? scores);

    /// <summary>The loss of some of the samples (a micro-batch), with the coefficients of the same rows.</summary>
    Tensor Loss(RowScores scores, Tensor coefficients, double scale);
}

/// <summary>The question's N samples as the objectives see them (never a gold answer).</summary>
/// <param name="Answers">Each sample's extracted final answer; null when it has none.</param>
/// <param name="Lengths">Each sample's completion tokens.</param>
/// <param name="Equal">When two answers are the same (the evaluation's grader).</param>
public sealed record QuestionGroup(IReadOnlyList<string?> Answers, IReadOnlyList<int> Lengths, Func<string, string, bool> Equal)
{
    public int Count => Answers.Count;
}

/// <summary>Per-sample signals of some rows, in the order of those rows.</summary>
/// <param name="Signal">What the sample was scored by, for the logs: w(y) for rlsc, the reward for ttrl and
/// self_certainty, 1 for entropy.</param>
/// <param name="Coefficient">c_i, the factor on the sample's term in the loss (no gradient).</param>
public sealed record SampleSignals(double[] Signal, double[] Coefficient);
