using Rlsc.Core.Evaluation.Comparison;
using Rlsc.Core;
using System.Globalization;
using System.Text.Json;
using Rlsc.Core.Evaluation.Answers;
using Rlsc.Core.Evaluation.Expressions;
using Rlsc.Core.Evaluation.Grading;
using Rlsc.Core.Evaluation.Metrics;
using Rlsc.Core.Evaluation.Reports;
using Rlsc.Core.Evaluation.Runner;
using Rlsc.Core.Evaluation.Suites;
using Rlsc.Runtime.Evaluation;
using Rlsc.Core.IO;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Model.Modules;
using Rlsc.Core.Config;
using Rlsc.Runtime.Training.Loop;
using Rlsc.Runtime.Training.Policy;
using Rlsc.Runtime.Training.Rlsc;
using Rlsc.Runtime.Training.Sft;

namespace Rlsc.Runtime.Demo.Compare;

/// <summary>
/// `rlsc compare-objectives`: each label-free objective fine-tunes the same base model on the same questions with the
/// same steps, samples and seeds, and gets the same before/after evaluation (<see cref="BeforeAfterEvaluation"/>).
/// First each objective's learning rate is tuned over one grid on the training questions (scored with their
/// regenerated answers, never the test split); then every objective runs at every seed, seed-major (all objectives at
/// the first seed, then the next), so a comparison cut short is still balanced. A finished run (its
/// before-after.json) is reused when the command runs again, and the table and plot are rewritten after every run.
/// </summary>
public static class ObjectiveComparison
{
    public static ComparisonReport Run(ObjectiveComparisonOptions options, TextWriter log,
        Func<IProgress<TrainingProgress>>? trainingProgress = null, IProgress<EvaluationProgress>? evaluationProgress = null,
        CancellationToken cancellation = default)
    {
        var baseConfig = options.BaseConfig;
        if (baseConfig.Evaluation.Suites.Count == 0)
            throw new RlscException(ErrorCodes.InvalidArgument, "the configuration has no evaluation section (evaluation.suites); the comparison needs one.");
        RunConfigValidator.Validate(baseConfig);
        Directory.CreateDirectory(options.Output);

        var rates = new Dictionary<LabelFreeObjectiveKind, double>();
        var tuning = new List<TuningResult>();
        foreach (var objective in options.Objectives)
        {
            if (options.FixedLearningRates.TryGetValue(objective, out double fixedRate)) { rates[objective] = fixedRate; continue; }
            var results = Tune(options, objective, log, trainingProgress, evaluationProgress, cancellation);
            tuning.AddRange(results);
            // The best score on the training questions; the smaller rate on a tie (the gentler change).
            rates[objective] = results.OrderByDescending(r => r.Accuracy).ThenBy(r => r.LearningRate).First().LearningRate;
            log.WriteLine($"[tune] {Name(objective)}: learning rate {Format(rates[objective])}");
        }

        var runs = new List<ComparisonRun>();
        IReadOnlyDictionary<string, VariantScores>? baseScores = null;
        ComparisonReport report = null!;
        foreach (long seed in options.Seeds)
            foreach (var objective in options.Objectives)
            {
                cancellation.ThrowIfCancellationRequested();
                var config = Configure(baseConfig, objective, rates[objective], seed,
                    Path.Combine(options.Output, "runs", Name(objective), $"seed-{seed}"), baseConfig.Training.Steps);
                config.Training.ReportTo = [TensorBoardLog.Target];
                var before = Completed(config) ?? Train(config, log, trainingProgress, evaluationProgress, baseScores, cancellation);
                baseScores ??= before.Variants.Where(v => v.Key.StartsWith("base-", StringComparison.Ordinal)).ToDictionary();
                runs.Add(new ComparisonRun(Name(objective), seed, rates[objective], before));
                report = ComparisonReport.From(options, baseConfig, runs, tuning);
                report.Save(options.Output);
                log.WriteLine($"[compare] {Name(objective)} seed {seed}: sampled {before.Variants["rlsc-sampled"].Accuracy:P1}, greedy {before.Variants["rlsc-greedy"].Accuracy:P1}");
            }
        return report;
    }

