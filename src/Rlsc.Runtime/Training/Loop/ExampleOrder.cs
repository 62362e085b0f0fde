namespace Rlsc.Runtime.Training.Loop;

/// <summary>
/// The order in which training examples (questions, SFT pairs) are visited: epoch after epoch, each a seeded
/// permutation (or the file order when shuffling is off). The position is all there is to save for resume;
/// the permutations are recomputed from the seed, and checked against the saved one.
/// </summary>
public sealed class ExampleOrder
{
    readonly int count;
    readonly long seed;
    readonly bool shuffle;
    int[] permutation;
    int permutationEpoch;

    public ExampleOrder(int count, long seed, bool shuffle, long position = 0)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), "no examples");
        this.count = count;
        this.seed = seed;
        this.shuffle = shuffle;
        Position = position;
        permutation = Shuffle(Epoch);
        permutationEpoch = Epoch;
    }

    /// <summary>Number of examples.</summary>
    public int Count => count;

    /// <summary>Examples handed out so far (over all epochs).</summary>
    public long Position { get; private set; }

    public int Epoch => (int)(Position / count);

    /// <summary>The order of the epoch the next example comes from (indices into the file).</summary>
    public IReadOnlyList<int> CurrentPermutation
    {
        get
        {
            if (Epoch != permutationEpoch)
            {
                permutation = Shuffle(Epoch);
                permutationEpoch = Epoch;
            }
            return permutation;
        }
    }

    /// <summary>The next example's index, moving to a new permutation at each epoch boundary.</summary>
    public int Next()
    {
        int index = CurrentPermutation[(int)(Position % count)];
        Position++;
        return index;
    }

    int[] Shuffle(int epoch)
    {
        var order = Enumerable.Range(0, count).ToArray();
        if (!shuffle) return order;
        ulong state = unchecked((ulong)SeedMixer.Mix(seed, 0x0DE5, epoch));
        for (int i = count - 1; i > 0; i--)   // Fisher-Yates
        {
            int j = (int)(SeedMixer.Next(ref state) % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
