using System.Collections.Concurrent;

namespace Rlsc.Core.Tokenization;

/// <summary>
/// tokenizer.json's "model" of type BPE over a byte-level alphabet: a word (in byte-level characters) starts as one
/// symbol per character and adjacent pairs are merged, always the pair with the lowest merge rank first and the
/// leftmost of equal ranks, until no pair has a merge. Results are cached per word, as Hugging Face's BPE does.
/// Thread-safe.
/// </summary>
sealed class BytePairEncoding
{
    // Words longer than this use the priority-queue merge (n log n); shorter ones the plain scan (n^2, faster when small).
    const int QueueThreshold = 48;
    const int CacheCapacity = 100_000;

    readonly Dictionary<string, int> _vocab;
    readonly Dictionary<long, int> _mergeRanks;   // (left id, right id) -> rank, hashed by PairComparer
    readonly int[] _mergeResults;                 // rank -> id of the merged token
    readonly int[] _charToId;                     // byte-level character -> id of its one-character token, -1 if none
    readonly bool _ignoreMerges;
    readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);

    public BytePairEncoding(Dictionary<string, int> vocab, IReadOnlyList<(string Left, string Right)> merges, bool ignoreMerges, string file)
    {
        _vocab = vocab;
        _ignoreMerges = ignoreMerges;
        _mergeRanks = new Dictionary<long, int>(merges.Count, PairComparer.Instance);
        _mergeResults = new int[merges.Count];
        for (int rank = 0; rank < merges.Count; rank++)
        {
            var (left, right) = merges[rank];
            if (!vocab.TryGetValue(left, out int l) || !vocab.TryGetValue(right, out int r) || !vocab.TryGetValue(left + right, out int merged))
                throw TokenizerErrors.Invalid(file, $"model.merges[{rank}]", $"a merge of two tokens of model.vocab whose concatenation is in model.vocab too (got \"{left} {right}\")");
            _mergeRanks.TryAdd(Key(l, r), rank);   // a duplicate merge keeps its first (lowest) rank
            _mergeResults[rank] = merged;
        }

        int maxChar = ByteLevelAlphabet.Characters.Max(c => (int)c);
        _charToId = new int[maxChar + 1];
        Array.Fill(_charToId, -1);
        foreach (char c in ByteLevelAlphabet.Characters)
        {
            if (!vocab.TryGetValue(c.ToString(), out int id))
                throw TokenizerErrors.Invalid(file, "model.vocab", $"a byte-level vocabulary with all 256 byte characters (U+{(int)c:X4} '{c}' is missing)");
            _charToId[c] = id;
        }
    }

    public int MergeCount => _mergeResults.Length;

    /// <summary>Appends the ids of <paramref name="word"/> (byte-level characters) to <paramref name="output"/>.</summary>
    public void Encode(string word, List<int> output)
    {
        if (word.Length == 0) return;
        if (_cache.TryGetValue(word, out var cached))
        {
            output.AddRange(cached);
            return;
        }
        int[] ids = _ignoreMerges && _vocab.TryGetValue(word, out int whole) ? [whole] : Merge(word);
        if (_cache.Count >= CacheCapacity) _cache.Clear();
        _cache.TryAdd(word, ids);
        output.AddRange(ids);
    }

    int[] Merge(string word)
    {
        var symbols = new int[word.Length];
        for (int i = 0; i < word.Length; i++)
        {
            char c = word[i];
            symbols[i] = c < _charToId.Length && _charToId[c] >= 0 ? _charToId[c]
                : throw new ArgumentException($"'{c}' (U+{(int)c:X4}) is not a byte-level character", nameof(word));
        }
        return symbols.Length > QueueThreshold ? MergeWithQueue(symbols) : MergeByScan(symbols);
    }

    /// <summary>Repeatedly merges the lowest-ranked adjacent pair (leftmost on ties).</summary>
    internal int[] MergeByScan(int[] initial)
    {
        var symbols = new List<int>(initial);
        while (symbols.Count > 1)
        {
            int bestRank = int.MaxValue, bestPosition = -1;
            for (int i = 0; i + 1 < symbols.Count; i++)
                if (_mergeRanks.TryGetValue(Key(symbols[i], symbols[i + 1]), out int rank) && rank < bestRank)
                {
                    bestRank = rank;
                    bestPosition = i;
                }
            if (bestPosition < 0) break;
            symbols[bestPosition] = _mergeResults[bestRank];
            symbols.RemoveAt(bestPosition + 1);
        }
        return [.. symbols];
    }

    /// <summary>The same merges as <see cref="MergeByScan"/> with a linked list and a queue ordered by (rank, position).</summary>
    internal int[] MergeWithQueue(int[] initial)
    {
        int n = initial.Length;
        var symbol = (int[])initial.Clone();
        var next = new int[n];
        var previous = new int[n];
        var alive = new bool[n];
        for (int i = 0; i < n; i++)
        {
            next[i] = i + 1 < n ? i + 1 : -1;
            previous[i] = i - 1;
            alive[i] = true;
        }
        // Positions are indices into the original word, so ordering ties by position is ordering them left to right.
        var queue = new PriorityQueue<int, (int Rank, int Position)>();
        void Offer(int position)
        {
            int right = next[position];
            if (right >= 0 && _mergeRanks.TryGetValue(Key(symbol[position], symbol[right]), out int rank))
                queue.Enqueue(position, (rank, position));
        }
        for (int i = 0; i + 1 < n; i++) Offer(i);

        while (queue.TryDequeue(out int position, out var priority))
        {
            int right = alive[position] ? next[position] : -1;
            // Stale entries: the left symbol was merged away, or the pair changed since it was queued.
            if (right < 0 || !_mergeRanks.TryGetValue(Key(symbol[position], symbol[right]), out int rank) || rank != priority.Rank)
                continue;
            symbol[position] = _mergeResults[rank];
            alive[right] = false;
            next[position] = next[right];
            if (next[right] >= 0) previous[next[right]] = position;
            if (previous[position] >= 0) Offer(previous[position]);
            Offer(position);
        }

        var result = new List<int>(n);
        for (int i = 0; i >= 0; i = next[i]) result.Add(symbol[i]);
        return [.. result];
    }

    static long Key(int left, int right) => ((long)left << 32) | (uint)right;

    /// <summary>
    /// long.GetHashCode is high ^ low 32 bits: for two ids below 2^18 that is left ^ right, which collides for every
    /// pair with the same XOR. A Fibonacci multiply spreads the 64 bits over the hash instead.
    /// </summary>
    sealed class PairComparer : IEqualityComparer<long>
    {
        public static readonly PairComparer Instance = new();
        public bool Equals(long x, long y) => x == y;
        public int GetHashCode(long key) => (int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> 32);
    }
}
