using System.Text;
using System.Text.Json;
using Rlsc.Core.Tokenization;

namespace Rlsc.Runtime.Tests.Tokenization;

[TestFixture]
public class TokenizerBuilderTests
{
    string _dir = "";

    [SetUp]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("rlsc-tok-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_dir, recursive: true);

    static readonly string[] Specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"];

    [Test]
    public void ByteLevelTokenizerRoundTripsRandomText()
    {
        TokenizerBuilder.WriteByteLevel(_dir, Specials, [("h", "e"), ("l", "l"), ("he", "ll"), ("Ġ", "w")]);
        using var tokenizer = HfTokenizer.Load(_dir);
        Assert.That(tokenizer.VocabSize, Is.EqualTo(256 + 4 + 3));

        var random = new Random(1234);
        string alphabet = "abcdefghijklmnopqrstuvwxyz ABC  \n\t0123456789.,;$\\{}éß中文😀𝑥";
        for (int i = 0; i < 200; i++)
        {
            var text = new StringBuilder();
            int length = random.Next(0, 60);
            var elements = System.Globalization.StringInfo.GetTextElementEnumerator(alphabet);
            var symbols = new List<string>();
            while (elements.MoveNext()) symbols.Add((string)elements.Current);
            for (int j = 0; j < length; j++) text.Append(symbols[random.Next(symbols.Count)]);
            if (random.Next(4) == 0) text.Append(Specials[random.Next(3)]);
            string s = text.ToString();
            Assert.That(tokenizer.Decode(tokenizer.Encode(s)), Is.EqualTo(s.Normalize(NormalizationForm.FormC)), s);
        }
    }

    [Test]
    public void MergesAndSpecialTokensGetTheDocumentedIds()
    {
        TokenizerBuilder.WriteByteLevel(_dir, Specials, [("h", "e"), ("l", "l"), ("he", "ll"), ("Ġ", "w")]);
        using var tokenizer = HfTokenizer.Load(_dir);
        int hell = tokenizer.TokenToId("hell")!.Value;
        Assert.Multiple(() =>
        {
            Assert.That(tokenizer.TokenToId("he"), Is.EqualTo(256));
            Assert.That(hell, Is.EqualTo(258));
            Assert.That(tokenizer.TokenToId("<|endoftext|>"), Is.EqualTo(260));
            Assert.That(tokenizer.TokenToId("<|im_end|>"), Is.EqualTo(262));
            // "hello world": hell + o, then " w" + o r l d; special tokens in the text map to their ids.
            Assert.That(tokenizer.Encode("hello world<|im_end|>"),
                Is.EqualTo(new[] { hell, ByteId(tokenizer, 'o'), 259, ByteId(tokenizer, 'o'), ByteId(tokenizer, 'r'), ByteId(tokenizer, 'l'), ByteId(tokenizer, 'd'), 262 }));
            Assert.That(tokenizer.EosTokenIds, Is.EqualTo(new[] { 262, 260 }));
            Assert.That(tokenizer.PadTokenId, Is.EqualTo(260));
            Assert.That(tokenizer.Decode(tokenizer.Encode("<|im_start|>hi<|im_end|>"), skipSpecialTokens: true), Is.EqualTo("hi"));
        });
    }

    static int ByteId(HfTokenizer tokenizer, char c) => tokenizer.TokenToId(c.ToString())!.Value;

    [Test]
    public void WritesTheFilesTransformersReads()
    {
        TokenizerBuilder.WriteByteLevel(_dir, Specials);
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_dir, "tokenizer.json")));
        using var config = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_dir, "tokenizer_config.json")));
        var root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("model").GetProperty("type").GetString(), Is.EqualTo("BPE"));
            Assert.That(root.GetProperty("model").GetProperty("vocab").EnumerateObject().Count(), Is.EqualTo(256));
            Assert.That(root.GetProperty("added_tokens").GetArrayLength(), Is.EqualTo(3));
            Assert.That(root.GetProperty("pre_tokenizer").GetProperty("pretokenizers")[0].GetProperty("pattern").GetProperty("Regex").GetString(),
                Is.EqualTo(TokenizerBuilder.Qwen2SplitPattern));
            Assert.That(config.RootElement.GetProperty("tokenizer_class").GetString(), Is.EqualTo("Qwen2Tokenizer"));
            Assert.That(config.RootElement.GetProperty("added_tokens_decoder").GetProperty("257").GetProperty("content").GetString(), Is.EqualTo("<|im_start|>"));
            Assert.That(config.RootElement.GetProperty("eos_token").GetString(), Is.EqualTo("<|im_end|>"));
            Assert.That(Directory.GetFiles(_dir).Select(Path.GetFileName), Is.EquivalentTo(new[] { "tokenizer.json", "tokenizer_config.json" }), "no temporary files left");
        });
    }

    [Test]
    public void SplitsLikeQwen2WithoutMerges()
    {
        // With no merges every byte is its own token: the ids are the UTF-8 bytes (ids 0-255 in byte order).
        TokenizerBuilder.WriteByteLevel(_dir, Specials);
        using var tokenizer = HfTokenizer.Load(_dir);
        string text = "x = 12 中 😀";
        var bytes = Encoding.UTF8.GetBytes(text);
        Assert.That(tokenizer.Encode(text), Is.EqualTo(bytes.Select(b => ByteLevelAlphabet.Encode(b)).Select(c => tokenizer.TokenToId(c.ToString())!.Value)));
        Assert.That(tokenizer.Encode(text), Is.EqualTo(bytes.Select(b => (int)b)));
    }

    [Test]
    public void RejectsAMergeOfUnknownParts()
    {
        Assert.Throws<ArgumentException>(() => TokenizerBuilder.WriteByteLevel(_dir, Specials, [("ab", "c")]));
        Assert.Throws<ArgumentException>(() => TokenizerBuilder.WriteByteLevel(_dir, ["a"]));
    }
}
