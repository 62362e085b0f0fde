using Rlsc.Core.Evaluation.Metrics;
using System.Text.Json;
using Rlsc.Core.IO;

namespace Rlsc.Core.Evaluation.Reports;

/// <summary>
/// summary.json, schema <see cref="SchemaV1"/>: the interface between evaluation, the quality gate, the merge
/// command and the reports (fields documented in docs/evaluation.md). New optional fields may be added within v1;
/// renaming or removing one needs v2.
/// </summary>
public sealed record EvaluationSummary
{
    public const string SchemaV1 = "rlsc.eval.summary/v1";
    public const string FileName = "summary.json";

    public string Schema { get; init; } = SchemaV1;
    /// <summary>Version of rlsc that wrote the file.</summary>
    public required string RlscVersion { get; init; }
    /// <summary>When the evaluation finished, ISO 8601 UTC.</summary>
    public required DateTimeOffset Created { get; init; }
    /// <summary>The CI run that produced it (--run-id, else RLSC_RUN_ID), for the gate's staleness rule; null outside CI.</summary>
    public string? RunId { get; init; }
    public required ModelInfo Model { get; init; }
    public required EvaluationSettings Settings { get; init; }
    /// <summary>Per suite, keyed by suite name, in evaluation order.</summary>
    public required IReadOnlyDictionary<string, SuiteSummary> Suites { get; init; }
    /// <summary>Unweighted means over the suites.</summary>
    public required MacroSummary Macro { get; init; }
    public required TimingInfo Timing { get; init; }

    /// <summary>
    /// Reads and validates a summary; fails closed (RLSC035) on a missing or unreadable file, invalid JSON, another
    /// schema version, or a field out of range, naming the file (and line where JSON says one).
    /// </summary>
    public static EvaluationSummary Load(string path)
    {
        if (Directory.Exists(path)) path = Path.Combine(path, FileName);
        byte[] bytes = InputFile.ReadAllBytes(path, ErrorCodes.SummaryInvalid, "the evaluation summary", "run `rlsc eval` first, or name its summary.json.");
        // Decoded as File.ReadAllText would: UTF-8, a byte-order mark honoured and dropped.
        using var reader = new StreamReader(new MemoryStream(bytes), detectEncodingFromByteOrderMarks: true);
        return Parse(reader.ReadToEnd(), path);
    }

    public static EvaluationSummary Parse(string json, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new RlscException(ErrorCodes.SummaryInvalid, $"not valid JSON ({e.Message}); a half-written file is never a report: re-run the evaluation.",
                path, e.LineNumber is long l ? (int)l + 1 : null, e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.String)
                throw new RlscException(ErrorCodes.SummaryInvalid, $"no `schema` field: not an evaluation summary (expected \"{SchemaV1}\").", path, 1);
            if (schema.GetString() != SchemaV1)
                throw new RlscException(ErrorCodes.SummaryInvalid,
                    $"schema is \"{schema.GetString()}\", this rlsc reads \"{SchemaV1}\": use the rlsc version that wrote it, or re-run the evaluation.", path);
        }
        EvaluationSummary? summary;
        try
        {
            summary = JsonSerializer.Deserialize<EvaluationSummary>(json, RlscJson.Output);
        }
        catch (JsonException e)
        {
            throw new RlscException(ErrorCodes.SummaryInvalid, $"a field has the wrong type or is missing: {e.Message}",
                path, e.LineNumber is long l ? (int)l + 1 : null, e);
        }
        if (summary is null) throw new RlscException(ErrorCodes.SummaryInvalid, "the summary is null.", path);
        summary.Validate(path);
        return summary;
    }

    void Validate(string path)
    {
        RlscException Bad(string message) => new(ErrorCodes.SummaryInvalid, message, path);
        if (string.IsNullOrWhiteSpace(Model?.Name)) throw Bad("`model.name` is missing or empty.");
        if (Settings is null) throw Bad("`settings` is missing.");
        if (Suites is null || Suites.Count == 0) throw Bad("`suites` is empty: the evaluation produced no results.");
        foreach (var (name, suite) in Suites)
        {
            if (suite is null) throw Bad($"`suites.{name}` is null.");
            if (suite.Count < 1) throw Bad($"`suites.{name}.count` is {suite.Count}; expected the number of problems (1 or more).");
            foreach (var (field, value) in new[] { ("accuracy", suite.Accuracy), ("avg_at_k", suite.AvgAtK), ("maj_at_k", suite.MajAtK),
                         ("extraction_failure_rate", suite.ExtractionFailureRate), ("mean_agreement", suite.MeanAgreement) })
                if (!(value >= 0 && value <= 1)) throw Bad($"`suites.{name}.{field}` is {value}; expected a fraction in [0, 1].");
        }
    }

    /// <summary>Writes the summary atomically (temporary file, then rename).</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, RlscJson.Output) + "\n");
}

/// <summary>The model evaluated: a display name, the folder it was loaded from, and the hub revision when known.</summary>
public sealed record ModelInfo(string Name, string? Path, string? Revision)
{
    /// <summary>
    /// The name the pipeline gives a model reference: a local folder by its last segment ("models/arith-base" is
    /// "arith-base"), a hub id as written. The thresholds files' `models` lists bind these names (docs/gate.md);
    /// the targets' Evaluate stage names models by the same rule.
    /// </summary>
    public static string NameOf(string model) =>
        Directory.Exists(model) ? System.IO.Path.GetFileName(System.IO.Path.GetFullPath(model).TrimEnd(System.IO.Path.DirectorySeparatorChar)) : model;

