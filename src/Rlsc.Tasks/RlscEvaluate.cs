using Microsoft.Build.Framework;
using Rlsc.Core;
using Rlsc.Core.Config;
using Rlsc.Tasks.CommandLine;
using Rlsc.Tasks.Validation;

namespace Rlsc.Tasks;

/// <summary>
/// Evaluates a model (or a file of predictions) on benchmark suites: runs <c>rlsc eval</c>, which writes
/// summary.json (schema rlsc.eval.summary/v1), problems.jsonl and report.md into OutputDirectory.
/// </summary>
public sealed class RlscEvaluate : RlscToolTask
{
    int? _samples, _maxNewTokens, _limit, _seed, _batchSize;
    double? _temperature;

    /// <summary>
    /// The model: a local checkpoint folder or a hub id, passed through as given. <c>--model M</c>.
    /// Exactly one of Model and Predictions.
    /// </summary>
    public string? Model { get; set; }

    /// <summary>
    /// The name recorded in summary.json and shown by the report and the gate. <c>--model-name N</c>; default: rlsc's
    /// (the folder name or hub id).
    /// </summary>
    public string? ModelName { get; set; }

    /// <summary>Grade these predictions (JSONL) instead of generating. <c>--predictions F</c>. Exactly one of Model and Predictions.</summary>
    public ITaskItem? Predictions { get; set; }

    /// <summary>
    /// Suite names (aime24, amc23, math500, minerva_math, olympiadbench, gsm8k …), one per item or
    /// comma-separated. <c>--suite a,b</c>. Required.
    /// </summary>
    [Required]
    public string[] Suites { get; set; } = Array.Empty<string>();

    /// <summary>The suite names, with comma-separated items split.</summary>
    IEnumerable<string> SuiteNames => Suites.SelectMany(s => s.Split(',')).Select(s => s.Trim());

    /// <summary>The folder for summary.json, problems.jsonl and report.md. <c>--output DIR</c>. Required.</summary>
    [Required]
    public ITaskItem OutputDirectory { get; set; } = null!;

    /// <summary>Completions per problem, k of avg@k (at least 1). <c>--samples k</c>. Default: rlsc's (1, greedy).</summary>
    public int Samples { get => _samples ?? 0; set => _samples = value; }

    /// <summary>Sampling temperature in [0, 10]. <c>--temperature T</c>. Default: rlsc's.</summary>
    public double Temperature { get => _temperature ?? 0; set => _temperature = value; }

    /// <summary>Most tokens generated per completion (at least 1). <c>--max-new-tokens N</c>. Default: rlsc's.</summary>
    public int MaxNewTokens { get => _maxNewTokens ?? 0; set => _maxNewTokens = value; }

    /// <summary>Evaluate only the first N problems of each suite (at least 1). <c>--limit N</c>. Default: all.</summary>
    public int Limit { get => _limit ?? 0; set => _limit = value; }

    /// <summary><c>auto</c> (CUDA when available), <c>cpu</c> or <c>cuda</c>. <c>--device D</c>. Default: rlsc's.</summary>
    public string? Device { get; set; }

    /// <summary>Random seed (0 or more). <c>--seed S</c>. Default: rlsc's.</summary>
    public int Seed { get => _seed ?? 0; set => _seed = value; }

    /// <summary>
    /// Problems generated per batch (at least 1). <c>--batch-size N</c>. Default: rlsc's (8). Sampled responses depend
    /// on it (a batch's sampler seed starts from its first problem), so an evaluation to reuse must have used the same.
    /// </summary>
    public int BatchSize { get => _batchSize ?? 0; set => _batchSize = value; }

    /// <summary>Continue an interrupted evaluation in OutputDirectory. <c>--resume</c>. Default false.</summary>
    public bool Resume { get; set; }

    /// <summary>
    /// A finished evaluation folder (the fine-tune's eval/base-sampled/, say) that rlsc copies into OutputDirectory
    /// instead of generating when it is exactly this evaluation, and otherwise says why not and evaluates.
    /// <c>--reuse DIR</c>. Need not exist (then rlsc evaluates). Generation only.
    /// </summary>
    public ITaskItem? Reuse { get; set; }

    /// <summary>OutputDirectory/summary.json.</summary>
    [Output]
    public ITaskItem? SummaryFile { get; private set; }

