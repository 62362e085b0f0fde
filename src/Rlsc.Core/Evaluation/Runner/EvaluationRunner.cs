using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Rlsc.Core.Evaluation.Grading;
using Rlsc.Core.Evaluation.Metrics;
using Rlsc.Core.Evaluation.Reports;
using Rlsc.Core.Evaluation.Suites;
using Rlsc.Core.IO;
using Rlsc.Core.Tokenization;

namespace Rlsc.Core.Evaluation.Runner;

/// <summary>
/// Runs an evaluation: load the suites (errors surface before any work), select the problems (--limit, --shard),
/// obtain the responses (a predictions file, or a generator), grade them, aggregate the metrics and write the
/// output folder. Grading uses all cores; generation saves its progress after each batch and can resume.
/// </summary>
public static class EvaluationRunner
{
    public static EvaluationSummary RunPredictions(EvaluationOptions options, string predictionsPath, ModelInfo model,
        IProgress<EvaluationProgress>? progress = null, CancellationToken cancellation = default)
    {
        options.Validate();
        ValidateTemplates(options);
        var started = DateTimeOffset.UtcNow;
        var suites = options.Suites.Select(m => EvaluationSuite.Load(m, cancellation: cancellation)).ToList();
        var predictions = PredictionsFile.Read(predictionsPath, suites.ToDictionary(s => s.Name, s => s.Problems.Count));
        var results = new List<(EvaluationSuite Suite, List<ProblemRecord> Records, double Seconds, SuiteSelection Selection)>();
        foreach (var suite in suites)
        {
            var clock = Stopwatch.StartNew();
            var selection = Selection(options, suite);
            var problems = suite.Problems.Skip(selection.Start).Take(selection.End - selection.Start).ToList();
            var missing = problems.Where(p => !predictions[suite.Name].ContainsKey(p.Index)).Select(p => p.Index).ToList();
            if (missing.Count > 0)
                throw new RlscException(ErrorCodes.PredictionsInvalid,
                    $"no response for {missing.Count} problem(s) of suite '{suite.Name}' (index {Ranges(missing)}); every selected problem needs a line (or use --limit / --shard).",
                    predictionsPath);
            var grader = new MathGrader(suite.Manifest.GradingOptions);
            string template = options.TemplateFor(suite.Manifest);
            var records = GradeAll(suite, problems, p => predictions[suite.Name][p.Index], template, grader, progress, cancellation);
            results.Add((suite, records, clock.Elapsed.TotalSeconds, selection));
        }
        var ks = results.SelectMany(r => r.Records.Select(p => p.Samples)).Distinct().ToList();
        if (ks.Count != 1)
            throw new RlscException(ErrorCodes.PredictionsInvalid,
                $"problems have different numbers of responses ({string.Join(", ", ks.Order())}); every problem needs the same k.", predictionsPath);
        var settings = new EvaluationSettings
        {
            Mode = "predictions",
            Samples = ks[0],
            Temperature = options.Temperature,
            TopP = options.TopP,
            TopK = options.TopK,
            MaxNewTokens = options.MaxNewTokens,
            Seed = null,
            ChatTemplate = Uniform(suites.Select(s => options.TemplateFor(s.Manifest))),
            Limit = options.Limit,
            Shard = options.Shard?.ToString(),
        };
        return Finish(options, model, settings, results, started);
    }

