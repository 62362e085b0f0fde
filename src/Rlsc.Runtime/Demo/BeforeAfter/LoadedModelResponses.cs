using Rlsc.Evaluation;
using Rlsc.Model;
using Rlsc.Sampling;

namespace Rlsc.Demo;

/// <summary>
/// Responses of a model loaded in this process, for the evaluation runner: the prompts (already templated) go through
/// <see cref="Generation"/> with the suite's decoding; lengths are in tokens.
/// </summary>
public sealed class LoadedModelResponses(CausalLM model, ModelInfo info) : IResponseGenerator
{
    public ModelInfo Model { get; } = info;

    public static LoadedModelResponses Load(string folder, ModelInfo info) =>
        new(CausalLM.Load(folder, new ModelLoadOptions("cpu", "float32")), info);

    public IReadOnlyList<IReadOnlyList<SampledResponse>> Generate(IReadOnlyList<string> prompts, GenerationRequest request,
        IProgress<int>? samplesDone, CancellationToken cancellation)
    {
        var options = new GenerationOptions
        {
            SamplesPerPrompt = request.Samples,
            Temperature = (float)request.Decoding.Temperature,
            TopP = (float)request.Decoding.TopP,
            TopK = request.Decoding.TopK,
            MaxNewTokens = request.Decoding.MaxNewTokens,
            Seed = request.Seed,
            StopStrings = request.Decoding.Stop,
        };
        var byPrompt = Enumerable.Range(0, prompts.Count).Select(_ => new List<SampledResponse>(request.Samples)).ToArray();
        foreach (var s in Generation.Generate(model, prompts, options, null, cancellation).OrderBy(s => s.PromptIndex).ThenBy(s => s.SampleIndex))
            byPrompt[s.PromptIndex].Add(new SampledResponse(s.Text, s.TokenIds.Length, s.FinishReason));
        return byPrompt;
    }

    public void Dispose() => model.Dispose();
}
