using Rlsc.Runtime.Training.Rlsc;
using static TorchSharp.torch;
using Rlsc.Core.Tokenization;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Model.Modules;
using Rlsc.Runtime.Sampling;
using Rlsc.Runtime.Training.Loop;

namespace Rlsc.Runtime.Training.Policy;

/// <summary>
/// The project's Qwen2 runtime as the trainers see it: <see cref="CausalLM"/> for the weights and the forward pass,
/// <see cref="Generation"/> (batched, KV-cached, seeded per sample) for sampling, <see cref="HfTokenizer"/> for text.
/// </summary>
public sealed class CausalLmTrainable : ITrainableModel
{
    readonly CausalLM model;
    readonly HfTokenizer tokenizer;
    readonly StopCriteria eosOnly;
    readonly int[] eosIds;

    CausalLmTrainable(CausalLM model, HfTokenizer tokenizer)
    {
        this.model = model;
        this.tokenizer = tokenizer;
        // Completions end at the model's EOS ids, the tokenizer's, and the chat turn's end (<|im_end|>) when the
        // vocabulary has it: the qwen25-math-cot prompt makes the model close its turn with it.
        eosIds = model.Config.EosTokenIds
            .Concat(tokenizer.EosTokenIds)
            .Concat(new[] { "<|im_end|>", "<|endoftext|>" }.Select(tokenizer.TokenToId).OfType<int>())
            .Where(id => id < model.Config.VocabSize)
            .Distinct()
            .ToArray();
        eosOnly = new StopCriteria(eosIds, [], Decode);
    }

    /// <summary>Loads a Hugging Face model folder (weights, config.json, tokenizer files) on a placement.</summary>
    public static ITrainableModel Load(string directory, ModelPlacement placement)
    {
        var tokenizer = HfTokenizer.Load(directory);
        try
        {
            var model = CausalLM.Load(directory, new ModelLoadOptions(placement.Device, placement.DType));
            return new CausalLmTrainable(model, tokenizer);
        }
        catch
        {
            tokenizer.Dispose();
            throw;
        }
    }

    public CausalLM CausalLM => model;
    public nn.Module Module => model.Module;
    public Device Device => model.Device;
    public int ContextLength => model.Config.MaxPositionEmbeddings;
    public int PadTokenId => tokenizer.PadTokenId ?? eosIds.FirstOrDefault();
    public IReadOnlyList<int> EosTokenIds => eosIds;

    public int[] Encode(string text) => tokenizer.Encode(text);

    public string Decode(IReadOnlyList<int> ids) => tokenizer.Decode(ids, skipSpecialTokens: false);

    public Tensor Logits(Tensor inputIds, Tensor attentionMask) =>
        model.Module.call(new CausalLMInput(inputIds, attentionMask)).Logits!;   // (B, T, V)

    /// <summary>Only the completion rows through the LM head, in row chunks: no (B, T, V) logits.</summary>
    public TokenScores Score(Tensor inputIds, Tensor attentionMask, Tensor completionMask, double temperature)
    {
        var module = model.Module;
        var hidden = module.call(new CausalLMInput(inputIds, attentionMask, ComputeLogits: false)).HiddenStates;  // (B, T, C)
        var headWeight = module.lm_head?.weight ?? module.model.embed_tokens.weight!;                           // (V, C)
        return CompletionTokenScorer.Score(hidden, headWeight, inputIds, completionMask, temperature);
    }

    // One prompt is a batch of one: with its own seed it draws the stream Generation gives prompt 0 under that seed.
    public IReadOnlyList<SampledCompletion> Sample(int[] promptIds, SamplingRequest request, IProgress<int>? tokens, CancellationToken cancellation) =>
        SampleMany([promptIds], [request], tokens, cancellation)[0];

    /// <summary>
    /// All prompts in one batched decode (as `rlsc generate` does; the generator splits it only where the KV cache
    /// would pass its memory budget), each prompt keeping its own seed, so the completions are those of
    /// <see cref="Sample"/> one prompt at a time, up to the float rounding of a padded batch.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<SampledCompletion>> SampleMany(IReadOnlyList<int[]> prompts, IReadOnlyList<SamplingRequest> requests,
        IProgress<int>? tokens, CancellationToken cancellation)
    {
        if (prompts.Count == 0) return [];
        var first = requests[0];
        // Only the seed may differ between the requests of one batch; otherwise one prompt at a time.
        if (requests.Any(r => !SameExceptSeed(r, first)))
            return prompts.Select((prompt, i) => Sample(prompt, requests[i], tokens, cancellation)).ToList();
        var options = Options(first) with { PromptSeeds = requests.Select(r => r.Seed).ToArray() };
        var stops = first.StopStrings.Count == 0 ? eosOnly : new StopCriteria(eosIds, first.StopStrings, Decode);
        var progress = tokens is null ? null : new SyncProgress<GenerationProgress>(p => tokens.Report((int)p.TokensGenerated));
        var generated = Generation.Generate(model.Module, prompts, options, stops, progress, cancellation);
        return generated.GroupBy(s => s.PromptIndex).OrderBy(g => g.Key)
            .Select(g => (IReadOnlyList<SampledCompletion>)g.OrderBy(s => s.SampleIndex).Select(s => new SampledCompletion(s.TokenIds, s.Text, s.FinishReason)).ToList())
            .ToList();
    }

    static bool SameExceptSeed(SamplingRequest a, SamplingRequest b) =>
        a.Count == b.Count && a.Temperature == b.Temperature && a.TopP == b.TopP && a.TopK == b.TopK && a.MaxNewTokens == b.MaxNewTokens &&
        a.StopStrings.SequenceEqual(b.StopStrings);

    static GenerationOptions Options(SamplingRequest request) => new()
    {
        SamplesPerPrompt = request.Count,
        Temperature = (float)request.Temperature,
        TopP = (float)request.TopP,
        TopK = request.TopK,
        MaxNewTokens = request.MaxNewTokens,
        Seed = request.Seed,
        StopStrings = request.StopStrings,
    };

    public void Save(string directory) => model.Save(directory);

    public void Dispose()
    {
        model.Dispose();
        tokenizer.Dispose();
    }
}
