namespace Rlsc.Core.Evaluation.Comparison;

/// <summary>Which model an evaluation variant runs.</summary>
public enum VariantModel { Base, FineTuned }

/// <summary>One evaluation of the before/after comparison: a model, a temperature (0: greedy) and k samples.</summary>
/// <param name="Name">Folder name under eval/ and key in before-after.json.</param>
public sealed record EvaluationVariant(string Name, VariantModel Model, double Temperature, int Samples)
{
    /// <summary>
    /// The variants of a run: base and fine-tuned, greedy and sampled at the training temperature; and the base model
    /// sampled at <paramref name="loweredTemperature"/> when given.
    /// </summary>
    public static IReadOnlyList<EvaluationVariant> For(double trainingTemperature, int samples, double? loweredTemperature)
    {
        var variants = new List<EvaluationVariant>
        {
            new("base-greedy", VariantModel.Base, 0, 1),
            new("base-sampled", VariantModel.Base, trainingTemperature, samples),
        };
        if (loweredTemperature is double cool) variants.Add(new("base-lowered", VariantModel.Base, cool, samples));
        variants.Add(new("rlsc-greedy", VariantModel.FineTuned, 0, 1));
        variants.Add(new("rlsc-sampled", VariantModel.FineTuned, trainingTemperature, samples));
        return variants;
    }
}
