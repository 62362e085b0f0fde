using System.Globalization;
using Rlsc.Core.Evaluation.Reports;
using Rlsc.Core.Evaluation.Suites;

namespace Rlsc.Core.Evaluation.Runner;

/// <summary>
/// `rlsc eval --reuse FOLDER`: whether the finished evaluation in FOLDER is exactly the one this evaluation would
/// compute, so that it can be copied instead of generated again (the pipeline's Evaluate stage reuses the fine-tune's
/// own eval/base-sampled/ and eval/rlsc-sampled/, so that the Gate path evaluates each model once). Fails closed:
/// it is reused only when every input its summary.json records matches this request (the model's name, folder and
/// revision, and no file of the model newer than that evaluation; the run id the gate checks; the suites, their data
/// and problems; k, temperature, top_p, top_k, max_new_tokens, the prompt template, limit, shard, seed, batch size,
/// device, dtype and TF32; the rlsc version that graded it). Anything missing, unreadable or different is a reason
/// not to, and the caller evaluates as usual.
/// </summary>
public static class ReusableEvaluation
{
    /// <param name="folder">The finished evaluation: summary.json, problems.jsonl and report.md.</param>
    /// <param name="options">This evaluation's options (validated here: a wrong request is an error, not a reason).</param>
    /// <param name="model">The model this evaluation would generate with, as it would record it.</param>
    /// <param name="placement">Where that model runs; null (a generator that cannot say) is never reused.</param>
    public static ReuseDecision Check(string folder, EvaluationOptions options, ModelInfo model, GenerationPlacement? placement,
        CancellationToken cancellation = default)
    {
        options.Validate();
        string summaryFile = Path.Combine(folder, EvaluationSummary.FileName);
        if (!File.Exists(summaryFile)) return ReuseDecision.No("it holds no finished evaluation (no summary.json)");
        foreach (string file in new[] { EvaluationOutput.ProblemsFile, EvaluationOutput.ReportFile })
            if (!File.Exists(Path.Combine(folder, file))) return ReuseDecision.No($"its {file} is missing");
        if (Directory.Exists(Path.Combine(options.OutputFolder, PartialResults.FolderName)))
            return ReuseDecision.No("the output folder holds an unfinished evaluation (partial/), which --resume continues or a new run refuses");
        if (placement is null) return ReuseDecision.No("this generator does not say on which device and dtype it runs");

        EvaluationSummary found;
        try
        {
            found = EvaluationSummary.Load(summaryFile);
        }
        catch (RlscException e)
        {
            return ReuseDecision.No($"its summary.json is unusable ({e.Code}: {e.Message})");
        }
        if (found.Settings.Mode != "generate") return ReuseDecision.No($"it graded predictions (mode {found.Settings.Mode}), it did not generate");
        var wanted = EvaluationRunner.GenerationSettings(options, placement);
        foreach (var (field, there, here) in Fields(found, wanted, model, options))
            if (!Equals(there, here))
                return ReuseDecision.No($"its {field} is {Show(there)}, this evaluation's would be {Show(here)}");

        var names = options.Suites.Select(s => s.Name).ToList();
        if (!found.Suites.Keys.SequenceEqual(names))
            return ReuseDecision.No($"it evaluated the suites {string.Join(", ", found.Suites.Keys)}, this evaluation {string.Join(", ", names)}");
        foreach (var manifest in options.Suites)
        {
            var suite = EvaluationSuite.Load(manifest, cancellation: cancellation);
            var recorded = found.Suites[suite.Name];
            if (recorded.DataSha256 != suite.DataSha256)
                return ReuseDecision.No($"its {suite.Name} data has sha256 {recorded.DataSha256}, the suite's now {suite.DataSha256}");
            var selection = options.SelectionFor(suite.Problems.Count);
            if (recorded.Selection != selection)
                return ReuseDecision.No($"it evaluated {suite.Name} problems {Range(recorded.Selection)}, this evaluation would evaluate {Range(selection)}");
        }
        return ModelChangedSince(model, found.Timing.Started) is { } changed ? ReuseDecision.No(changed) : ReuseDecision.Reuse(found);
    }

    /// <summary>Each recorded input with its value in the reused summary and in this request.</summary>
    static IEnumerable<(string Field, object? There, object? Here)> Fields(EvaluationSummary found, EvaluationSettings wanted, ModelInfo model, EvaluationOptions options)
    {
        var s = found.Settings;
        yield return ("rlsc_version", found.RlscVersion, EvaluationRunner.Version);
        yield return ("model.name", found.Model.Name, model.Name);
        yield return ("model.path", FolderOf(found.Model.Path), FolderOf(model.Path));
        yield return ("model.revision", found.Model.Revision, model.Revision);
        yield return ("run_id", found.RunId, options.RunId);
        yield return ("settings.samples", s.Samples, wanted.Samples);
        yield return ("settings.temperature", s.Temperature, wanted.Temperature);
        yield return ("settings.top_p", s.TopP, wanted.TopP);
        yield return ("settings.top_k", s.TopK, wanted.TopK);
        yield return ("settings.max_new_tokens", s.MaxNewTokens, wanted.MaxNewTokens);
        yield return ("settings.chat_template", s.ChatTemplate, wanted.ChatTemplate);
        yield return ("settings.limit", s.Limit, wanted.Limit);
        yield return ("settings.shard", s.Shard, wanted.Shard);
        yield return ("settings.seed", s.Seed, wanted.Seed);
        yield return ("settings.batch_size", s.BatchSize, wanted.BatchSize);
        yield return ("settings.device", s.Device, wanted.Device);
        yield return ("settings.dtype", s.Dtype, wanted.Dtype);
        yield return ("settings.tf32", s.Tf32, wanted.Tf32);
    }

    /// <summary>A recorded folder, absolute and without a trailing separator ("models/x/" and "models/x" are one model); a relative one never matches.</summary>
    static string? FolderOf(string? path) =>
        path is not null && Path.IsPathRooted(path) ? Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)) : path;

    /// <summary>
    /// The same folder may hold another checkpoint since (trained again into the same run folder): a model file
    /// written after the evaluation started means the evaluation may be of other weights.
    /// </summary>
    static string? ModelChangedSince(ModelInfo model, DateTimeOffset started)
    {
        if (model.Path is null || !Directory.Exists(model.Path)) return "the model is not a folder whose files can be checked against the evaluation's time";
        foreach (string file in Directory.EnumerateFiles(model.Path, "*", SearchOption.AllDirectories))
            if (File.GetLastWriteTimeUtc(file) > started.UtcDateTime)
                return $"the model's {Path.GetRelativePath(model.Path, file)} was written after that evaluation started ({started.UtcDateTime:u})";
        return null;
    }

    static string Range(SuiteSelection s) => $"{s.Start}-{s.End - 1} of {s.SuiteSize}";

    static string Show(object? value) => value switch
    {
        null => "none",
        bool flag => flag ? "true" : "false",
        string text => $"'{text}'",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "none",
    };
}
