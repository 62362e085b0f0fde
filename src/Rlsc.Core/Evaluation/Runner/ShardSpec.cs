using System.Globalization;

namespace Rlsc.Core.Evaluation.Runner;

/// <summary>
/// `--shard i/n`: this run evaluates the i-th of n contiguous index ranges of every suite (0-based i), so that n
/// machines together cover each suite exactly once. Range i of N problems is [⌊iN/n⌋, ⌊(i+1)N/n⌋).
/// </summary>
public sealed record ShardSpec(int Index, int Count)
{
    public static ShardSpec Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            || n < 1 || i >= n)
            throw new RlscException(ErrorCodes.InvalidArgument, $"--shard '{text}' must be i/n with 0 <= i < n, e.g. 0/4 for the first of four shards.");
        return new ShardSpec(i, n);
    }

    public (int Start, int End) Range(int problems) =>
        ((int)((long)Index * problems / Count), (int)((long)(Index + 1) * problems / Count));

    public override string ToString() => $"{Index}/{Count}";
}
