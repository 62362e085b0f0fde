namespace Rlsc.Core.Evaluation.Comparison;

/// <summary>Which model an evaluation variant runs.</summary>
public enum VariantModel { Base, FineTuned }

/// <summary>One evaluation of the before/after comparison: a model, a temperature (0: greedy) and k samples.</summary>
/// <param name="Name">Folder name under eval/ and key in before-after.json.</param>
public sealed record EvaluationVariant(string Name, VariantModel Model, double Temperature, int Samples)
{
    // The variants' names: folders under a run's eval/, keys of before-after.json, and what the report pairs.
    public const string BaseGreedy = "base-greedy";
    public const string BaseSampled = "base-sampled";
    public const string BaseLowered = "base-lowered";
    public const string RlscGreedy = "rlsc-greedy";
    public const string RlscSampled = "rlsc-sampled";

    /// <summary>Sampled rather than greedy: k samples, or one sample at a positive temperature.</summary>
    public bool IsSampled => Samples > 1 || Temperature > 0;

    /// <summary>
    /// The variants of a run: base and fine-tuned, greedy and sampled at the training temperature; and the base model
    /// sampled at <paramref name="loweredTemperature"/> when given.
    /// </summary>
    public static IReadOnlyList<EvaluationVariant> For(double trainingTemperature, int samples, double? loweredTemperature)
    {
        var variants = new List<EvaluationVariant>
        {
            Greedy(VariantModel.Base),
            Sampled(VariantModel.Base, trainingTemperature, samples),
        };
        if (loweredTemperature is double cool) variants.Add(new(BaseLowered, VariantModel.Base, cool, samples));
        variants.Add(Greedy(VariantModel.FineTuned));
        variants.Add(Sampled(VariantModel.FineTuned, trainingTemperature, samples));
        return variants;
    }

    /// <summary>The model's greedy variant (base-greedy, rlsc-greedy).</summary>
    public static EvaluationVariant Greedy(VariantModel model) => new(model == VariantModel.Base ? BaseGreedy : RlscGreedy, model, 0, 1);

    /// <summary>The model's variant sampled k times at the comparison's temperature (base-sampled, rlsc-sampled).</summary>
    public static EvaluationVariant Sampled(VariantModel model, double temperature, int samples) =>
        new(model == VariantModel.Base ? BaseSampled : RlscSampled, model, temperature, samples);
}
