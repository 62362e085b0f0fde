using System.Text.Json;
using Rlsc.Core.IO;

namespace Rlsc.Core.Evaluation.Comparison;

/// <summary>
/// The before/after comparison: every variant's scores (macro and per suite), and the changes in percentage points,
/// for whichever pairs of variants were evaluated: greedy (base-greedy, rlsc-greedy) and/or sampled (base-sampled,
/// rlsc-sampled), with the base model sampled cooler (base-lowered) beside the sampled pair when it was. One type for
/// both front doors: `rlsc finetune` builds it from its evaluation section's variants, `rlsc report compare` from two
/// evaluation summaries (<see cref="SummaryPair"/>). Saved as before-after.json (schema <see cref="SchemaId"/>, read by
/// the CI test and compare-objectives) and rendered as the Markdown table (<see cref="BeforeAfterMarkdown"/>) that
/// `rlsc finetune` prints and writes to before-after.md and `rlsc report compare` prints.
/// </summary>
public sealed record BeforeAfterReport
{
    public const string SchemaId = "rlsc.before_after/v1";
    public const string JsonFile = "before-after.json";
    public const string MarkdownFile = "before-after.md";

    public string Schema { get; init; } = SchemaId;
    public required IReadOnlyList<string> Suites { get; init; }
    /// <summary>The sampled variants' temperature (a fine-tune's training temperature); null without a sampled pair.</summary>
    public required double? TrainingTemperature { get; init; }
    /// <summary>The sampled variants' k; null without a sampled pair.</summary>
    public required int? Samples { get; init; }
    public double? LoweredTemperature { get; init; }
    public required IReadOnlyDictionary<string, VariantScores> Variants { get; init; }

    /// <summary>Fine-tuned minus base, greedy accuracy, in percentage points; null without the greedy pair.</summary>
    public double? GreedyChange => Change(EvaluationVariant.BaseGreedy, EvaluationVariant.RlscGreedy);

    /// <summary>Fine-tuned minus base, sampled accuracy (avg@k), in percentage points; null without the sampled pair.</summary>
    public double? SampledChange => Change(EvaluationVariant.BaseSampled, EvaluationVariant.RlscSampled);

    double? Change(string before, string after) =>
        Variants.GetValueOrDefault(before) is { } b && Variants.GetValueOrDefault(after) is { } a ? Math.Round((a.Accuracy - b.Accuracy) * 100, 2) : null;

    /// <summary>
    /// The report of <paramref name="variants"/> (kept in their order, which before-after.json keeps): each pair
    /// complete, at least one pair, the sampled pair at one k and temperature, base-lowered only beside it and at its k.
    /// The caller guarantees this (a broken pairing is a bug, not a user's error).
    /// </summary>
    public static BeforeAfterReport Of(IReadOnlyList<string> suites, IReadOnlyList<VariantScores> variants)
    {
        var byName = variants.ToDictionary(v => v.Variant);
        bool Has(string name) => byName.ContainsKey(name);
        if (Has(EvaluationVariant.BaseGreedy) != Has(EvaluationVariant.RlscGreedy) || Has(EvaluationVariant.BaseSampled) != Has(EvaluationVariant.RlscSampled))
            throw new ArgumentException($"a variant without its pair: {string.Join(", ", byName.Keys)}", nameof(variants));
        if (!Has(EvaluationVariant.BaseGreedy) && !Has(EvaluationVariant.BaseSampled))
            throw new ArgumentException("no pair of variants to compare", nameof(variants));
        var sampled = byName.GetValueOrDefault(EvaluationVariant.BaseSampled);
        var sampledAfter = byName.GetValueOrDefault(EvaluationVariant.RlscSampled);
        if (sampled is not null && (sampledAfter!.Samples, sampledAfter.Temperature) != (sampled.Samples, sampled.Temperature))
            throw new ArgumentException("the sampled pair differs in k or temperature", nameof(variants));
        var lowered = byName.GetValueOrDefault(EvaluationVariant.BaseLowered);
        if (lowered is not null && lowered.Samples != sampled?.Samples)
            throw new ArgumentException("base-lowered without the sampled pair, or at another k", nameof(variants));
        return new BeforeAfterReport
        {
            Suites = suites,
            TrainingTemperature = sampled?.Temperature,
            Samples = sampled?.Samples,
            LoweredTemperature = lowered?.Temperature,
            Variants = byName,
        };
    }

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

    /// <summary>The table a human reads at a glance (<see cref="BeforeAfterMarkdown"/>).</summary>
    public string ToMarkdown() => BeforeAfterMarkdown.Render(this);
}
