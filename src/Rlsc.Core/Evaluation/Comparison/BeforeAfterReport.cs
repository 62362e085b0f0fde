using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Rlsc.Core.IO;

namespace Rlsc.Core.Evaluation.Comparison;

/// <summary>
/// The before/after comparison of a run: every variant's scores, and the changes RLSC made in percentage points.
/// Saved as before-after.json (schema <see cref="SchemaId"/>, read by the CI test) and rendered as the Markdown table
/// that `rlsc finetune` prints and writes to before-after.md.
/// </summary>
public sealed record BeforeAfterReport
{
    public const string SchemaId = "rlsc.before_after/v1";
    public const string JsonFile = "before-after.json";
    public const string MarkdownFile = "before-after.md";

    public string Schema { get; init; } = SchemaId;
    public required IReadOnlyList<string> Suites { get; init; }
    public required double TrainingTemperature { get; init; }
    public required int Samples { get; init; }
    public double? LoweredTemperature { get; init; }
    public required IReadOnlyDictionary<string, VariantScores> Variants { get; init; }

    VariantScores V(string name) => Variants[name];
    VariantScores? Lowered => Variants.GetValueOrDefault("base-lowered");

    /// <summary>Fine-tuned minus base, greedy accuracy, in percentage points.</summary>
    public double GreedyChange => Points(V("rlsc-greedy").Accuracy - V("base-greedy").Accuracy);

    /// <summary>Fine-tuned minus base, accuracy sampled at the training temperature (avg@k), in percentage points.</summary>
    public double SampledChange => Points(V("rlsc-sampled").Accuracy - V("base-sampled").Accuracy);

    static double Points(double fraction) => Math.Round(fraction * 100, 2);

    public void Save(string runFolder)
    {
        var node = JsonSerializer.SerializeToNode(this, RlscJson.EscapedOutput)!.AsObject();
        node["changes_in_points"] = new System.Text.Json.Nodes.JsonObject
        {
            ["greedy_accuracy"] = GreedyChange,
            ["sampled_accuracy"] = SampledChange,
        };
        AtomicFile.WriteAllText(Path.Combine(runFolder, JsonFile), node.ToJsonString(RlscJson.EscapedOutput) + "\n");
        AtomicFile.WriteAllText(Path.Combine(runFolder, MarkdownFile), ToMarkdown());
    }

    public static BeforeAfterReport Load(string runFolder)
    {
        string path = Path.Combine(runFolder, JsonFile);
        if (!File.Exists(path)) throw new RlscException(ErrorCodes.FileNotFound, "no before/after report; run rlsc finetune with an `evaluation` section.", path);
        try
        {
            return JsonSerializer.Deserialize<BeforeAfterReport>(File.ReadAllText(path), RlscJson.EscapedOutput)
                ?? throw new RlscException(ErrorCodes.MalformedData, "the report is null.", path);
        }
        catch (JsonException e)
        {
            throw new RlscException(ErrorCodes.MalformedData, "not a before/after report: " + e.Message, path, inner: e);
        }
    }

    /// <summary>The table a human reads at a glance: rows are metrics, columns base, base cooler, RLSC and the change.</summary>
    public string ToMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        string t = TrainingTemperature.ToString("0.##", c), k = Samples.ToString(c);
        var lowered = Lowered;
        var md = new StringBuilder();
        md.Append(c, $"## RLSC before/after: {string.Join(", ", Suites)} ({V("base-greedy").Problems} held-out problems)\n\n");
        md.Append("| metric | base model | ");
        if (lowered is not null) md.Append(c, $"base at T={lowered.Temperature:0.##} | ");
        md.Append("after RLSC | change |\n|---|---:|");
        if (lowered is not null) md.Append("---:|");
        md.Append("---:|---:|\n");
        void Row(string label, double? before, double? cool, double? after)
        {
            md.Append(c, $"| {label} | {Percent(before)} | ");
            if (lowered is not null) md.Append(Percent(cool)).Append(" | ");
            string change = before is double b && after is double a ? (a - b >= 0 ? "+" : "") + ((a - b) * 100).ToString("0.0", c) + " pts" : "";
            md.Append(c, $"{Percent(after)} | {change} |\n");
        }
        Row($"sampled accuracy, T={t} (mean of {k})", V("base-sampled").Accuracy, lowered?.Accuracy, V("rlsc-sampled").Accuracy);
        Row("greedy accuracy", V("base-greedy").Accuracy, null, V("rlsc-greedy").Accuracy);
        Row($"maj@{k}", V("base-sampled").MajAtK, lowered?.MajAtK, V("rlsc-sampled").MajAtK);
        Row($"pass@{k}", V("base-sampled").PassAtK, lowered?.PassAtK, V("rlsc-sampled").PassAtK);
        Row($"agreement of the {k} samples", V("base-sampled").Agreement, lowered?.Agreement, V("rlsc-sampled").Agreement);
        md.Append('\n');
        if (lowered is not null)
            md.Append(c, $"The base model sampled at T={lowered.Temperature:0.##} is the sceptic's alternative: a cooler sampler instead of training. ");
        md.Append(c, $"Sampled rows: {k} samples per problem at the temperature shown; greedy: one.\n");
        return md.ToString();
    }

    static string Percent(double? fraction) => fraction is double f ? (f * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "";
}
