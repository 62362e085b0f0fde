using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;
using Rlsc.Core;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Model.Modules;

namespace Rlsc.Runtime.Sampling;

/// <summary>
/// Batched sampling with a KV cache: each batch of prompts is prefilled once, each prompt's cache is repeated for
/// its samples, then one token per step is sampled for every unfinished sequence (see <see cref="TokenSampler"/>
/// for the method and the meaning of the log-probs). Results come back ordered by prompt, then sample.
/// </summary>
public static class Generation
{
    /// <summary>
    /// Generates completions of text prompts (already templated: see ChatTemplates.Render), encoded with the model's
    /// tokenizer as transformers' generate does (add_special_tokens: nothing for Qwen2.5, a BOS for Llama 3).
    /// </summary>
    public static IReadOnlyList<GeneratedSequence> Generate(CausalLM model, IReadOnlyList<string> prompts, GenerationOptions options,
        IProgress<GenerationProgress>? progress = null, CancellationToken cancellation = default) =>
        Generate(model, prompts.Select(p => model.Tokenizer.Encode(p, addSpecialTokens: true)).ToList(), options, progress, cancellation);

    /// <summary>Generates from token ids; stops on the model's EOS ids and the options' stop ids and strings.</summary>
    public static IReadOnlyList<GeneratedSequence> Generate(CausalLM model, IReadOnlyList<int[]> promptIds, GenerationOptions options,
        IProgress<GenerationProgress>? progress = null, CancellationToken cancellation = default)
    {
        try
        {
            return Generate(model.Module, promptIds, options, StopsFor(model, options), progress, cancellation);
        }
        catch (RlscException e) when (e.Code == ErrorCodes.NonFiniteModelOutput)
        {
            throw NonFiniteOutput.NameCheckpoint(e, model.SourceDirectory);
        }
    }

    /// <summary>The stop rule of a model: its EOS ids (config and tokenizer) plus the options' stop ids and strings.</summary>
    public static StopCriteria StopsFor(CausalLM model, GenerationOptions options) =>
        new(model.EosTokenIds.Concat(options.StopTokenIds), options.StopStrings, ids => model.Tokenizer.Decode(ids));

    /// <summary>Generates from token ids on a bare module, with an explicit stop rule.</summary>
    public static IReadOnlyList<GeneratedSequence> Generate(Qwen2ForCausalLM module, IReadOnlyList<int[]> promptIds, GenerationOptions options,
        StopCriteria stops, IProgress<GenerationProgress>? progress = null, CancellationToken cancellation = default)
    {
        options.Validate();
        for (int i = 0; i < promptIds.Count; i++)
        {
            if (promptIds[i].Length == 0)
                throw new RlscException(ErrorCodes.InvalidArgument, $"prompt {i} is empty; every prompt needs at least one token.");
            if (promptIds[i].Length >= module.Config.MaxPositionEmbeddings)
                throw new RlscException(ErrorCodes.InvalidArgument,
                    $"prompt {i} has {promptIds[i].Length} tokens, which fills the model's context window ({module.Config.MaxPositionEmbeddings}, max_position_embeddings); shorten it.");
            if (promptIds[i].Any(id => id < 0 || id >= module.Config.VocabSize))
                throw new RlscException(ErrorCodes.InvalidArgument, $"prompt {i} holds a token id outside the model's vocabulary [0, {module.Config.VocabSize}).");
        }
        if (promptIds.Count == 0) return [];
        if (options.PromptSeeds is { } seeds && seeds.Count != promptIds.Count)
            throw new RlscException(ErrorCodes.InvalidArgument, $"{seeds.Count} prompt seeds for {promptIds.Count} prompts; give one seed per prompt.");

        var decoder = new BatchDecoder(module, options, stops);
        var results = new List<GeneratedSequence>(promptIds.Count * options.SamplesPerPrompt);
        var clock = Stopwatch.StartNew();
        long generated = 0;
        int promptsDone = 0;
        int maxBatch = options.MaxBatchSize ?? AutomaticBatchSize(module, promptIds.Max(p => p.Length) + options.MaxNewTokens);
        // A prompt is done when all its samples are: count the samples still to finish per prompt.
        var samplesLeft = new int[promptIds.Count];
        Array.Fill(samplesLeft, options.SamplesPerPrompt);
        foreach (var batch in Batches(promptIds, options.SamplesPerPrompt, maxBatch))
        {
            results.AddRange(decoder.Run(batch, (stillActive, stepped, unitsDone) =>
            {
                generated += stepped;
                foreach (var unit in unitsDone)
                    if ((samplesLeft[unit.PromptIndex] -= unit.Samples) == 0) promptsDone++;
                progress?.Report(new GenerationProgress(promptsDone, promptIds.Count, stillActive, generated, clock.Elapsed));
            }, cancellation));
        }
        progress?.Report(new GenerationProgress(promptIds.Count, promptIds.Count, 0, generated, clock.Elapsed));
        return results.OrderBy(r => r.PromptIndex).ThenBy(r => r.SampleIndex).ToList();
    }

    /// <summary>The KV-cache memory an automatic batch may take (GenerationOptions.MaxBatchSize = null).</summary>
    public const long AutomaticCacheBudgetBytes = 4L << 30;

    /// <summary>
    /// Sequences per batch when MaxBatchSize is not set: as many as keep the KV cache of sequences of
    /// <paramref name="length"/> tokens under <see cref="AutomaticCacheBudgetBytes"/>, between 1 and 256
    /// (Qwen2.5-Math-1.5B in bfloat16 at 2,300 tokens: 66 MB each, 65 sequences).
    /// </summary>
    public static int AutomaticBatchSize(Qwen2ForCausalLM module, long length)
    {
        var c = module.Config;
        long perSequence = 2L * c.NumHiddenLayers * c.NumKeyValueHeads * c.HeadDim * length * module.model.embed_tokens.weight!.element_size();
        return (int)Math.Clamp(AutomaticCacheBudgetBytes / Math.Max(1, perSequence), 1, 256);
    }

    // Whole prompts with all their samples, as many as `max` rows allow; a prompt with more samples than that is
    // split into sample ranges, each with its own prefill.
    static IEnumerable<List<PromptUnit>> Batches(IReadOnlyList<int[]> prompts, int n, int max)
    {
        if (n <= max)
        {
            int perBatch = Math.Max(1, max / n);
            for (int start = 0; start < prompts.Count; start += perBatch)
                yield return Enumerable.Range(start, Math.Min(perBatch, prompts.Count - start))
                    .Select(i => new PromptUnit(i, prompts[i], 0, n)).ToList();
            yield break;
        }
        for (int i = 0; i < prompts.Count; i++)
            for (int first = 0; first < n; first += max)
                yield return [new PromptUnit(i, prompts[i], first, Math.Min(max, n - first))];
    }
}