    /// <summary>The name of a model fine-tuned from <paramref name="baseName"/>: "arith-base+rlsc".</summary>
    public static string FineTunedName(string baseName) => baseName + "+rlsc";
}

/// <summary>How the responses were produced. Decoding fields are null in predictions mode unless given.</summary>
public sealed record EvaluationSettings
{
    /// <summary>"generate" (rlsc eval --model) or "predictions" (rlsc eval --predictions).</summary>
    public required string Mode { get; init; }
    /// <summary>Samples per problem (k).</summary>
    public required int Samples { get; init; }
    public double? Temperature { get; init; }
    public double? TopP { get; init; }
    public int? TopK { get; init; }
    public int? MaxNewTokens { get; init; }
    public long? Seed { get; init; }
    public string? ChatTemplate { get; init; }
    /// <summary>Only the first N problems of each suite (--limit), else null.</summary>
    public int? Limit { get; init; }
    /// <summary>"i/n" when this output is one shard (--shard), else null; merged outputs have null.</summary>
    public string? Shard { get; init; }
    /// <summary>Problems generated per batch (generating mode): a batch's sampler seed starts from its first problem, so sampled responses depend on it.</summary>
    public int? BatchSize { get; init; }
    /// <summary>The device the model generated on, "cpu" or "cuda:N" (generating mode; null in files written before it was recorded).</summary>
    public string? Device { get; init; }
    /// <summary>The weights' dtype (generating mode).</summary>
    public string? Dtype { get; init; }
    /// <summary>On CUDA, whether float32 matmuls ran in TF32; null on the CPU.</summary>
    public bool? Tf32 { get; init; }
}

/// <summary>One suite's metrics. Fractions are in [0, 1].</summary>
public sealed record SuiteSummary
{
    /// <summary>Problems evaluated.</summary>
    public required int Count { get; init; }
    /// <summary>Samples per problem (k).</summary>
    public required int Samples { get; init; }
    /// <summary>The gate's number: greedy accuracy for k = 1, else avg@k.</summary>
    public required double Accuracy { get; init; }
    /// <summary>Mean over problems of the share of correct samples.</summary>
    public required double AvgAtK { get; init; }
    /// <summary>Share of problems whose majority answer is correct.</summary>
    public required double MajAtK { get; init; }
    /// <summary>Unbiased pass@k (Chen et al.) for k = 1, 2, 4, ... and k = samples; keys are k as text.</summary>
    public required IReadOnlyDictionary<string, double> PassAtK { get; init; }
    /// <summary>Share of samples from which no answer could be extracted.</summary>
    public required double ExtractionFailureRate { get; init; }
    public required double MeanResponseLength { get; init; }
    /// <summary>"tokens" or "chars".</summary>
    public required string ResponseLengthUnit { get; init; }
    /// <summary>Mean over problems of the share of samples agreeing with the majority answer.</summary>
    public required double MeanAgreement { get; init; }
    public required string DataSha256 { get; init; }
    /// <summary>Wall-clock seconds spent on the suite (summed over shards when merged).</summary>
    public required double Seconds { get; init; }
    /// <summary>Which problems of the suite file were evaluated.</summary>
    public required SuiteSelection Selection { get; init; }
    /// <summary>Standard error (clustered by problem) and 95% interval of <see cref="Accuracy"/> (= avg@k); null in files written before intervals existed.</summary>
    public MetricInterval? AccuracyCi { get; init; }
    /// <summary>The same for <see cref="MajAtK"/>.</summary>
    public MetricInterval? MajAtKCi { get; init; }
    /// <summary>The same for each pass@k, keyed like <see cref="PassAtK"/>.</summary>
    public IReadOnlyDictionary<string, MetricInterval>? PassAtKCi { get; init; }
}

/// <summary>The problems evaluated: all of <see cref="SuiteSize"/>, the first <see cref="Limit"/>, or a shard's index range.</summary>
public sealed record SuiteSelection
{
    /// <summary>Problems in the suite file.</summary>
    public required int SuiteSize { get; init; }
    public int? Limit { get; init; }
    public string? Shard { get; init; }
    /// <summary>First index evaluated (inclusive).</summary>
    public required int Start { get; init; }
    /// <summary>Index after the last one evaluated (exclusive).</summary>
    public required int End { get; init; }
}

/// <summary>Unweighted means of the suites' metrics; pass@k for the k every suite has.</summary>
public sealed record MacroSummary
{
    public required int Suites { get; init; }
    public required double Accuracy { get; init; }
    public required double AvgAtK { get; init; }
    public required double MajAtK { get; init; }
    public required IReadOnlyDictionary<string, double> PassAtK { get; init; }
    public required double ExtractionFailureRate { get; init; }
    /// <summary>Null when the suites' lengths are in different units.</summary>
    public double? MeanResponseLength { get; init; }
    public string? ResponseLengthUnit { get; init; }
    public required double MeanAgreement { get; init; }
}

public sealed record TimingInfo(DateTimeOffset Started, DateTimeOffset Finished, double Seconds);
