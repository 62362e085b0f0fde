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

    /// <summary>A well-formed summary, one suite per line so tests can assert line numbers (suite i is on line 6 + i).</summary>
    public string Summary(IEnumerable<(string Suite, int Count, double Accuracy)> suites, string? created = null,
        string? runId = null, string model = "test/model", string schema = EvaluationSummaryReader.Schema, string name = "summary.json")
    {
        var sb = new StringBuilder();
        sb.Append("{\n");
        sb.Append($"  \"schema\": \"{schema}\",\n");
        sb.Append($"  \"model\": {{ \"name\": \"{model}\" }},\n");
        sb.Append($"  \"settings\": {{ \"prompt\": \"qwen25-math-cot\", \"max_new_tokens\": 2048 }},\n");
        sb.Append($"  \"created\": {(created is null ? "null" : $"\"{created}\"")}, \"run_id\": {(runId is null ? "null" : $"\"{runId}\"")},\n");
        sb.Append("  \"suites\": {\n");
        sb.Append(string.Join(",\n", suites.Select(s =>
            $"    \"{s.Suite}\": {{ \"count\": {s.Count}, \"accuracy\": {s.Accuracy.ToString("R", CultureInfo.InvariantCulture)} }}")));
        sb.Append("\n  }\n}\n");
        return Write(name, sb.ToString());
    }

    /// <summary>A thresholds file; its suites' entries are one per line from line 6 on.</summary>
    public string Thresholds(string key, IEnumerable<(string Suite, string Body)> suites, string models = "[]")
    {
        var sb = new StringBuilder();
        sb.Append("{\n");
        sb.Append($"  \"schema\": \"{ThresholdsLoader.Schema}\",\n");
        sb.Append($"  \"model_key\": \"{key}\",\n");
        sb.Append($"  \"models\": {models},\n");
        sb.Append("  \"suites\": {\n");
        sb.Append(string.Join(",\n", suites.Select(s => $"    \"{s.Suite}\": {{ {s.Body} }}")));
        sb.Append("\n  }\n}\n");
        return Write(Path.Combine("thresholds", key + ".json"), sb.ToString());
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
