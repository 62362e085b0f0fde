using Microsoft.Build.Framework;
using Rlsc.Tasks.CommandLine;
using Rlsc.Tasks.Validation;

namespace Rlsc.Tasks;

/// <summary>
/// The quality gate: runs <c>rlsc gate</c>, which prints a table (suite, accuracy, threshold, golden, delta,
/// verdict) and fails when any suite is below its threshold or dropped more than allowed. Each failure becomes a
/// build error at the file and line rlsc names (and, on GitHub Actions, an annotation).
/// </summary>
public sealed class RlscGate : RlscToolTask
{
    /// <summary>The evaluation summary to gate (rlsc.eval.summary/v1). <c>--summary F</c>. Required; must exist.</summary>
    [Required]
    public ITaskItem Summary { get; set; } = null!;

    /// <summary>Thresholds file. <c>--thresholds F</c>. Default: rlsc's (eval-suites/).</summary>
    public ITaskItem? Thresholds { get; set; }

    /// <summary>Golden results to compare with. <c>--golden F</c>. Default: rlsc's.</summary>
    public ITaskItem? Golden { get; set; }

    /// <summary>The table rlsc printed is logged at this importance. No switch. Default High: the verdict is the point.</summary>
    public string TableImportance { get; set; } = nameof(MessageImportance.High);

    /// <inheritdoc />
    protected override MessageImportance StandardOutputLoggingImportance =>
        Enum.TryParse(TableImportance, ignoreCase: true, out MessageImportance importance) ? importance : MessageImportance.High;

    private protected override void Validate(ParameterCheck check)
    {
        check.Required(nameof(Summary), Summary?.ItemSpec, "the evaluation's summary.json");
        check.FileExists(nameof(Summary), Summary, "an evaluation summary.json (run the RlscEvaluate target first)");
        check.FileExists(nameof(Thresholds), Thresholds, "a thresholds file");
        check.FileExists(nameof(Golden), Golden, "a golden results file");
        check.OneOf(nameof(TableImportance), TableImportance, "Low", "Normal", "High");
    }

    private protected override void AppendArguments(RlscArguments arguments) => arguments
        .Add("gate")
        .Switch("--summary", Summary.GetMetadata("FullPath"))
        .Switch("--thresholds", NonEmpty(Thresholds))
        .Switch("--golden", NonEmpty(Golden));

    static string? NonEmpty(ITaskItem? item) =>
        item is null || string.IsNullOrWhiteSpace(item.ItemSpec) ? null : item.GetMetadata("FullPath");
}
