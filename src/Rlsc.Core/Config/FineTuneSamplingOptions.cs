namespace Rlsc.Core.Config;

/// <summary>How the N completions of each question are sampled from the current model (section `sampling`).</summary>
public sealed class FineTuneSamplingOptions
{
    /// <summary>N, completions per question. 16: the paper's value.</summary>
    public int SamplesPerQuestion { get; set; } = 16;

    /// <summary>
    /// Sampling temperature T, also applied inside the loss (log_softmax(logits / T)) so that log p_old and
    /// log p_theta are the probabilities of the distribution that was sampled. 0.5: the paper's value.
    /// </summary>
    public double Temperature { get; set; } = 0.5;

    /// <summary>Nucleus sampling (1: off, as in the paper, which samples from the full distribution).</summary>
    public double TopP { get; set; } = 1.0;

    /// <summary>Top-k sampling (0: off, as in the paper).</summary>
    public int TopK { get; set; }

    /// <summary>Maximum completion length in tokens. 3072: the paper's value.</summary>
    public int MaxNewTokens { get; set; } = 3072;

    /// <summary>
    /// Extra strings that end a completion, besides the model's end-of-sequence tokens (&lt;|im_end|&gt; and
    /// &lt;|endoftext|&gt; for Qwen2.5).
    /// </summary>
    public List<string> StopStrings { get; set; } = [];
}
