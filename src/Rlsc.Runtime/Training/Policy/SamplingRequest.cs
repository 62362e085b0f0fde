namespace Rlsc.Runtime.Training.Policy;

/// <summary>How to sample the completions of one prompt.</summary>
/// <param name="Count">N, completions to draw.</param>
/// <param name="Temperature">T &gt; 0.</param>
/// <param name="TopP">Nucleus threshold (1: off).</param>
/// <param name="TopK">Top-k (0: off).</param>
/// <param name="MaxNewTokens">Completion length limit.</param>
/// <param name="StopStrings">Extra strings that end a completion.</param>
/// <param name="Seed">Seed of this draw (derived from the run seed, the step and the question's slot).</param>
public sealed record SamplingRequest(int Count, double Temperature, double TopP, int TopK, int MaxNewTokens, IReadOnlyList<string> StopStrings, long Seed);
