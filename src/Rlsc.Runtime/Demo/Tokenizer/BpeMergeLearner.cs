using System.Text;
using System.Text.RegularExpressions;
using Rlsc.Core.Tokenization;

namespace Rlsc.Runtime.Demo.Tokenizer;

/// <summary>
/// Learns byte-level BPE merges from a corpus, the classic way (Sennrich et al. 2016): split the text into
/// pre-tokens with Qwen2's pattern (digits stay single tokens, as in Qwen2.5, which keeps arithmetic digit by
/// digit), count adjacent symbol pairs weighted by how often each pre-token occurs, merge the most frequent pair,
/// repeat. Ties go to the pair whose text sorts first (ordinal), so the result is deterministic.
/// Special tokens in the text are cut out before pre-tokenization (they are added tokens, never merged).
/// </summary>
public static class BpeMergeLearner
{
    static readonly Regex Split = new(TokenizerBuilder.Qwen2SplitPattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);

    public static IReadOnlyList<(string Left, string Right)> Learn(IEnumerable<string> texts, int mergeCount, IReadOnlyList<string> specialTokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(mergeCount);
        var words = CountPreTokens(texts, specialTokens);
        // Each distinct pre-token as its current symbols, with its count.
        var symbols = words.Select(w => (Symbols: w.Key.Select(c => c.ToString()).ToList(), Count: w.Value)).ToList();
        var merges = new List<(string, string)>(mergeCount);
        while (merges.Count < mergeCount)
        {
            var pairs = new Dictionary<(string, string), long>();
            foreach (var (s, count) in symbols)
                for (int i = 0; i + 1 < s.Count; i++)
                    pairs[(s[i], s[i + 1])] = pairs.GetValueOrDefault((s[i], s[i + 1])) + count;
            if (pairs.Count == 0) break;   // every pre-token is one symbol already
            var best = pairs.OrderByDescending(p => p.Value)
                .ThenBy(p => p.Key.Item1 + " " + p.Key.Item2, StringComparer.Ordinal).First().Key;
            merges.Add(best);
            string joined = best.Item1 + best.Item2;
            foreach (var (s, _) in symbols)
                for (int i = 0; i + 1 < s.Count; i++)
                    if (s[i] == best.Item1 && s[i + 1] == best.Item2)
                    {
                        s[i] = joined;
                        s.RemoveAt(i + 1);
                    }
        }
        return merges;
    }

    /// <summary>Pre-tokens in byte-level form ("Ġapples") with their counts.</summary>
    static Dictionary<string, long> CountPreTokens(IEnumerable<string> texts, IReadOnlyList<string> specialTokens)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string text in texts)
            // (string.Split with no separators would split at white space: only split when there are special tokens.)
            foreach (string part in specialTokens.Count == 0 ? [text] : text.Split(specialTokens.ToArray(), StringSplitOptions.None))
                foreach (Match m in Split.Matches(part.Normalize(NormalizationForm.FormC)))
                {
                    string word = ByteLevelAlphabet.EncodeBytes(Encoding.UTF8.GetBytes(m.Value));
                    counts[word] = counts.GetValueOrDefault(word) + 1;
                }
        return counts;
    }
}
