using Rlsc.Core.Evaluation.Reports;
using Rlsc.Core.Evaluation.Runner;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Model.Safetensors;
using Rlsc.Runtime.Platform;
using Rlsc.Runtime.Sampling;

namespace Rlsc.Runtime.Evaluation;

/// <summary>
/// `rlsc eval --model`: responses from the project's model runtime. Prompts are already templated
/// (ChatTemplates.Render); <see cref="Generation"/> encodes them with the model's tokenizer, samples k completions
/// per prompt with the suite's decoding, and stops at the model's EOS ids and the suite's stop strings.
/// Lengths are reported in tokens.
/// </summary>
public sealed class ModelResponseGenerator : IResponseGenerator
{
    readonly CausalLM _model;

    ModelResponseGenerator(CausalLM model, ModelInfo info)
    {
        _model = model;
        Model = info;
    }

    public ModelInfo Model { get; }

    /// <summary>Read from the loaded model, so that what is recorded is what generated, whoever chose it.</summary>
    public GenerationPlacement Placement
    {
        get
        {
            var device = _model.Device;
            string name = device.type == TorchSharp.DeviceType.CUDA ? $"cuda:{Math.Max(device.index, 0)}" : "cpu";
            return new GenerationPlacement(name, SafetensorsDType.TorchDtypeName(_model.DType), CudaMatmulPrecision.IsTf32On(name));
        }
    }

    /// <summary>Loads a Hugging Face model folder (config.json, safetensors, tokenizer) on a device and dtype.</summary>
    public static ModelResponseGenerator Load(string folder, ModelLoadOptions options, ModelInfo info, IProgress<(int Done, int Total)>? progress = null) =>
        new(CausalLM.Load(folder, options, progress), info);

    /// <summary>Wraps a model already in memory (tests, the trainer's in-process evaluation); the caller keeps ownership.</summary>
    public static ModelResponseGenerator Wrap(CausalLM model, ModelInfo info) => new(model, info) { _owned = false };

    bool _owned = true;

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
        var progress = samplesDone is null ? null : new SynchronousProgress<GenerationProgress>(p => samplesDone.Report(p.PromptsDone));
        var sequences = Generation.Generate(_model, prompts, options, progress, cancellation);
        var byPrompt = new List<SampledResponse>[prompts.Count];
        for (int i = 0; i < byPrompt.Length; i++) byPrompt[i] = new List<SampledResponse>(request.Samples);
        foreach (var s in sequences.OrderBy(s => s.PromptIndex).ThenBy(s => s.SampleIndex))
            byPrompt[s.PromptIndex].Add(new SampledResponse(s.Text, s.TokenIds.Length, s.FinishReason));
        return byPrompt;
    }

    public void Dispose()
    {
        if (_owned) _model.Dispose();
    }

    /// <summary>Reports on the caller's thread (System.Progress posts to the thread pool, which would reorder lines).</summary>
    sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