    static List<TuningResult> Tune(ObjectiveComparisonOptions options, LabelFreeObjectiveKind objective, TextWriter log,
        Func<IProgress<TrainingProgress>>? trainingProgress, IProgress<EvaluationProgress>? evaluationProgress, CancellationToken cancellation)
    {
        var baseConfig = options.BaseConfig;
        string suite = options.TuneSuite ?? TrainingQuestionAnswers.WriteSuite(baseConfig.Data.File
            ?? throw new RlscException(ErrorCodes.InvalidArgument, "tuning regenerates the answers of data.file's arith questions; set data.file or pass --tune-suite."),
            Path.Combine(options.Output, "tune"));
        var results = new List<TuningResult>();
        foreach (double rate in options.LearningRateGrid)
        {
            string folder = Path.Combine(options.Output, "tune", Name(objective), "lr-" + Format(rate));
            string resultFile = Path.Combine(folder, "tuning.json");
            if (File.Exists(resultFile))
            {
                results.Add(JsonSerializer.Deserialize<TuningResult>(File.ReadAllText(resultFile), RlscJson.EscapedOutput)!);
                continue;
            }
            var config = Configure(baseConfig, objective, rate, options.Seeds[0], folder, options.TuneSteps ?? baseConfig.Training.Steps);
            config.Evaluation.Suites = [];
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);   // an attempt that did not finish
            log.WriteLine($"[tune] {Name(objective)} at learning rate {Format(rate)}: {config.Training.Steps} steps");
            RlscTrainer.Run(config, new TrainingRunOptions { Progress = trainingProgress?.Invoke() }, cancellation);

            // Sampled accuracy (mean of k at the training temperature) on the first N training questions: the headline metric.
            var e = baseConfig.Evaluation;
            var placement = ModelPlacement.Resolve(config);
            string model = Path.Combine(folder, "checkpoints", CheckpointStore.FinalName);
            using var generator = ModelResponseGenerator.Load(model, new ModelLoadOptions(placement.Device, placement.DType), new ModelInfo("tuned", model, null));
            var summary = EvaluationRunner.RunGeneration(new EvaluationOptions
            {
                Suites = [SuiteCatalog.Find(suite)],
                OutputFolder = Path.Combine(folder, "eval-train"),
                Samples = e.Samples,
                Temperature = baseConfig.Sampling.Temperature,
                MaxNewTokens = e.MaxNewTokens,
                Seed = e.Seed,
                Limit = options.TuneQuestions,
                BatchSize = e.BatchSize,
            }, generator, evaluationProgress, cancellation);
            var result = new TuningResult(Name(objective), rate, config.Training.Steps, options.TuneQuestions, summary.Macro.Accuracy);
            AtomicFile.WriteAllText(resultFile, JsonSerializer.Serialize(result, RlscJson.EscapedOutput));
            log.WriteLine($"[tune] {Name(objective)} at {Format(rate)}: sampled accuracy on training questions {result.Accuracy:P1}");
            results.Add(result);
        }
        return results;
    }

    static BeforeAfterReport Train(FineTuneConfig config, TextWriter log, Func<IProgress<TrainingProgress>>? trainingProgress,
        IProgress<EvaluationProgress>? evaluationProgress, IReadOnlyDictionary<string, VariantScores>? baseScores, CancellationToken cancellation)
    {
        log.WriteLine($"[compare] {Name(config.Loss.Objective)} seed {config.Seed} at learning rate {Format(config.Optimizer.LearningRate)}: {config.Training.Steps} steps");
        // A fresh run: a folder left by an interrupted attempt is started over, not resumed with other settings.
        if (Directory.Exists(config.Output)) Directory.Delete(config.Output, recursive: true);
        RlscTrainer.Run(config, new TrainingRunOptions { Progress = trainingProgress?.Invoke() }, cancellation);
        string finetuned = Path.Combine(config.Output, "checkpoints", CheckpointStore.FinalName);
        return BeforeAfterEvaluation.Run(config, config.Output, finetuned, evaluationProgress, log, cancellation, baseScores);
    }

    /// <summary>The report of a run that already finished with exactly this configuration, else null.</summary>
    static BeforeAfterReport? Completed(FineTuneConfig config)
    {
        string saved = Path.Combine(config.Output, RunFolder.ConfigFileName);
        if (!File.Exists(Path.Combine(config.Output, BeforeAfterReport.JsonFile)) || !File.Exists(saved)) return null;
        return File.ReadAllText(saved) == RunConfigJson.ToJson(config) ? BeforeAfterReport.Load(config.Output) : null;
    }

    /// <summary>A copy of the base configuration with the objective, learning rate, seed, output and steps set.</summary>
    static FineTuneConfig Configure(FineTuneConfig baseConfig, LabelFreeObjectiveKind objective, double rate, long seed, string output, int steps)
    {
        var config = JsonSerializer.Deserialize<FineTuneConfig>(RunConfigJson.ToJson(baseConfig), RlscJson.Edited)!;
        config.Loss.Objective = objective;
        config.Optimizer.LearningRate = rate;
        config.Seed = seed;
        config.Output = output;
        config.Training.Steps = steps;
        config.Training.CheckpointEvery = 0;
        return config;
    }

    public static string Name(LabelFreeObjectiveKind objective) => SnakeCaseEnumConverter<LabelFreeObjectiveKind>.NameOf(objective);

    static string Format(double rate) => rate.ToString("0.###e+0", CultureInfo.InvariantCulture);
}

/// <summary>One tuning run: an objective at one learning rate, scored on the training questions.</summary>
public sealed record TuningResult(string Objective, double LearningRate, int Steps, int Questions, double Accuracy);

/// <summary>One comparison run: an objective at one seed, with its before/after evaluation.</summary>
public sealed record ComparisonRun(string Objective, long Seed, double LearningRate, BeforeAfterReport Report);