    public static EvaluationSummary RunGeneration(EvaluationOptions options, IResponseGenerator generator,
        IProgress<EvaluationProgress>? progress = null, CancellationToken cancellation = default)
    {
        options.Validate();
        ValidateTemplates(options);
        var started = DateTimeOffset.UtcNow;
        var suites = options.Suites.Select(m => EvaluationSuite.Load(m, cancellation: cancellation)).ToList();
        foreach (var suite in suites)
            if (options.Samples > 1 && options.DecodingFor(suite.Manifest).Temperature == 0)
                throw new RlscException(ErrorCodes.InvalidArgument,
                    $"--samples {options.Samples} with greedy decoding would repeat one response {options.Samples} times: add --temperature (the paper samples at 0.5).");
        var partial = PartialResults.Open(options.OutputFolder, Fingerprint(options, generator.Model), options.Resume);
        var results = new List<(EvaluationSuite Suite, List<ProblemRecord> Records, double Seconds, SuiteSelection Selection)>();
        foreach (var suite in suites)
        {
            var clock = Stopwatch.StartNew();
            var selection = Selection(options, suite);
            var problems = suite.Problems.Skip(selection.Start).Take(selection.End - selection.Start).ToList();
            var grader = new MathGrader(suite.Manifest.GradingOptions);
            string template = options.TemplateFor(suite.Manifest);
            var decoding = options.DecodingFor(suite.Manifest);
            var done = partial.Load(suite.Name);
            var records = problems.Where(p => done.ContainsKey(p.Index)).Select(p => done[p.Index]).ToList();
            var todo = problems.Where(p => !done.ContainsKey(p.Index)).ToList();
            progress?.Report(new EvaluationProgress(suite.Name, records.Count, problems.Count, "generate"));
            for (int start = 0; start < todo.Count; start += options.BatchSize)
            {
                if (cancellation.IsCancellationRequested) throw Interrupted(suite.Name, records.Count, problems.Count);
                var batch = todo.Skip(start).Take(options.BatchSize).ToList();
                var prompts = batch.Select(p => ChatTemplates.Render(template, p.Question)).ToList();
                var batchClock = Stopwatch.StartNew();
                IReadOnlyList<IReadOnlyList<SampledResponse>> generated;
                try
                {
                    var request = new GenerationRequest(options.Samples, decoding, BatchSeed(options.Seed, suite.Name, batch[0].Index));
                    int before = records.Count;
                    var samplesDone = progress is null ? null : new SynchronousProgress(done =>
                        progress.Report(new EvaluationProgress(suite.Name, before + done, problems.Count, "generate")));
                    generated = generator.Generate(prompts, request, samplesDone, cancellation);
                }
                catch (OperationCanceledException)
                {
                    throw Interrupted(suite.Name, records.Count, problems.Count);
                }
                if (generated.Count != batch.Count)
                    throw new InvalidOperationException($"the generator returned {generated.Count} results for {batch.Count} prompts");
                double perProblem = batchClock.Elapsed.TotalSeconds / batch.Count;
                var graded = batch.Select((p, i) => ProblemGrading.Grade(suite.Name, p, prompts[i], generated[i], grader, perProblem)).ToList();
                partial.Append(suite.Name, graded);
                records.AddRange(graded);
                progress?.Report(new EvaluationProgress(suite.Name, records.Count, problems.Count, "generate"));
            }
            results.Add((suite, records.OrderBy(r => r.Index).ToList(), clock.Elapsed.TotalSeconds, selection));
        }
        var summary = Finish(options, generator.Model, GenerationSettings(options, generator.Placement), results, started);
        partial.Complete();
        return summary;
    }

    /// <summary>
    /// The settings a generating run records: the options over each suite's decoding (a value the suites do not share
    /// is null), the seed, the selection, the batch size and where the model ran. Also what a reused evaluation must
    /// have recorded (<see cref="ReusableEvaluation"/>).
    /// </summary>
    public static EvaluationSettings GenerationSettings(EvaluationOptions options, GenerationPlacement? placement)
    {
        var decodings = options.Suites.Select(options.DecodingFor).ToList();
        return new EvaluationSettings
        {
            Mode = "generate",
            Samples = options.Samples,
            Temperature = Uniform(decodings.Select(d => d.Temperature)),
            TopP = Uniform(decodings.Select(d => d.TopP)),
            TopK = Uniform(decodings.Select(d => d.TopK)),
            MaxNewTokens = Uniform(decodings.Select(d => d.MaxNewTokens)),
            Seed = options.Seed,
            ChatTemplate = Uniform(options.Suites.Select(options.TemplateFor)),
            Limit = options.Limit,
            Shard = options.Shard?.ToString(),
            BatchSize = options.BatchSize,
            Device = placement?.Device,
            Dtype = placement?.Dtype,
            Tf32 = placement?.Tf32,
        };
    }

