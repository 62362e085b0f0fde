namespace Rlsc.Core.Config;

/// <summary>
/// Low-rank adapters (section `lora`). When enabled, the base weights are frozen and each targeted projection
/// W (out, in) learns W + (alpha / rank) * B A with A (rank, in), B (out, rank); B starts at zero so the first
/// step starts from the base model exactly. Adapters are merged into the weights of every saved checkpoint.
/// </summary>
public sealed class LoraOptions
{
    /// <summary>
    /// Off by default: full fine-tuning is what the paper did. Turn on when the model does not fit with its
    /// optimizer state (a 7B model needs about 16 bytes per parameter for full fine-tuning in float32).
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>Rank r of the adapters. 16 is a common choice for 7B models on reasoning tasks.</summary>
    public int Rank { get; set; } = 16;

    /// <summary>Scaling numerator: the adapter's output is multiplied by alpha / rank. 32 (= 2 r) as usual.</summary>
    public double Alpha { get; set; } = 32;

    /// <summary>Which projections get adapters: the attention and MLP projections of every decoder layer.</summary>
    public List<string> Targets { get; set; } = [.. AllTargets];

    /// <summary>The projection names an adapter can target (Hugging Face Qwen2 keys).</summary>
    public static readonly IReadOnlyList<string> AllTargets =
        ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];
}
