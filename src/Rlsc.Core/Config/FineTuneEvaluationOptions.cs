namespace Rlsc.Core.Config;

/// <summary>
/// The before/after evaluation that `rlsc finetune` runs when training has finished (section `evaluation`): the base
/// model and the fine-tuned one on the held-out suites, greedy and sampled at the training temperature (k samples:
/// avg@k, maj@k, pass@k, agreement), plus the base model sampled at a lowered temperature, the alternative a
/// sceptic would try first. Writes eval/&lt;variant&gt;/ (the `rlsc eval` outputs), before-after.md, before-after.json and
/// plots/*.png into the run folder and prints the table. Off unless <see cref="Suites"/> names a suite.
/// </summary>
public sealed class FineTuneEvaluationOptions
{
    /// <summary>Held-out suites to evaluate on (names or manifest paths). Empty: no evaluation after training.</summary>
    public List<string> Suites { get; set; } = [];

    /// <summary>k, samples per problem at the training temperature (sampling.temperature).</summary>
    public int Samples { get; set; } = 8;

    /// <summary>Temperature of the sceptic's alternative: the base model sampled cooler (null: not evaluated).</summary>
    public double? LoweredTemperature { get; set; }

    /// <summary>Only the first N problems of each suite (null: all).</summary>
    public int? Limit { get; set; }

    /// <summary>Completion length limit (null: the suite's decoding.max_new_tokens).</summary>
    public int? MaxNewTokens { get; set; }

    /// <summary>Seed of the evaluation sampler; the same seed for base and fine-tuned, so they see the same random stream.</summary>
    public long Seed { get; set; }

    /// <summary>Problems generated per batch (all k samples of a problem go in one batch).</summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>Write plots/*.png (accuracy before/after, answer distributions of a few questions, loss and agreement per step).</summary>
    public bool Plots { get; set; } = true;
}