    /// <summary>Problems finished within a batch, reported on the generating thread.</summary>
    sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }

    /// <summary>An unknown template name fails before any data is read (RLSC001 listing the known ones).</summary>
    static void ValidateTemplates(EvaluationOptions options)
    {
        foreach (var suite in options.Suites) ChatTemplates.Render(options.TemplateFor(suite), "?");
    }

    static RlscException Interrupted(string suite, int done, int total) => new(ErrorCodes.Interrupted,
        $"evaluation interrupted in suite '{suite}' after {done} of {total} problems; rerun the same command with --resume to continue.");

    static SuiteSelection Selection(EvaluationOptions options, EvaluationSuite suite)
    {
        var selection = options.SelectionFor(suite.Problems.Count);
        if (selection.End <= selection.Start)
            throw new RlscException(ErrorCodes.InvalidArgument,
                $"shard {options.Shard} of suite '{suite.Name}' is empty ({selection.End - selection.Start} of {suite.Problems.Count} problems): use fewer shards for small suites.");
        return selection;
    }

    static List<ProblemRecord> GradeAll(EvaluationSuite suite, List<SuiteProblem> problems, Func<SuiteProblem, IReadOnlyList<SampledResponse>> responses,
        string template, MathGrader grader, IProgress<EvaluationProgress>? progress, CancellationToken cancellation)
    {
        var records = new ProblemRecord[problems.Count];
        int done = 0;
        progress?.Report(new EvaluationProgress(suite.Name, 0, problems.Count, "grade"));
        var parallel = new ParallelOptions { CancellationToken = cancellation, MaxDegreeOfParallelism = Environment.ProcessorCount };
        try
        {
            Parallel.For(0, problems.Count, parallel, i =>
            {
                var p = problems[i];
                records[i] = ProblemGrading.Grade(suite.Name, p, ChatTemplates.Render(template, p.Question), responses(p), grader);
                int finished = Interlocked.Increment(ref done);
                if (finished % 50 == 0 || finished == problems.Count)
                    progress?.Report(new EvaluationProgress(suite.Name, finished, problems.Count, "grade"));
            });
        }
        catch (OperationCanceledException)
        {
            throw new RlscException(ErrorCodes.Interrupted, $"grading interrupted in suite '{suite.Name}'; nothing was written, rerun the command.");
        }
        catch (AggregateException e) when (e.InnerExceptions.OfType<RlscException>().FirstOrDefault() is { } first)
        {
            // A user error met by one worker is reported as itself, not as a stack of aggregated traces.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
            throw;
        }
        return records.ToList();
    }

    static EvaluationSummary Finish(EvaluationOptions options, ModelInfo model, EvaluationSettings settings,
        List<(EvaluationSuite Suite, List<ProblemRecord> Records, double Seconds, SuiteSelection Selection)> results, DateTimeOffset started)
    {
        var suites = new Dictionary<string, SuiteSummary>(StringComparer.Ordinal);
        foreach (var (suite, records, seconds, selection) in results)
            suites[suite.Name] = SuiteMetrics.Aggregate(records, suite.DataSha256, Math.Round(seconds, 3), selection);
        var finished = DateTimeOffset.UtcNow;
        var summary = new EvaluationSummary
        {
            RlscVersion = Version,
            Created = finished,
            RunId = options.RunId,
            Model = model,
            Settings = settings,
            Suites = suites,
            Macro = SuiteMetrics.Macro(suites.Values),
            Timing = new TimingInfo(started, finished, Math.Round((finished - started).TotalSeconds, 3)),
        };
        EvaluationOutput.Write(options.OutputFolder, summary, results.SelectMany(r => r.Records));
        return summary;
    }

    /// <summary>
    /// The sampler seed of a batch: --seed mixed with the suite and the batch's first problem, so that a resumed run
    /// (same --batch-size) draws exactly what the uninterrupted run would have, and batches do not share a stream.
    /// </summary>
    public static long BatchSeed(long seed, string suite, int firstIndex)
    {
        ulong h = 14695981039346656037UL ^ unchecked((ulong)seed);
        foreach (char c in suite) h = (h ^ c) * 1099511628211UL;
        h = (h ^ unchecked((ulong)firstIndex)) * 1099511628211UL;
        return (long)(h >> 1);
    }

    /// <summary>The settings that must match when a generating run resumes.</summary>
    static string Fingerprint(EvaluationOptions o, ModelInfo model) => JsonSerializer.Serialize(new
    {
        model = model.Path ?? model.Name,
        suites = o.Suites.Select(s => s.Name).ToList(),
        // The batch size too: a sampled batch's random stream is seeded by its first problem (BatchSeed).
        o.Samples, o.Temperature, o.TopP, o.TopK, o.MaxNewTokens, o.Seed, o.Limit, o.BatchSize,
        shard = o.Shard?.ToString(),
        o.ChatTemplate,
    }, RlscJson.Line);

    static T? Uniform<T>(IEnumerable<T> values) where T : struct
    {
        var distinct = values.Distinct().ToList();
        return distinct.Count == 1 ? distinct[0] : null;
    }

    static string? Uniform(IEnumerable<string> values)
    {
        var distinct = values.Distinct().ToList();
        return distinct.Count == 1 ? distinct[0] : null;
    }

    /// <summary>"3-7, 12" for a sorted list of indices (the first 20 ranges).</summary>
    internal static string Ranges(IReadOnlyList<int> sorted)
    {
        var parts = new List<string>();
        for (int i = 0; i < sorted.Count && parts.Count < 20;)
        {
            int j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1) j++;
            parts.Add(i == j ? $"{sorted[i]}" : $"{sorted[i]}-{sorted[j]}");
            i = j + 1;
        }
        return string.Join(", ", parts) + (parts.Count == 20 ? ", ..." : "");
    }

    public static string Version { get; } =
        typeof(EvaluationRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(EvaluationRunner).Assembly.GetName().Version?.ToString() ?? "0";
}
