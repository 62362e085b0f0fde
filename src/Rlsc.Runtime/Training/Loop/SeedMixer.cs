namespace Rlsc.Runtime.Training.Loop;

/// <summary>
/// Derives independent, reproducible seeds from the run seed and a position (step, question slot, epoch) with
/// SplitMix64. Every random choice of a run is such a pure function, so a resumed run needs no generator state
/// to continue bit for bit: step 7's samples use the same seed whether or not the run stopped at step 5.
/// </summary>
public static class SeedMixer
{
    public static long Mix(long seed, params long[] parts)
    {
        ulong state = unchecked((ulong)seed);
        ulong result = Next(ref state);
        foreach (long part in parts)
        {
            state ^= unchecked((ulong)part) * 0xD1B54A32D192ED03UL;
            result = Next(ref state);
        }
        // Non-negative: generators and JSON readers downstream take signed 64-bit seeds.
        return (long)(result >> 1);
    }

    /// <summary>A stream of pseudo-random numbers from one seed (SplitMix64: fixed across .NET versions).</summary>
    public static ulong Next(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
