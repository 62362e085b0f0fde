namespace Rlsc.Core.Evaluation.Suites;

/// <summary>
/// How a suite's responses are generated. Defaults are the Qwen2.5-Math toolkit's (greedy, 2048 new tokens, stop at
/// the chat end markers); `rlsc eval --samples/--temperature/--max-new-tokens` override them per run.
/// </summary>
public sealed record DecodingSettings
{
    /// <summary>0 = greedy (default). Sampling temperatures are positive.</summary>
    public double Temperature { get; init; }

    /// <summary>Nucleus sampling mass (default 1: off).</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>Top-k filter (default 0: off).</summary>
    public int TopK { get; init; }

    /// <summary>Longest response in tokens (default 2048).</summary>
    public int MaxNewTokens { get; init; } = 2048;

    /// <summary>Generation stops at any of these (default the Qwen chat end markers).</summary>
    public IReadOnlyList<string> Stop { get; init; } = ["<|im_end|>", "<|endoftext|>"];

    public void Validate(string manifestPath)
    {
        if (!(Temperature >= 0 && Temperature <= 10))
            throw new RlscException(ErrorCodes.SuiteManifestInvalid, $"decoding.temperature is {Temperature}; expected 0 (greedy) to 10.", manifestPath);
        if (!(TopP > 0 && TopP <= 1))
            throw new RlscException(ErrorCodes.SuiteManifestInvalid, $"decoding.top_p is {TopP}; expected a value in (0, 1].", manifestPath);
        if (TopK < 0)
            throw new RlscException(ErrorCodes.SuiteManifestInvalid, $"decoding.top_k is {TopK}; expected 0 (off) or more.", manifestPath);
        if (MaxNewTokens is < 1 or > 1_000_000)
            throw new RlscException(ErrorCodes.SuiteManifestInvalid, $"decoding.max_new_tokens is {MaxNewTokens}; expected 1 to 1000000.", manifestPath);
    }
}
