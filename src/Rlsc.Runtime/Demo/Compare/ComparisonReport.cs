using Rlsc.Core.Evaluation.Comparison;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Rlsc.Core.IO;
using Rlsc.Core.Config;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Training.Loop;
using Rlsc.Runtime.Training.Policy;
using Rlsc.Runtime.Training.Rlsc;
using Rlsc.Runtime.Training.Sft;

namespace Rlsc.Runtime.Demo.Compare;

/// <summary>
/// The comparison's numbers: per method (the base model, the base model at the lowered temperature, each objective)
/// the mean, sample standard deviation, minimum and maximum over the seeds of each metric, the learning rate used and
/// the tuning results. Saved as comparison.json and comparison.md (one table), plotted by <see cref="ComparisonPlot"/>.
/// </summary>
public sealed record ComparisonReport
{
    public const string SchemaId = "rlsc.compare_objectives/v1";
    public const string JsonFile = "comparison.json", MarkdownFile = "comparison.md";

    public string Schema { get; init; } = SchemaId;
    public required IReadOnlyList<string> Suites { get; init; }
    public required int Problems { get; init; }
    public required int Steps { get; init; }
    public required int QuestionsPerStep { get; init; }
    public required int SamplesPerQuestion { get; init; }
    public required double Temperature { get; init; }
    public required int EvaluationSamples { get; init; }
    public double? LoweredTemperature { get; init; }
    public required IReadOnlyList<double> LearningRateGrid { get; init; }
    public required IReadOnlyList<TuningResult> Tuning { get; init; }
    public required IReadOnlyList<MethodRow> Methods { get; init; }

    /// <summary>One row of the table; metric name -> statistics over the seeds (fractions).</summary>
    public sealed record MethodRow(string Method, double? LearningRate, IReadOnlyList<long> Seeds, IReadOnlyDictionary<string, Spread> Metrics);

    /// <summary>Mean, sample standard deviation (0 for one seed), minimum, maximum and the values per seed.</summary>
    public sealed record Spread(double Mean, double Std, double Min, double Max, IReadOnlyList<double> Values)
    {
        public static Spread Of(IReadOnlyList<double> values)
        {
            double mean = values.Average();
            double std = values.Count < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
            return new Spread(mean, std, values.Min(), values.Max(), values);
        }
    }

    public static readonly string[] MetricNames = ["sampled_accuracy", "greedy_accuracy", "maj_at_k", "pass_at_k", "agreement"];

