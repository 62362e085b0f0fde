namespace Rlsc.Core.Gate;

/// <summary>
/// One thresholds file (`eval-suites/thresholds/&lt;model_key&gt;.json`, schema rlsc.gate.thresholds/v1):
/// the suites a model must pass and, per suite, how well. See docs/gate.md for the format and how the
/// numbers were chosen.
/// </summary>
/// <param name="File">The file it was read from (errors and annotations point at it).</param>
/// <param name="ModelKey">The file's name without .json; `rlsc gate --model-key` selects it.</param>
/// <param name="Models">Model names (`model.name` in summaries) these thresholds apply to when no key is given.</param>
public sealed record ModelThresholds(
    string File,
    string ModelKey,
    IReadOnlyList<string> Models,
    IReadOnlyDictionary<string, SuiteThreshold> Suites);

/// <summary>
/// What one suite must reach. Accuracies are fractions in [0, 1].
/// </summary>
/// <param name="MinAccuracy">`min_accuracy`: the accuracy may not be lower (inclusive bound).</param>
/// <param name="MaxDrop">`max_drop`: golden − accuracy may not exceed it.</param>
/// <param name="Golden">`golden`: the accepted result the drop is measured from (`--golden` overrides it).</param>
/// <param name="Count">`count`: the number of questions a complete evaluation has; fewer is an incomplete report.</param>
/// <param name="Pending">`pending`: true while the numbers are not measured yet; only the suite's presence is checked.</param>
/// <param name="Line">The line of the suite's entry in the file.</param>
public sealed record SuiteThreshold(
    string Suite,
    double? MinAccuracy,
    double? MaxDrop,
    double? Golden,
    int? Count,
    bool Pending,
    int? Line);
