using Rlsc.Runtime.Training.Loop;

namespace Rlsc.Runtime.Demo.ArithmeticTask;

/// <summary>
/// The generator's random numbers: SplitMix64 (<see cref="SeedMixer.Next"/>), whose output is fixed by its
/// definition, so that the same seed writes byte-identical files on every .NET version and machine
/// (System.Random's seeded sequence is not a documented contract).
/// </summary>
public sealed class TaskRandom(long seed)
{
    ulong _state = unchecked((ulong)seed);

    /// <summary>An integer in [min, max] (both included).</summary>
    public int Next(int min, int max)
    {
        if (max < min) throw new ArgumentOutOfRangeException(nameof(max), $"empty range [{min}, {max}].");
        ulong span = (ulong)((long)max - min + 1);
        // Rejection sampling keeps every value equally likely (a plain modulo would favour small values).
        ulong limit = ulong.MaxValue - ulong.MaxValue % span;
        ulong draw;
        do draw = SeedMixer.Next(ref _state); while (draw >= limit);
        return (int)((long)min + (long)(draw % span));
    }

    /// <summary>A double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (SeedMixer.Next(ref _state) >> 11) * (1.0 / (1UL << 53));

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => NextDouble() < p;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(0, items.Count - 1)];
}
