using Rlsc.Core;

namespace Rlsc.Runtime.Sampling;

/// <summary>
/// When a completion ends: on an EOS token id, or when a stop string appears in its decoded text. Stop strings
/// are looked for in the decoding of the last few tokens only (enough to hold the longest stop string even at
/// one byte per token), so the check costs the same at any completion length; an occurrence is always
/// completed by the newest token, so the window never misses one.
/// </summary>
public sealed class StopCriteria
{
    readonly HashSet<int> eos;
    readonly string[] stopStrings;
    readonly Func<int[], string>? decode;
    readonly int window;

    /// <param name="eosTokenIds">Token ids that end a completion.</param>
    /// <param name="stopStrings">Strings that end a completion.</param>
    /// <param name="decode">Token ids to text; required when there are stop strings.</param>
    public StopCriteria(IEnumerable<int> eosTokenIds, IReadOnlyList<string> stopStrings, Func<int[], string>? decode)
    {
        eos = [.. eosTokenIds];
        this.stopStrings = [.. stopStrings];
        this.decode = decode;
        if (this.stopStrings.Length > 0 && decode is null)
            throw new RlscException(ErrorCodes.InvalidArgument, "stop strings need a tokenizer to decode the completion; this model has none.");
        // A UTF-8 character takes up to 4 byte-level tokens; +2 covers a partial character at the window's start.
        window = this.stopStrings.Length == 0 ? 0 : 4 * this.stopStrings.Max(s => s.Length) + 2;
    }

    public IReadOnlySet<int> EosTokenIds => eos;

    /// <summary>The finish reason once <paramref name="tokens"/> (the completion so far) must stop, else null.</summary>
    public string? Check(List<int> tokens)
    {
        if (tokens.Count > 0 && eos.Contains(tokens[^1])) return FinishReasons.Eos;
        if (window == 0) return null;
        int start = Math.Max(0, tokens.Count - window);
        string tail = decode!(tokens.GetRange(start, tokens.Count - start).ToArray());
        return stopStrings.Any(s => tail.Contains(s, StringComparison.Ordinal)) ? FinishReasons.Stop : null;
    }

    /// <summary>The completion's text: without the final EOS token, and cut before the first stop string.</summary>
    public string Text(List<int> tokens, string finishReason)
    {
        if (decode is null) return "";
        var ids = finishReason == FinishReasons.Eos ? tokens.Take(tokens.Count - 1).ToArray() : tokens.ToArray();
        string text = decode(ids);
        if (finishReason == FinishReasons.Stop)
        {
            int cut = stopStrings.Select(s => text.IndexOf(s, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(text.Length).Min();
            text = text[..cut];
        }
        return text;
    }
}