    public static ComparisonReport From(ObjectiveComparisonOptions options, FineTuneConfig config, IReadOnlyList<ComparisonRun> runs, IReadOnlyList<TuningResult> tuning)
    {
        var first = runs[0].Report;
        var methods = new List<MethodRow>();
        // The base model's figures are the same in every run (same model, problems and evaluation seed).
        methods.Add(new MethodRow("base model", null, [], Metrics([(first.Variants["base-sampled"], first.Variants["base-greedy"])])));
        if (first.Variants.GetValueOrDefault("base-lowered") is { } cool)
            methods.Add(new MethodRow($"base at T={cool.Temperature.ToString("0.##", CultureInfo.InvariantCulture)}", null, [], Metrics([(cool, null)])));
        foreach (var group in runs.GroupBy(r => r.Objective))
            methods.Add(new MethodRow(group.Key, group.First().LearningRate, group.Select(r => r.Seed).ToList(),
                Metrics(group.Select(r => (r.Report.Variants["rlsc-sampled"], (VariantScores?)r.Report.Variants["rlsc-greedy"])).ToList())));
        return new ComparisonReport
        {
            Suites = first.Suites,
            Problems = first.Variants["base-greedy"].Problems,
            Steps = config.Training.Steps,
            QuestionsPerStep = config.Training.QuestionsPerStep,
            SamplesPerQuestion = config.Sampling.SamplesPerQuestion,
            Temperature = config.Sampling.Temperature,
            EvaluationSamples = first.Variants["base-sampled"].Samples,
            LoweredTemperature = first.LoweredTemperature,
            LearningRateGrid = options.LearningRateGrid,
            Tuning = tuning,
            Methods = methods,
        };
    }

    static Dictionary<string, Spread> Metrics(IReadOnlyList<(VariantScores Sampled, VariantScores? Greedy)> runs)
    {
        var metrics = new Dictionary<string, Spread>();
        void Add(string name, Func<(VariantScores Sampled, VariantScores? Greedy), double?> pick)
        {
            var values = runs.Select(pick).Where(v => v is not null).Select(v => v!.Value).ToList();
            if (values.Count > 0) metrics[name] = Spread.Of(values);
        }
        Add("sampled_accuracy", r => r.Sampled.Accuracy);
        Add("greedy_accuracy", r => r.Greedy?.Accuracy);
        Add("maj_at_k", r => r.Sampled.MajAtK);
        Add("pass_at_k", r => r.Sampled.PassAtK);
        Add("agreement", r => r.Sampled.Agreement);
        return metrics;
    }

    public void Save(string folder)
    {
        AtomicFile.WriteAllText(Path.Combine(folder, JsonFile), JsonSerializer.Serialize(this, RlscJson.EscapedOutput) + "\n");
        AtomicFile.WriteAllText(Path.Combine(folder, MarkdownFile), ToMarkdown());
        ComparisonPlot.Write(Path.Combine(folder, ComparisonPlot.FileName), this);
    }

    public string ToMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        string k = EvaluationSamples.ToString(c), t = Temperature.ToString("0.##", c);
        var md = new StringBuilder();
        md.Append(c, $"| method | learning rate | seeds | sampled accuracy, T={t} (mean of {k}) | greedy accuracy | maj@{k} | pass@{k} | agreement of the {k} samples |\n");
        md.Append("|---|---:|---|---:|---:|---:|---:|---:|\n");
        foreach (var row in Methods)
        {
            string rate = row.LearningRate is double r ? r.ToString("0.###e+0", c) : "";
            string seeds = row.Seeds.Count == 0 ? "" : string.Join(", ", row.Seeds);
            md.Append(c, $"| {row.Method} | {rate} | {seeds} |");
            foreach (string name in MetricNames)
                md.Append(' ').Append(row.Metrics.TryGetValue(name, out var s) ? Cell(s) : "").Append(" |");
            md.Append('\n');
        }
        md.Append('\n');
        md.Append(c, $"{string.Join(", ", Suites)}: {Problems} held-out problems. Each objective: {Steps} steps x {QuestionsPerStep} questions x {SamplesPerQuestion} samples at T={t}, ");
        md.Append("the same base model, training questions and seeds. Cells: mean over the seeds, then ± the sample standard deviation and [min, max] when more than one seed ran; ");
        md.Append("the base rows do not depend on the training seed (the evaluation's sampler seed is the same for all).\n");
        if (Tuning.Count > 0)
        {
            md.Append(c, $"\nLearning rate: tuned per objective over {{{string.Join(", ", LearningRateGrid.Select(x => x.ToString("0.###e+0", c)))}}} at the first seed in {Tuning[0].Steps}-step runs, ");
            md.Append(c, $"by sampled accuracy on the first {Tuning[0].Questions} training questions (their answers regenerated for tuning only; never the test split):\n\n");
            md.Append("| objective | " + string.Join(" | ", LearningRateGrid.Select(x => "lr " + x.ToString("0.###e+0", c))) + " |\n");
            md.Append("|---|" + string.Concat(LearningRateGrid.Select(_ => "---:|")) + "\n");
            foreach (var group in Tuning.GroupBy(x => x.Objective))
                md.Append($"| {group.Key} | " + string.Join(" | ", LearningRateGrid.Select(x => group.FirstOrDefault(g => g.LearningRate == x) is { } g ? Percent(g.Accuracy) : "")) + " |\n");
        }
        return md.ToString();
    }

    static string Cell(Spread s) =>
        s.Values.Count < 2
            ? Percent(s.Mean)
            : $"{Percent(s.Mean)} ± {(s.Std * 100).ToString("0.0", CultureInfo.InvariantCulture)} [{Percent(s.Min)}, {Percent(s.Max)}]";

    static string Percent(double f) => (f * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
