namespace Rlsc.Core.Gate;

/// <summary>
/// One thresholds file (`eval-suites/thresholds/&lt;model_key&gt;.json`, schema rlsc.gate.thresholds/v1):
/// the suites a model must pass and, per suite, how well. See docs/gate.md for the format and how the
/// numbers were chosen.
/// </summary>
/// <param name="File">The file it was read from (errors and annotations point at it).</param>
/// <param name="ModelKey">The file's name without .json; `rlsc gate --model-key` selects it.</param>
/// <param name="Models">Model names (`model.name` in summaries) this key admits; a summary of any other model fails.</param>
/// <param name="AnyModel">`any_model: true`: the key admits every model (said explicitly, never by an empty list).</param>
/// <param name="Alpha">`alpha`: the significance level of the paired test and of the power statement.</param>
public sealed record ModelThresholds(
    string File,
    string ModelKey,
    IReadOnlyList<string> Models,
    IReadOnlyDictionary<string, SuiteThreshold> Suites,
    bool AnyModel = false,
    double Alpha = 0.05)
{
    /// <summary>Whether a summary of <paramref name="modelName"/> may be gated with this key (names compare case-insensitively, like hub ids).</summary>
    public bool Admits(string modelName) =>
        AnyModel || Models.Any(m => string.Equals(m, modelName, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// What one suite must reach. Accuracies are fractions in [0, 1] of the suite's <see cref="Metric"/>.
/// </summary>
/// <param name="MinAccuracy">`min_accuracy`: the metric may not be lower (inclusive bound).</param>
/// <param name="MaxDrop">`max_drop`: golden − metric may not exceed it.</param>
/// <param name="Golden">`golden`: the accepted result the drop is measured from (`--golden` overrides it).</param>
/// <param name="Count">`count`: the number of questions a complete evaluation has; any other number fails.</param>
/// <param name="Pending">`pending`: true while the numbers are not measured yet; only the suite's presence is checked.</param>
/// <param name="Line">The line of the suite's entry in the file.</param>
/// <param name="Metric">`metric` and `temperature`: what is gated; null only while pending.</param>
/// <param name="NotWorseThanBase">`not_worse_than_base`: the paired test against the base model must not find the model worse.</param>
/// <param name="MinGain">`min_gain`: the paired test must show a gain over the base model larger than this.</param>
public sealed record SuiteThreshold(
    string Suite,
    double? MinAccuracy,
    double? MaxDrop,
    double? Golden,
    int? Count,
    bool Pending,
    int? Line,
    GatedMetric? Metric = null,
    bool NotWorseThanBase = false,
    double? MinGain = null)
{
    /// <summary>Whether the suite needs the base model's evaluation (`--baseline`).</summary>
    public bool IsPaired => NotWorseThanBase || MinGain is not null;
}