    /// <summary>OutputDirectory/problems.jsonl (one graded problem per line).</summary>
    [Output]
    public ITaskItem? ProblemsFile { get; private set; }

    /// <summary>OutputDirectory/report.md.</summary>
    [Output]
    public ITaskItem? ReportFile { get; private set; }

    private protected override void Validate(ParameterCheck check)
    {
        bool hasModel = !string.IsNullOrWhiteSpace(Model);
        bool hasPredictions = Predictions is not null && !string.IsNullOrWhiteSpace(Predictions.ItemSpec);
        if (hasModel == hasPredictions)
            check.Fail(ErrorCodes.InvalidParameter, hasModel
                ? $"both Model ('{Model}') and Predictions ('{Predictions!.ItemSpec}') are set; set only one: Model to generate and grade, Predictions to grade existing predictions."
                : "neither Model nor Predictions is set; set Model to a checkpoint folder or hub id, or Predictions to a JSONL file of predictions.");
        check.FileExists(nameof(Predictions), Predictions, "a JSONL file of predictions");
        if (Suites.Length == 0)
            check.Fail(ErrorCodes.InvalidParameter, "Suites is empty; set it to one or more suite names (for example math500;gsm8k).");
        check.Names(nameof(Suites), SuiteNames, "a suite name");
        check.Required(nameof(OutputDirectory), OutputDirectory?.ItemSpec, "the folder for the evaluation's summary and report");
        check.AtLeast(nameof(Samples), _samples, 1, "a number of completions per problem");
        check.InRange(nameof(Temperature), _temperature, 0, 10, "a sampling temperature");
        check.AtLeast(nameof(MaxNewTokens), _maxNewTokens, 1, "a number of tokens");
        check.AtLeast(nameof(Limit), _limit, 1, "a number of problems per suite");
        check.AtLeast(nameof(Seed), _seed, 0, "a seed");
        check.AtLeast(nameof(BatchSize), _batchSize, 1, "a number of problems per batch");
        // The values rlsc --device takes, from the one definition the CLI checks against too.
        check.OneOf(nameof(Device), Device, [.. DeviceName.Kinds]);
        if (hasPredictions && (_samples is not null || _temperature is not null || _maxNewTokens is not null || _batchSize is not null))
            check.Fail(ErrorCodes.InvalidParameter, "Samples, Temperature, MaxNewTokens and BatchSize apply to generation; leave them empty when grading Predictions.");
        if (hasPredictions && !string.IsNullOrWhiteSpace(Reuse?.ItemSpec))
            check.Fail(ErrorCodes.InvalidParameter, $"Reuse ('{Reuse!.ItemSpec}') applies to generation; leave it empty when grading Predictions.");
    }

    private protected override void AppendArguments(RlscArguments arguments) => arguments
        .Add("eval")
        .Switch("--model", Model)
        .Switch("--model-name", ModelName)
        .Switch("--predictions", Predictions?.GetMetadata("FullPath"))
        .Switch("--suite", string.Join(",", SuiteNames))
        .Switch("--output", OutputDirectory.GetMetadata("FullPath"))
        .Switch("--samples", _samples)
        .Switch("--temperature", _temperature)
        .Switch("--max-new-tokens", _maxNewTokens)
        .Switch("--limit", _limit)
        .Switch("--device", Device?.ToLowerInvariant())
        .Switch("--seed", _seed)
        .Switch("--batch-size", _batchSize)
        .Flag("--resume", Resume)
        .Switch("--reuse", string.IsNullOrWhiteSpace(Reuse?.ItemSpec) ? null : Reuse.GetMetadata("FullPath"));

    private protected override bool CollectOutputs()
    {
        string folder = OutputDirectory.GetMetadata("FullPath");
        string summary = Path.Combine(folder, "summary.json");
        if (!File.Exists(summary))
        {
            LogTaskError(ErrorCodes.OutputMissing,
                $"rlsc eval succeeded but '{summary}' does not exist; the rlsc tool and Rlsc.Tasks may be of different versions (check with 'rlsc --version').");
            return false;
        }
        SummaryFile = Item(summary);
        ProblemsFile = Item(Path.Combine(folder, "problems.jsonl"));
        ReportFile = Item(Path.Combine(folder, "report.md"));
        return true;
    }
}
