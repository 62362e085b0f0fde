using Rlsc.Core;

namespace Rlsc.Runtime.Sampling;

/// <summary>
/// How to sample. Defaults are Hugging Face's (temperature 1, no top-p/top-k filtering); the RLSC paper samples
/// at temperature 0.5 and Qwen2.5-Math's evaluation decodes greedily (temperature 0).
/// </summary>
public sealed record GenerationOptions
{
    /// <summary>Completions per prompt; they share one prefill of the prompt (its KV cache is repeated).</summary>
    public int SamplesPerPrompt { get; init; } = 1;
    /// <summary>Softmax temperature; 0 = greedy (argmax), in which case log-probs are reported at temperature 1.</summary>
    public float Temperature { get; init; } = 1f;
    /// <summary>Nucleus filtering: sample from the smallest set of most likely tokens whose mass reaches TopP (1 = off).</summary>
    public float TopP { get; init; } = 1f;
    /// <summary>Sample from the K most likely tokens only (0 = off). Applied before top-p, as HF does.</summary>
    public int TopK { get; init; }
    /// <summary>
    /// At most this many tokens per completion (an EOS or stop string may end it earlier); also never past the
    /// model's context window (max_position_embeddings), where a completion ends with "length" as in vLLM.
    /// </summary>
    public int MaxNewTokens { get; init; } = 512;
    /// <summary>Seeds the sampler's generator: the same seed, prompts and options give the same completions.</summary>
    public long Seed { get; init; }
    /// <summary>
    /// One seed per prompt, instead of <see cref="Seed"/>: prompt i's samples are then exactly those it would get if
    /// generated alone with Seed = PromptSeeds[i], whatever else shares its batch (the RLSC trainer samples all of a
    /// step's questions in one batch and keeps each question's own seed). null: <see cref="Seed"/> for all.
    /// </summary>
    public IReadOnlyList<long>? PromptSeeds { get; init; }
    /// <summary>Strings that end a completion (checked on the last few decoded tokens each step); the text stops before them.</summary>
    public IReadOnlyList<string> StopStrings { get; init; } = [];
    /// <summary>
    /// Extra token ids that end a completion, besides the model's EOS ids (config.json's eos_token_id, the
    /// tokenizer's EOS, and &lt;|im_end|&gt; when the vocabulary has it).
    /// </summary>
    public IReadOnlyList<int> StopTokenIds { get; init; } = [];
    /// <summary>
    /// Most sequences decoded at once (prompts × samples). null = automatic: as many as keep the KV cache under
    /// 4 GiB (see Generation.AutomaticBatchSize), at most 256, so that a long list of prompts never exhausts memory.
    /// </summary>
    public int? MaxBatchSize { get; init; }
    /// <summary>
    /// false: recompute the whole sequence every step instead of using the KV cache. Slow; exists so that tests and
    /// benchmarks can compare the cached path against a plain forward.
    /// </summary>
    public bool UseCache { get; init; } = true;

    /// <summary>Throws RLSC001 naming the first invalid option.</summary>
    public void Validate()
    {
        static void Check(bool ok, string message)
        {
            if (!ok) throw new RlscException(ErrorCodes.InvalidArgument, message);
        }
        Check(SamplesPerPrompt >= 1, $"samples per prompt is {SamplesPerPrompt}; it must be at least 1.");
        Check(float.IsFinite(Temperature) && Temperature >= 0, $"temperature is {Temperature}; it must be 0 (greedy) or positive.");
        Check(TopP > 0 && TopP <= 1, $"top-p is {TopP}; it must be in (0, 1] (1 = off).");
        Check(TopK >= 0, $"top-k is {TopK}; it must be 0 (off) or positive.");
        Check(MaxNewTokens >= 1, $"max new tokens is {MaxNewTokens}; it must be at least 1.");
        Check(MaxBatchSize is null or >= 1, $"max batch size is {MaxBatchSize}; it must be at least 1.");
        Check(StopStrings.All(s => !string.IsNullOrEmpty(s)), "stop strings must not be empty.");
    }
}

/// <summary>One completion.</summary>
/// <param name="PromptIndex">Index of its prompt in the input list.</param>
/// <param name="SampleIndex">0 .. SamplesPerPrompt-1.</param>
/// <param name="TokenIds">The sampled tokens, including the EOS token or the token that completed a stop string.</param>
/// <param name="TokenLogProbs">log p of each sampled token under log_softmax(logits / T) over the full vocabulary
/// (before top-k/top-p filtering; at T = 0, T = 1): the p_old of RLSC.</param>
/// <param name="Text">The decoded completion, without the final EOS token and cut before a stop string.</param>
/// <param name="FinishReason">"eos", "stop" (a stop string) or "length" (MaxNewTokens reached).</param>
public sealed record GeneratedSequence(int PromptIndex, int SampleIndex, int[] TokenIds, float[] TokenLogProbs, string Text, string FinishReason)
{
    /// <summary>log p(y|x) = the sum of the token log-probs.</summary>
    public double SumLogProb => TokenLogProbs.Sum(x => (double)x);
}

/// <summary>Reported after every decode step.</summary>
public sealed record GenerationProgress(int PromptsDone, int PromptsTotal, int ActiveSequences, long TokensGenerated, TimeSpan Elapsed);

/// <summary>Why a sequence finished.</summary>
public static class FinishReasons
{
    public const string Eos = "eos";
    public const string Stop = "stop";
    public const string Length = "length";
}
