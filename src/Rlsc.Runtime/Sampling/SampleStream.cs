namespace Rlsc.Runtime.Sampling;

/// <summary>
/// The uniforms the sampler consumes, from a counter-based generator: the uniform for token <c>step</c> of sample
/// <c>s</c> of prompt <c>p</c> is a hash of (seed, p, s, step). So a completion depends only on the seed, its prompt's
/// index and its sample index — not on batch size, on which other prompts share the batch, or on when other
/// sequences finish and leave it — and a run is reproducible however it is batched. (A shared torch.Generator
/// would hand each row a different number as soon as the batch changes.) The hash is SplitMix64's finaliser,
/// applied in a chain, which passes BigCrush as a generator; 24 random bits give a float32 in [0, 1).
/// </summary>
public static class SampleStream
{
    public static float Uniform(long seed, int prompt, int sample, int step)
    {
        ulong h = Mix(unchecked((ulong)seed) + 0x9E3779B97F4A7C15UL);
        h = Mix(h ^ (uint)prompt);
        h = Mix(h ^ ((ulong)(uint)sample << 32 | (uint)step));
        return (h >> 40) * (1f / (1 << 24));
    }

    static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
