namespace Rlsc.Runtime.Training.Policy;

/// <summary>One sampled completion.</summary>
/// <param name="TokenIds">The completion's tokens as generated (including the end-of-sequence token when the model produced one).</param>
/// <param name="Text">The decoded completion.</param>
/// <param name="FinishReason">Why it ended: "eos", "stop" (a stop string), "length" (max_new_tokens).</param>
public sealed record SampledCompletion(int[] TokenIds, string Text, string FinishReason);
