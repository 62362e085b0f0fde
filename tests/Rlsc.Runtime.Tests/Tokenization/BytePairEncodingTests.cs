using Rlsc.Core.Tokenization;

namespace Rlsc.Runtime.Tests.Tokenization;

[TestFixture]
public class BytePairEncodingTests
{
    [Test]
    public void QueueMergeEqualsScanMergeOnRandomWords()
    {
        // A random merge table over a 6-letter alphabet, with merges of merged tokens too.
        var random = new Random(7);
        string letters = "abcdef";
        var vocab = new Dictionary<string, int>();
        foreach (char c in ByteLevelAlphabet.Characters) vocab[c.ToString()] = vocab.Count;
        var merges = new List<(string, string)>();
        var tokens = letters.Select(c => c.ToString()).ToList();
        for (int i = 0; i < 60; i++)
        {
            string left = tokens[random.Next(tokens.Count)], right = tokens[random.Next(tokens.Count)];
            if (merges.Contains((left, right)) || (left + right).Length > 6) continue;
            merges.Add((left, right));
            if (vocab.TryAdd(left + right, vocab.Count)) tokens.Add(left + right);
        }
        var bpe = new BytePairEncoding(vocab, merges, ignoreMerges: false, "test");
        for (int trial = 0; trial < 300; trial++)
        {
            int length = random.Next(1, 200);
            int[] word = Enumerable.Range(0, length).Select(_ => vocab[letters[random.Next(letters.Length)].ToString()]).ToArray();
            Assert.That(bpe.MergeWithQueue(word), Is.EqualTo(bpe.MergeByScan(word)));
        }
    }
}
