using Rlsc.Core.Evaluation.Reports;
using Rlsc.Core.Evaluation.Suites;

namespace Rlsc.Core.Evaluation.Runner;

/// <summary>
/// One evaluation run (`rlsc eval`). Decoding fields left null take each suite's manifest value (Qwen2.5-Math's:
/// greedy, 2048 new tokens). Validated by <see cref="Validate"/>.
/// </summary>
public sealed record EvaluationOptions
{
    public required IReadOnlyList<SuiteManifest> Suites { get; init; }
    public required string OutputFolder { get; init; }
    /// <summary>Samples per problem, k (default 1).</summary>
    public int Samples { get; init; } = 1;
    /// <summary>Sampling temperature; 0 = greedy. Default: the manifest's (0). k &gt; 1 needs a positive temperature.</summary>
    public double? Temperature { get; init; }
    public double? TopP { get; init; }
    public int? TopK { get; init; }
    public int? MaxNewTokens { get; init; }
    /// <summary>Seed of the sampler (default 0), recorded in the summary.</summary>
    public long Seed { get; init; }
    /// <summary>Only the first N problems of each suite (a quick check), else all.</summary>
    public int? Limit { get; init; }
    /// <summary>Only this shard's index range of each suite (several machines), else all.</summary>
    public ShardSpec? Shard { get; init; }
    /// <summary>Overrides the manifests' prompt_template.</summary>
    public string? ChatTemplate { get; init; }
    /// <summary>Written into summary.json's run_id for the gate (default: RLSC_RUN_ID).</summary>
    public string? RunId { get; init; } = Environment.GetEnvironmentVariable("RLSC_RUN_ID") is { Length: > 0 } id ? id : null;
    /// <summary>Problems generated per batch in generating mode (default 8); progress is saved after each batch.</summary>
    public int BatchSize { get; init; } = 8;
    /// <summary>Continue an interrupted generating run in the same output folder.</summary>
    public bool Resume { get; init; }

    public void Validate()
    {
        RlscException Bad(string message) => new(ErrorCodes.InvalidArgument, message);
        if (Suites.Count == 0) throw Bad("no suite to evaluate: pass --suite.");
        if (Samples is < 1 or > 4096) throw Bad($"--samples is {Samples}; expected 1 to 4096.");
        if (Temperature is < 0 or > 10) throw Bad($"--temperature is {Temperature}; expected 0 (greedy) to 10.");
        if (TopP is { } p && !(p > 0 && p <= 1)) throw Bad($"--top-p is {p}; expected a value in (0, 1].");
        if (TopK is < 0) throw Bad($"--top-k is {TopK}; expected 0 (off) or more.");
        if (MaxNewTokens is < 1) throw Bad($"--max-new-tokens is {MaxNewTokens}; expected 1 or more.");
        if (Limit is < 1) throw Bad($"--limit is {Limit}; expected 1 or more.");
        if (BatchSize < 1) throw Bad($"--batch-size is {BatchSize}; expected 1 or more.");
        if (string.IsNullOrWhiteSpace(OutputFolder)) throw Bad("--output is empty; name the folder for summary.json, problems.jsonl and report.md.");
    }

    /// <summary>The decoding of one suite: these options over the manifest's.</summary>
    public DecodingSettings DecodingFor(SuiteManifest suite) => suite.Decoding with
    {
        Temperature = Temperature ?? suite.Decoding.Temperature,
        TopP = TopP ?? suite.Decoding.TopP,
        TopK = TopK ?? suite.Decoding.TopK,
        MaxNewTokens = MaxNewTokens ?? suite.Decoding.MaxNewTokens,
    };

    public string TemplateFor(SuiteManifest suite) => ChatTemplate ?? suite.PromptTemplate;

    /// <summary>The problems of a loaded suite this run evaluates: --limit first, then --shard's range.</summary>
    public SuiteSelection SelectionFor(int suiteSize)
    {
        int available = Limit is { } l ? Math.Min(l, suiteSize) : suiteSize;
        var (start, end) = Shard?.Range(available) ?? (0, available);
        return new SuiteSelection { SuiteSize = suiteSize, Limit = Limit, Shard = Shard?.ToString(), Start = start, End = end };
    }
}
