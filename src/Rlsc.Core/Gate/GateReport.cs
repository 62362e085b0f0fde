namespace Rlsc.Core.Gate;

/// <summary>
/// The fields of an evaluation summary (`summary.json`, schema rlsc.eval.summary/v1) that the gate reads.
/// Required: schema, model.name, settings, suites.&lt;name&gt;.{count, accuracy}. Read when present, for the
/// staleness rule: created (ISO 8601), run_id, model.path.
/// </summary>
/// <param name="File">The summary file, as given.</param>
/// <param name="Created">When the evaluation wrote the report (`created`), or null when the report has none.</param>
/// <param name="RunId">The run that produced it (`run_id`, from RLSC_RUN_ID at evaluation time), or null.</param>
/// <param name="ModelPath">The local checkpoint folder it evaluated (`model.path`), or null.</param>
public sealed record GateReport(
    string File,
    string Schema,
    string ModelName,
    string? ModelPath,
    DateTimeOffset? Created,
    string? RunId,
    IReadOnlyDictionary<string, SuiteResult> Suites,
    JsonLineMap Lines);

/// <summary>One suite of a report: how many questions were evaluated and the accuracy as a fraction in [0, 1].</summary>
public sealed record SuiteResult(string Name, int Count, double Accuracy);
