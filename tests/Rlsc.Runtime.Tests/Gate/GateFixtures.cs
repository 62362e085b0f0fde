using System.Globalization;
using System.Text;
using Rlsc.Core.Gate;

namespace Rlsc.Runtime.Tests.Gate;

/// <summary>Writes summaries and thresholds files into a temporary folder that is deleted afterwards.</summary>
sealed class GateFixtures : IDisposable
{
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "rlsc-gate-" + Guid.NewGuid().ToString("N"));

    public GateFixtures() => Directory.CreateDirectory(Folder);

    public void Dispose()
    {
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
    }

    public string Write(string name, string text)
    {
        string path = Path.Combine(Folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>
    /// A well-formed greedy summary (one sample per problem, temperature 0, each accuracy with its interval), one suite
    /// per line so tests can assert line numbers (suite i is on line 6 + i).
    /// </summary>
    public string Summary(IEnumerable<(string Suite, int Count, double Accuracy)> suites, string? created = null,
        string? runId = null, string model = "test/model", string schema = EvaluationSummaryReader.Schema, string name = "summary.json",
        int samples = 1, double temperature = 0)
    {
        var sb = new StringBuilder();
        sb.Append("{\n");
        sb.Append($"  \"schema\": \"{schema}\",\n");
        sb.Append($"  \"model\": {{ \"name\": \"{model}\" }},\n");
        sb.Append($"  \"settings\": {{ \"prompt\": \"qwen25-math-cot\", \"max_new_tokens\": 2048, \"temperature\": {Num(temperature)} }},\n");
        sb.Append($"  \"created\": {(created is null ? "null" : $"\"{created}\"")}, \"run_id\": {(runId is null ? "null" : $"\"{runId}\"")},\n");
        sb.Append("  \"suites\": {\n");
        sb.Append(string.Join(",\n", suites.Select(s =>
            $"    \"{s.Suite}\": {{ \"count\": {s.Count}, \"samples\": {samples}, \"accuracy\": {Num(s.Accuracy)}, \"accuracy_ci\": {Interval(s.Accuracy, s.Count)} }}")));
        sb.Append("\n  }\n}\n");
        return Write(name, sb.ToString());
    }

    /// <summary>The binomial interval of an accuracy over count problems, in summary.json's form.</summary>
    public static string Interval(double accuracy, int count)
    {
        double se = Math.Sqrt(accuracy * (1 - accuracy) / count);
        return $"{{ \"standard_error\": {Num(se)}, \"low\": {Num(Math.Max(0, accuracy - 1.96 * se))}, \"high\": {Num(Math.Min(1, accuracy + 1.96 * se))}, \"level\": 0.95 }}";
    }

    /// <summary>
    /// A thresholds file admitting the fixtures' model "test/model"; its suites' entries are one per line from line 6 on.
    /// A suite body without `metric` (and not pending) is gated on greedy accuracy.
    /// </summary>
    public string Thresholds(string key, IEnumerable<(string Suite, string Body)> suites, string models = "[\"test/model\"]")
    {
        var sb = new StringBuilder();
        sb.Append("{\n");
        sb.Append($"  \"schema\": \"{ThresholdsLoader.Schema}\",\n");
        sb.Append($"  \"model_key\": \"{key}\",\n");
        sb.Append($"  \"models\": {models},\n");
        sb.Append("  \"suites\": {\n");
        sb.Append(string.Join(",\n", suites.Select(s =>
            $"    \"{s.Suite}\": {{ {(s.Body.Contains("\"metric\"") || s.Body.Contains("\"pending\"") ? "" : "\"metric\": \"greedy\", ")}{s.Body} }}")));
        sb.Append("\n  }\n}\n");
        return Write(Path.Combine("thresholds", key + ".json"), sb.ToString());
    }

    /// <summary>
    /// A sampled evaluation in its own folder: summary.json (k samples at temperature 0.5, avg@k with its clustered
    /// interval, maj@k) and problems.jsonl beside it, problem i having correct[i] right samples out of k.
    /// </summary>
    public string SampledRun(string folder, string model, IReadOnlyList<int> correct, int k = 8, string suite = "arith",
        double temperature = 0.5, string dataSha256 = "ab12")
    {
        var avg = correct.Select(c => (double)c / k).ToList();
        var maj = correct.Select(c => 2 * c > k ? 1.0 : 0.0).ToList();
        var ci = Rlsc.Core.Evaluation.Metrics.ClusteredStandardError.Interval(avg);
        var majCi = Rlsc.Core.Evaluation.Metrics.ClusteredStandardError.Interval(maj);
        string Ci(Rlsc.Core.Evaluation.Metrics.MetricInterval i) =>
            $"{{ \"standard_error\": {Num(i.StandardError)}, \"low\": {Num(i.Low)}, \"high\": {Num(i.High)}, \"level\": 0.95 }}";
        string summary = Write(Path.Combine(folder, "summary.json"), $$"""
            {
              "schema": "rlsc.eval.summary/v1",
              "model": { "name": "{{model}}" },
              "settings": { "mode": "generate", "samples": {{k}}, "temperature": {{Num(temperature)}} },
              "suites": {
                "{{suite}}": { "count": {{correct.Count}}, "samples": {{k}}, "accuracy": {{Num(avg.Average())}}, "accuracy_ci": {{Ci(ci)}},
                  "maj_at_k": {{Num(maj.Average())}}, "maj_at_k_ci": {{Ci(majCi)}}, "data_sha256": "{{dataSha256}}" }
              }
            }
            """);
        var lines = correct.Select((c, i) =>
            $"{{\"suite\":\"{suite}\",\"index\":{i},\"correct\":[{string.Join(",", Enumerable.Range(0, k).Select(j => j < c ? "true" : "false"))}],\"majority_correct\":{(2 * c > k ? "true" : "false")}}}");
        Write(Path.Combine(folder, "problems.jsonl"), string.Join("\n", lines) + "\n");
        return summary;
    }

    public static string Num(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Runs the gate on files with the age check off unless a test sets it.</summary>
    public static GateResult Run(string summary, string thresholds, string? golden = null, IReadOnlyList<string>? suites = null,
        FreshnessOptions? freshness = null) =>
        GateRunner.Run(new GateOptions
        {
            SummaryFile = summary,
            ThresholdsFile = thresholds,
            GoldenFile = golden,
            Suites = suites,
            Freshness = freshness ?? new FreshnessOptions { MaxAge = null },
        });
}
