using System.Text;
using Microsoft.Build.Framework;
using Rlsc.Core;
using Rlsc.Tasks.CommandLine;
using Rlsc.Tasks.GitHub;
using Rlsc.Tasks.Validation;

namespace Rlsc.Tasks;

/// <summary>
/// The before/after report: runs <c>rlsc report compare A B --output F.md</c> (the before/after table of
/// <c>rlsc finetune</c> for two evaluation summaries of one kind). On GitHub Actions the report is also appended to
/// the job summary.
/// </summary>
public sealed class RlscCompareReports : RlscToolTask
{
    /// <summary>The "before" summary.json (usually the base model's). First argument. Required; must exist.</summary>
    [Required]
    public ITaskItem Baseline { get; set; } = null!;

    /// <summary>The "after" summary.json (usually the fine-tuned model's). Second argument. Required; must exist.</summary>
    [Required]
    public ITaskItem Candidate { get; set; } = null!;

    /// <summary>The Markdown report to write. <c>--output F.md</c>. Required.</summary>
    [Required]
    public ITaskItem OutputFile { get; set; } = null!;

    /// <summary>
    /// Append the report to the GitHub Actions job summary ($GITHUB_STEP_SUMMARY) when running there. No switch.
    /// Default true.
    /// </summary>
    public bool AppendToJobSummary { get; set; } = true;

    /// <summary>The report written.</summary>
    [Output]
    public ITaskItem? ReportFile { get; private set; }

    private protected override void Validate(ParameterCheck check)
    {
        check.Required(nameof(Baseline), Baseline?.ItemSpec, "the summary.json of the model before fine-tuning");
        check.FileExists(nameof(Baseline), Baseline, "an evaluation summary.json");
        check.Required(nameof(Candidate), Candidate?.ItemSpec, "the summary.json of the model after fine-tuning");
        check.FileExists(nameof(Candidate), Candidate, "an evaluation summary.json");
        check.Required(nameof(OutputFile), OutputFile?.ItemSpec, "the Markdown file to write");
    }

    private protected override void AppendArguments(RlscArguments arguments) => arguments
        .Add("report", "compare")
        .Add(Baseline.GetMetadata("FullPath"), Candidate.GetMetadata("FullPath"))
        .Switch("--output", OutputFile.GetMetadata("FullPath"));

    private protected override bool CollectOutputs()
    {
        string report = OutputFile.GetMetadata("FullPath");
        if (!File.Exists(report))
        {
            LogTaskError(ErrorCodes.OutputMissing,
                $"rlsc report compare succeeded but '{report}' does not exist; the rlsc tool and Rlsc.Tasks may be of different versions.");
            return false;
        }
        ReportFile = Item(report);
        if (AppendToJobSummary && new GitHubActions(ReadEnvironment).AppendToStepSummary(File.ReadAllText(report, Encoding.UTF8)))
            Log.LogMessage(MessageImportance.Normal, "Appended {0} to the GitHub Actions job summary.", report);
        return true;
    }
}
