namespace Rlsc.Core.Config;

/// <summary>The supervised examples of `rlsc sft` (section `data`): a JSONL file of prompt/completion pairs.</summary>
public sealed class SftDataOptions
{
    /// <summary>The JSONL file, one object per line with a prompt and a completion (required).</summary>
    public string? File { get; set; }

    /// <summary>The field holding the prompt.</summary>
    public string PromptField { get; set; } = "prompt";

    /// <summary>The field holding the completion the model should learn to produce.</summary>
    public string CompletionField { get; set; } = "completion";

    /// <summary>
    /// A chat template applied to the prompt (for example qwen25-math-cot, so that warm-up data matches the
    /// prompts RLSC and evaluation use). Null: the prompt is used verbatim.
    /// </summary>
    public string? PromptTemplate { get; set; }

    /// <summary>Visit the examples in a new seeded random order each epoch (off: file order).</summary>
    public bool Shuffle { get; set; } = true;

    /// <summary>
    /// Append the tokenizer's end-of-sequence token to each completion so the model learns to stop (its
    /// probability is trained like any completion token).
    /// </summary>
    public bool AppendEos { get; set; } = true;
}
