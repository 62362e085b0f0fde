using Rlsc.Core.Evaluation.Answers;
using Rlsc.Core.Evaluation.Expressions;
using Rlsc.Core.Evaluation.Grading;
using Rlsc.Core.Evaluation.Metrics;
using Rlsc.Core.Evaluation.Reports;
using Rlsc.Core.Evaluation.Runner;
using Rlsc.Core.Evaluation.Suites;

namespace Rlsc.Core.Gate;

/// <summary>
/// The fields of an evaluation summary (`summary.json`, schema rlsc.eval.summary/v1) that the gate reads.
/// Required: schema, model.name, settings, suites.&lt;name&gt;.{count, accuracy}. Read when present: created
/// (ISO 8601), run_id, model.path (the staleness rule); settings.temperature and per suite samples, avg_at_k,
/// maj_at_k, pass_at_k and their intervals (the gated metric).
/// </summary>
/// <param name="File">The summary file, as given.</param>
/// <param name="Created">When the evaluation wrote the report (`created`), or null when the report has none.</param>
/// <param name="RunId">The run that produced it (`run_id`, from RLSC_RUN_ID at evaluation time), or null.</param>
/// <param name="ModelPath">The local checkpoint folder it evaluated (`model.path`), or null.</param>
/// <param name="Temperature">`settings.temperature`: the decoding temperature of every suite, or null when unknown or mixed.</param>
public sealed record GateReport(
    string File,
    string Schema,
    string ModelName,
    string? ModelPath,
    DateTimeOffset? Created,
    string? RunId,
    IReadOnlyDictionary<string, SuiteResult> Suites,
    JsonLineMap Lines,
    double? Temperature = null);

/// <summary>
/// One suite of a report: how many questions were evaluated and its metrics as fractions in [0, 1]. Fields other
/// than count and accuracy are null when the summary does not carry them.
/// </summary>
public sealed record SuiteResult(string Name, int Count, double Accuracy)
{
    /// <summary>Samples per problem (k).</summary>
    public int? Samples { get; init; }
    public double? MajAtK { get; init; }
    public IReadOnlyDictionary<string, double>? PassAtK { get; init; }
    public MetricInterval? AccuracyCi { get; init; }
    public MetricInterval? MajAtKCi { get; init; }
    public IReadOnlyDictionary<string, MetricInterval>? PassAtKCi { get; init; }
    /// <summary>sha256 of the suite's data file: two reports of different data are not comparable.</summary>
    public string? DataSha256 { get; init; }
}
