using System.Text;
using Microsoft.Build.Framework;
using Rlsc.Core;
using Rlsc.Tasks.CommandLine;
using Rlsc.Tasks.GitHub;
using Rlsc.Tasks.Validation;

namespace Rlsc.Tasks;

/// <summary>
/// The quality gate: runs <c>rlsc gate</c> (docs/gate.md), which prints a table (suite, accuracy, threshold,
/// golden, delta, verdict) and fails when any suite is below its threshold, dropped more than allowed, is missing,
/// or the report is stale or corrupt. Each failure becomes a build error at the file and line rlsc names (and, on
/// GitHub Actions, an annotation, so rlsc's own annotations are switched off with <c>--annotations none</c>).
/// </summary>
public sealed class RlscGate : RlscToolTask
{
    /// <summary>The evaluation summary to gate (rlsc.eval.summary/v1). <c>--summary F</c>. Required; must exist.</summary>
    [Required]
    public ITaskItem Summary { get; set; } = null!;

    /// <summary>Thresholds file. <c>--thresholds F</c>. Default: found by ModelKey, else by the report's model name.</summary>
    public ITaskItem? Thresholds { get; set; }

    /// <summary>Thresholds key: eval-suites/thresholds/&lt;key&gt;.json. <c>--model-key K</c>.</summary>
    public string? ModelKey { get; set; }

    /// <summary>An accepted summary whose accuracies are the golden results. <c>--golden F</c>. Default: the thresholds' golden values.</summary>
    public ITaskItem? Golden { get; set; }

    /// <summary>
    /// The base model's summary on the same problems (problems.jsonl beside it), for the paired test of suites whose
    /// thresholds set not_worse_than_base or min_gain. <c>--baseline F</c>. Default: none (such suites then fail).
    /// </summary>
    public ITaskItem? Baseline { get; set; }

    /// <summary>Gate only these suites. <c>--suites a,b</c>. Default: every suite of the thresholds.</summary>
    public string[] Suites { get; set; } = Array.Empty<string>();

    /// <summary>Oldest report accepted: <c>24h</c>, <c>90m</c>, <c>2d</c>, <c>3600s</c> or <c>none</c>. <c>--max-age D</c>. Default: rlsc's (24h).</summary>
    public string? MaxAge { get; set; }

    /// <summary>The checkpoint the report must be newer than. <c>--checkpoint P</c>. Default: the report's model.path.</summary>
    public string? Checkpoint { get; set; }

    /// <summary>The run id the report must carry. <c>--run-id ID</c>. Default: not checked.</summary>
    public string? RunId { get; set; }

    /// <summary>Also write the table as Markdown. <c>--markdown F</c>. Default: none.</summary>
    public ITaskItem? MarkdownFile { get; set; }

    /// <summary>Append the Markdown table to the GitHub Actions job summary, pass or fail. No switch. Default true.</summary>
    public bool AppendToJobSummary { get; set; } = true;

    /// <summary>The table rlsc printed is logged at this importance. No switch. Default High: the verdict is the point.</summary>
    public string TableImportance { get; set; } = nameof(MessageImportance.High);

    /// <summary>The Markdown table written (when MarkdownFile is set), pass or fail.</summary>
    [Output]
    public ITaskItem? MarkdownReport { get; private set; }

    /// <inheritdoc />
    protected override MessageImportance StandardOutputLoggingImportance =>
        Enum.TryParse(TableImportance, ignoreCase: true, out MessageImportance importance) ? importance : MessageImportance.High;

    IEnumerable<string> SuiteNames => Suites.SelectMany(s => s.Split(',')).Select(s => s.Trim());

    private protected override void Validate(ParameterCheck check)
    {
        check.Required(nameof(Summary), Summary?.ItemSpec, "the evaluation's summary.json");
        check.FileExists(nameof(Summary), Summary, "an evaluation summary.json (run the RlscEvaluate target first)");
        check.FileExists(nameof(Thresholds), Thresholds, "a thresholds file (eval-suites/thresholds/*.json)");
        check.FileExists(nameof(Golden), Golden, "a golden summary.json");
        check.FileExists(nameof(Baseline), Baseline, "the base model's summary.json");
        check.Names(nameof(Suites), SuiteNames, "a suite name");
        if (MaxAge is { Length: > 0 } age && !System.Text.RegularExpressions.Regex.IsMatch(age, @"^(none|\d+(\.\d+)?[smhd])$"))
            check.Fail(ErrorCodes.InvalidParameter, $"MaxAge is '{age}'; expected a duration such as 90m, 24h, 2d, 3600s, or none.");
        check.OneOf(nameof(TableImportance), TableImportance, "Low", "Normal", "High");
    }

    private protected override void AppendArguments(RlscArguments arguments) => arguments
        .Add("gate")
        .Switch("--summary", Summary.GetMetadata("FullPath"))
        .Switch("--thresholds", FullPath(Thresholds))
        .Switch("--model-key", ModelKey)
        .Switch("--golden", FullPath(Golden))
        .Switch("--baseline", FullPath(Baseline))
        .Switch("--suites", string.Join(",", SuiteNames))
        .Switch("--max-age", MaxAge)
        .Switch("--checkpoint", string.IsNullOrEmpty(Checkpoint) ? null : Path.GetFullPath(Checkpoint))
        .Switch("--run-id", RunId)
        .Switch("--markdown", FullPath(MarkdownFile))
        // The task turns every failure into an annotation itself; rlsc's would duplicate them.
        .Switch("--annotations", "none");

    private protected override void AfterRun()
    {
        string? markdown = FullPath(MarkdownFile);
        if (markdown is null || !File.Exists(markdown) || File.GetLastWriteTimeUtc(markdown) < StartedUtc) return;
        MarkdownReport = Item(markdown);
        if (AppendToJobSummary && new GitHubActions(ReadEnvironment).AppendToStepSummary(File.ReadAllText(markdown, Encoding.UTF8)))
            Log.LogMessage(MessageImportance.Normal, "Appended {0} to the GitHub Actions job summary.", markdown);
    }

    static string? FullPath(ITaskItem? item) =>
        item is null || string.IsNullOrWhiteSpace(item.ItemSpec) ? null : item.GetMetadata("FullPath");
}
