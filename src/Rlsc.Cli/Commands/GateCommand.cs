using System.CommandLine;
using Rlsc.Core;
using Rlsc.Core.Gate;
using Rlsc.Core.IO;

namespace Rlsc.Cli.Commands;

/// <summary>
/// `rlsc gate`: gates an evaluation summary against a model's thresholds and golden results. Prints the
/// per-suite table on stdout and one canonical line per failure on stderr; exits 1 when the gate fails.
/// </summary>
public static class GateCommand
{
    public static Command Create()
    {
        var summary = new Option<string?>("--summary") { Description = "The evaluation summary (summary.json, schema rlsc.eval.summary/v1) to gate. Required unless --explain." };
        var baseline = new Option<string?>("--baseline") { Description = "The base model's summary.json on the same problems (problems.jsonl beside it), for suites with not_worse_than_base or min_gain." };
        var explain = new Option<bool>("--explain") { Description = "Print what each suite gates, at which level, and the smallest drop detected with 80% power; then exit (0)." };
        var thresholds = new Option<string?>("--thresholds") { Description = "A thresholds file (rlsc.gate.thresholds/v1). Default: found by --model-key, else by the report's model name." };
        var modelKey = new Option<string?>("--model-key") { Description = "A thresholds key: eval-suites/thresholds/<key>.json (e.g. qwen2.5-math-7b-rlsc, embedded-default)." };
        var golden = new Option<string?>("--golden") { Description = "An accepted summary whose accuracies are the golden results (default: `golden` in the thresholds file)." };
        var suites = new Option<string?>("--suites") { Description = "Gate only these suites (comma-separated). Default: every suite of the thresholds." };
        var maxAge = new Option<string?>("--max-age") { Description = "Oldest report accepted: 24h (default), 90m, 2d, or none." };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "The checkpoint the report must be newer than. Default: the report's model.path when it exists here." };
        var runId = new Option<string?>("--run-id") { Description = "The run id the report must carry in `run_id` (e.g. this CI run's RLSC_RUN_ID)." };
        var markdown = new Option<string?>("--markdown") { Description = "Also write the table as Markdown to this file (for a CI job summary)." };
        var annotations = new Option<string>("--annotations")
        {
            Description = "Also print GitHub Actions annotations (::error file=...): auto (when GITHUB_ACTIONS=true), github, or none.",
            DefaultValueFactory = _ => "auto",
        };
        annotations.AcceptOnlyFromAmong("auto", "github", "none");

        var command = new Command("gate", "Check an evaluation summary against per-suite thresholds and golden results; exit 1 when any suite fails.")
        {
            summary, thresholds, modelKey, golden, baseline, suites, maxAge, checkpoint, runId, markdown, annotations, explain,
        };

        CommandAction.Set(command, parse =>
        {
            if (parse.GetValue(explain))
                return Explain(parse.GetValue(summary), parse.GetValue(thresholds), parse.GetValue(modelKey));
            if (parse.GetValue(summary) is not { } summaryFile)
                throw new RlscException(ErrorCodes.InvalidArgument, "--summary is required: the evaluation summary (summary.json) to gate.");
            if (parse.GetValue(markdown) is { } markdownOutput) Rlsc.Core.IO.OutputPath.RequireFile(markdownOutput, "--markdown");
            var options = new GateOptions
            {
                SummaryFile = summaryFile,
                BaselineFile = parse.GetValue(baseline),
                ThresholdsFile = parse.GetValue(thresholds),
                ModelKey = parse.GetValue(modelKey),
                GoldenFile = parse.GetValue(golden),
                Suites = parse.GetValue(suites) is { } list
                    ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    : null,
                Freshness = new FreshnessOptions
                {
                    MaxAge = parse.GetValue(maxAge) is { } age ? FreshnessOptions.ParseMaxAge(age, "--max-age") : FreshnessOptions.DefaultMaxAge,
                    Checkpoint = parse.GetValue(checkpoint),
                    ExpectedRunId = parse.GetValue(runId),
                },
            };
            bool github = parse.GetValue(annotations) switch
            {
                "github" => true,
                "none" => false,
                _ => Environment.GetEnvironmentVariable("GITHUB_ACTIONS") == "true",
            };

            GateResult result;
            try
            {
                result = GateRunner.Run(options);
            }
            catch (RlscException e) when (github)
            {
                Console.WriteLine(GitHubAnnotation(new GateFinding(e.Code, e.Message, e.File, e.Line)));
                throw;
            }

            Console.Write(GateTable.Text(result));
            if (parse.GetValue(markdown) is { } markdownFile)
                AtomicFile.WriteAllText(markdownFile, GateTable.Markdown(result));
            foreach (var finding in result.Findings)
            {
                Console.Error.WriteLine(finding.ToCanonicalString());
                if (github) Console.WriteLine(GitHubAnnotation(finding));
            }
            return result.Passed ? 0 : 1;
        });
        return command;
    }

    /// <summary>`--explain`: the thresholds (from --thresholds, --model-key, or the summary's model) and their power.</summary>
    static int Explain(string? summaryFile, string? thresholdsFile, string? modelKey)
    {
        if (summaryFile is null && thresholdsFile is null && modelKey is null)
            throw new RlscException(ErrorCodes.InvalidArgument, "--explain needs --model-key or --thresholds (and takes an optional --summary for measured standard errors).");
        GateReport? report = summaryFile is null ? null : EvaluationSummaryReader.Read(summaryFile);
        var options = new GateOptions { SummaryFile = summaryFile ?? "", ThresholdsFile = thresholdsFile, ModelKey = modelKey };
        ModelThresholds loaded = report is not null
            ? GateRunner.LoadThresholds(options, report)
            : thresholdsFile is not null
                ? ThresholdsLoader.Load(thresholdsFile)
                : ThresholdsCatalog.ForKey(ThresholdsCatalog.DefaultDirectory(), modelKey!);
        Console.Write(GateExplanation.Text(loaded, report));
        return 0;
    }

    /// <summary>A workflow command (`::error file=F,line=L,title=RLSC080::message`) that GitHub shows as an annotation.</summary>
    internal static string GitHubAnnotation(GateFinding finding)
    {
        var properties = new List<string>();
        if (finding.File is not null) properties.Add($"file={EscapeProperty(finding.File)}");
        if (finding.Line is int line) properties.Add($"line={line}");
        properties.Add($"title={finding.Code}");
        return $"::{(finding.IsWarning ? "warning" : "error")} {string.Join(",", properties)}::{EscapeData(finding.Message)}";
    }

    static string EscapeData(string s) => s.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");
    static string EscapeProperty(string s) => EscapeData(s).Replace(":", "%3A").Replace(",", "%2C");
}
