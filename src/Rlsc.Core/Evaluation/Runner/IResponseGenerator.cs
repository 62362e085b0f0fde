using Rlsc.Core.Evaluation.Reports;
using Rlsc.Core.Evaluation.Suites;

namespace Rlsc.Core.Evaluation.Runner;

/// <summary>What a generator is asked for: k samples per prompt with one suite's decoding.</summary>
public sealed record GenerationRequest(int Samples, DecodingSettings Decoding, long Seed);

/// <summary>
/// Produces responses for prompts (the model runtime in `rlsc eval --model`; a fake in tests). Returns, for each
/// prompt in order, its k samples.
/// </summary>
public interface IResponseGenerator : IDisposable
{
    ModelInfo Model { get; }

    /// <summary>The model's device and precision, recorded in the summary; null where the generator cannot say (then its evaluations are never reused).</summary>
    GenerationPlacement? Placement { get; }

    IReadOnlyList<IReadOnlyList<SampledResponse>> Generate(IReadOnlyList<string> prompts, GenerationRequest request,
        IProgress<int>? samplesDone, CancellationToken cancellation);
}
