using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Rlsc.Core.Evaluation.Suites;

namespace Rlsc.Runtime.Tests.Tokenization;

/// <summary>
/// Parity on every text field of the six benchmark suites (about 5,600 texts, 3.1 MB): the reference stores the
/// length and a hash of each Hugging Face encoding; the test encodes the same strings and compares.
/// </summary>
[TestFixture]
public class Qwen25BulkParityTests
{
    static IEnumerable<string> SuiteNames() => ["aime24", "amc23", "math500", "minerva_math", "olympiadbench", "gsm8k"];

    [TestCaseSource(nameof(SuiteNames))]
    public void EveryBenchmarkTextEncodesLikeHuggingFace(string suite)
    {
        var expected = Qwen25Reference.File.BulkCases.Where(c => c.Suite == suite).ToList();
        Assert.That(expected, Is.Not.Empty);
        // The suite manifests (eval-suites/*.json) locate and verify the data, as the evaluation does.
        var rows = File.ReadLines(EvaluationSuite.ResolveData(SuiteCatalog.Find(suite)).Path).Where(l => !string.IsNullOrWhiteSpace(l)).ToList();
        var tokenizer = Qwen25Reference.Tokenizer;
        var mismatches = new List<string>();
        foreach (var c in expected)
        {
            using var row = JsonDocument.Parse(rows[c.Row]);
            string text = row.RootElement.GetProperty(c.Field).GetString()!;
            int[] ids = tokenizer.Encode(text);
            string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(string.Join(',', ids))))[..16];
            if (ids.Length != c.Count || hash != c.Hash)
                mismatches.Add($"row {c.Row} {c.Field}: {ids.Length} ids (expected {c.Count}): {text[..Math.Min(60, text.Length)]}");
        }
        Assert.That(mismatches, Is.Empty, $"{mismatches.Count} of {expected.Count} texts differ");
    }
}
