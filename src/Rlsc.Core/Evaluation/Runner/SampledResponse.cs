namespace Rlsc.Core.Evaluation.Runner;

/// <summary>One response to grade, with its length in tokens and why generation stopped when they are known.</summary>
public sealed record SampledResponse(string Text, int? Tokens = null, string? FinishReason = null);
