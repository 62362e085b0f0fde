using Rlsc.Core;
using Rlsc.Core.Config;
using Rlsc.Core.Evaluation.Comparison;
using Rlsc.Core.Evaluation.Reports;
using Rlsc.Core.Evaluation.Runner;
using Rlsc.Core.Evaluation.Suites;
using Rlsc.Core.Hub;
using Rlsc.Runtime.Model;

namespace Rlsc.Runtime.Evaluation;

/// <summary>
/// Runs the `evaluation` section of a finished `rlsc finetune` run: every <see cref="EvaluationVariant"/> through the
/// evaluation runner (the same code as `rlsc eval`, outputs in eval/&lt;variant&gt;/), then before-after.json,
/// before-after.md and, when asked, plots/*.png in the run folder.
/// </summary>
public static class BeforeAfterEvaluation
{
    public const string EvalFolder = "eval";

    /// <param name="finetunedModel">The fine-tuned checkpoint (the run's checkpoints/final).</param>
    /// <param name="knownBase">The base model's variants from an earlier report with the same base model and
    /// evaluation section (rlsc compare-objectives): reused instead of evaluated again; null: evaluate them.</param>
    public static BeforeAfterReport Run(FineTuneConfig config, string runFolder, string finetunedModel,
        IProgress<EvaluationProgress>? progress = null, TextWriter? log = null, CancellationToken cancellation = default,
        IReadOnlyDictionary<string, VariantScores>? knownBase = null)
    {
        var e = config.Evaluation;
        var suites = SuiteCatalog.FindAll(string.Join(",", e.Suites));
        var variants = EvaluationVariant.For(config.Sampling.Temperature, e.Samples, e.LoweredTemperature);
        var scores = new List<VariantScores>();
        // The training device, in the precision `rlsc eval` uses there by default (float32 on the CPU; on CUDA each
        // checkpoint's own dtype, TF32 off), not training's: the Evaluate stage asks `rlsc eval` for exactly these
        // evaluations and reuses them instead of generating again (docs/pipeline.md, "Each model evaluated once").
        // The base model may be a hub id, found in the hub cache.
        var loadOptions = ModelLoadOptions.ForDevice(ModelPlacement.Resolve(config).Device, dtype: null);
        using var precision = Platform.CudaMatmulPrecision.Float32Exact();
        if (knownBase is not null)
            foreach (var variant in variants.Where(v => v.Model == VariantModel.Base))
                scores.Add(knownBase[variant.Name]);
        // Named as the pipeline's Evaluate stage names them, so that a variant's summary.json can be gated under
        // the thresholds key that admits the model ("arith-base+rlsc").
        string baseName = ModelInfo.NameOf(config.Model);
        foreach (var (which, folder) in new[] { (VariantModel.Base, ModelSource.Resolve(config.Model, cancellation: cancellation)), (VariantModel.FineTuned, finetunedModel) })
        {
            if (which == VariantModel.Base && knownBase is not null) continue;
            if (!Directory.Exists(folder))
                throw new RlscException(ErrorCodes.FileNotFound, "the model folder to evaluate does not exist.", folder);
            var info = new ModelInfo(which == VariantModel.Base ? baseName : ModelInfo.FineTunedName(baseName), Path.GetFullPath(folder), null);
            using var generator = ModelResponseGenerator.Load(folder, loadOptions, info);
            foreach (var variant in variants.Where(v => v.Model == which))
            {
                string output = Path.Combine(runFolder, EvalFolder, variant.Name);
                if (Directory.Exists(output)) Directory.Delete(output, recursive: true);   // a fresh evaluation each run
                log?.WriteLine($"[eval] {variant.Name}: {(variant.Samples == 1 ? "greedy" : $"{variant.Samples} samples at T={variant.Temperature}")}");
                var options = new EvaluationOptions
                {
                    Suites = suites,
                    OutputFolder = output,
                    Samples = variant.Samples,
                    Temperature = variant.Temperature,
                    MaxNewTokens = e.MaxNewTokens,
                    Seed = e.Seed,
                    Limit = e.Limit,
                    BatchSize = e.BatchSize,
                };
                var summary = EvaluationRunner.RunGeneration(options, generator, progress, cancellation);
                scores.Add(VariantScores.From(variant, summary));
            }
        }
        var report = BeforeAfterReport.Of(suites.Select(s => s.Name).ToList(), scores);
        report.Save(runFolder);
        if (e.Plots) BeforeAfterPlots.Write(runFolder, report);
        BeforeAfterTensorBoard.Write(runFolder, report, config);
        return report;
    }
}
