using System.Text.Json;
using System.Text.Json.Serialization;
using Rlsc.Core.Tokenization;

namespace Rlsc.Runtime.Tests.Tokenization;

/// <summary>
/// A tokenizer written by <see cref="TokenizerBuilder"/> loads in Hugging Face's JavaScript tokenizers and encodes the
/// same as ours: TestData/builder-tokenizer holds the builder's output (the test checks the builder still writes exactly
/// those bytes) and builder-reference.json what @huggingface/tokenizers made of them (eng/tokenizer-vectors).
/// After a deliberate change to the builder: RLSC_UPDATE_TEST_DATA=1 dotnet test --filter BuilderTokenizerParityTests,
/// then `node generate.mjs` in eng/tokenizer-vectors.
/// </summary>
[TestFixture]
public class BuilderTokenizerParityTests
{
    internal static readonly string[] Specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"];

    internal static readonly (string, string)[] Merges =
    [
        ("Ġ", "t"), ("h", "e"), ("Ġt", "he"), ("i", "n"), ("in", "g"), ("Ġ", "a"), ("e", "r"), ("Ġ", "s"),
        ("o", "n"), ("Ġ", "Ġ"), ("ĠĠ", "ĠĠ"), ("Ċ", "Ċ"), ("1", "2"), ("\\", "f"), ("Ã", "©"),
    ];

    static string Committed => Qwen25Reference.TestDataPath("builder-tokenizer");

    [Test]
    public void BuilderWritesTheCommittedFiles()
    {
        string fresh = Directory.CreateTempSubdirectory("rlsc-builder-").FullName;
        try
        {
            TokenizerBuilder.WriteByteLevel(fresh, Specials, Merges);
            if (Environment.GetEnvironmentVariable("RLSC_UPDATE_TEST_DATA") == "1")
            {
                Directory.CreateDirectory(Committed);
                foreach (string file in Directory.GetFiles(fresh)) File.Copy(file, Path.Combine(Committed, Path.GetFileName(file)), overwrite: true);
            }
            foreach (string name in new[] { "tokenizer.json", "tokenizer_config.json" })
                Assert.That(File.ReadAllBytes(Path.Combine(fresh, name)), Is.EqualTo(File.ReadAllBytes(Path.Combine(Committed, name))),
                    $"{name} differs from the committed one; see this class's summary to update both");
        }
        finally
        {
            Directory.Delete(fresh, recursive: true);
        }
    }

    sealed record Case(
        [property: JsonPropertyName("text")] string Text,
        [property: JsonPropertyName("ids")] int[] Ids,
        [property: JsonPropertyName("decoded")] string Decoded,
        [property: JsonPropertyName("decoded_skip_special")] string DecodedSkipSpecial);

    [Test]
    public void EncodesLikeHuggingFacesJavaScriptTokenizers()
    {
        var cases = JsonSerializer.Deserialize<List<Case>>(File.ReadAllBytes(Qwen25Reference.TestDataPath("builder-reference.json")))!;
        using var tokenizer = HfTokenizer.Load(Committed);
        Assert.That(cases, Has.Count.GreaterThan(100));
        foreach (var c in cases)
        {
            Assert.That(tokenizer.Encode(c.Text), Is.EqualTo(c.Ids), c.Text);
            Assert.That(tokenizer.Decode(c.Ids), Is.EqualTo(c.Decoded), c.Text);
            Assert.That(tokenizer.Decode(c.Ids, skipSpecialTokens: true), Is.EqualTo(c.DecodedSkipSpecial), c.Text);
        }
    }
}
