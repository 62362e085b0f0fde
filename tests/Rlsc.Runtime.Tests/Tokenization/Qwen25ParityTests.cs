using Rlsc.Core.Data;
using Rlsc.Core.Tokenization;

namespace Rlsc.Runtime.Tests.Tokenization;

/// <summary>
/// Parity with Hugging Face on the real Qwen2.5 tokenizer: encodings, tokens and decodings of ~300 texts (hand-picked
/// edge cases, seeded random mixes, real benchmark problems and solutions) made by an independent implementation.
/// </summary>
[TestFixture]
public class Qwen25ParityTests
{
    static IEnumerable<Qwen25Reference.EncodeCase> Cases() => Qwen25Reference.File.Cases;
    static IEnumerable<Qwen25Reference.DecodeCase> DecodeCases() => Qwen25Reference.File.DecodeCases;

    [Test]
    public void ReferenceWasMadeFromTheSameFilesTheTestsLoad()
    {
        var file = Qwen25Reference.File;
        Assert.Multiple(() =>
        {
            Assert.That(file.TokenizerJsonSha256, Is.EqualTo(PublicTokenizers.Qwen25TokenizerJson.Sha256));
            Assert.That(file.TokenizerConfigSha256, Is.EqualTo(PublicTokenizers.Qwen25TokenizerConfig.Sha256));
            Assert.That(DataFiles.Sha256Of(Path.Combine(Qwen25Reference.Tokenizer.Directory, "tokenizer.json")), Is.EqualTo(file.TokenizerJsonSha256));
            Assert.That(file.Cases, Has.Count.GreaterThan(250));
        });
    }

    [TestCaseSource(nameof(Cases))]
    public void EncodesLikeHuggingFace(Qwen25Reference.EncodeCase c)
    {
        var tokenizer = Qwen25Reference.Tokenizer;
        int[] ids = tokenizer.Encode(c.Text);
        Assert.That(ids, Is.EqualTo(c.Ids), $"text: {c.Text}");
        Assert.That(ids.Select(id => tokenizer.IdToToken(id)), Is.EqualTo(c.Tokens));
        // Qwen2.5's post-processor adds nothing.
        Assert.That(tokenizer.Encode(c.Text, addSpecialTokens: true), Is.EqualTo(c.Ids));
    }

    [TestCaseSource(nameof(Cases))]
    public void DecodesLikeHuggingFace(Qwen25Reference.EncodeCase c)
    {
        var tokenizer = Qwen25Reference.Tokenizer;
        Assert.That(tokenizer.Decode(c.Ids), Is.EqualTo(c.Decoded));
        Assert.That(tokenizer.Decode(c.Ids, skipSpecialTokens: true), Is.EqualTo(c.DecodedSkipSpecial));
    }

    [TestCaseSource(nameof(DecodeCases))]
    public void DecodesPartialSequencesLikeHuggingFace(Qwen25Reference.DecodeCase c)
    {
        var tokenizer = Qwen25Reference.Tokenizer;
        Assert.That(tokenizer.Decode(c.Ids), Is.EqualTo(c.Decoded));
        Assert.That(tokenizer.Decode(c.Ids, skipSpecialTokens: true), Is.EqualTo(c.DecodedSkipSpecial));
    }

    [Test]
    public void DecodingRoundTripsEveryNormalizedText()
    {
        var tokenizer = Qwen25Reference.Tokenizer;
        foreach (var c in Cases())
        {
            string normalized = c.Text.Normalize(System.Text.NormalizationForm.FormC);
            Assert.That(tokenizer.Decode(tokenizer.Encode(c.Text)), Is.EqualTo(normalized), c.Source);
        }
    }

    [Test]
    public void VocabularyAndSpecialTokensMatchTheConfig()
    {
        var tokenizer = Qwen25Reference.Tokenizer;
        var special = Qwen25Reference.File.SpecialIds;
        Assert.Multiple(() =>
        {
            Assert.That(tokenizer.VocabSize, Is.EqualTo(Qwen25Reference.File.VocabSize));
            Assert.That(tokenizer.TokenToId("<|im_end|>"), Is.EqualTo(special["<|im_end|>"]));
            Assert.That(tokenizer.TokenToId("Ġworld"), Is.EqualTo(1879));
            Assert.That(tokenizer.IdToToken(special["<|im_start|>"]), Is.EqualTo("<|im_start|>"));
            Assert.That(tokenizer.TokenToId("no such token"), Is.Null);
            Assert.That(tokenizer.IdToToken(tokenizer.VocabSize), Is.Null);
            Assert.That(tokenizer.IdToToken(-1), Is.Null);
            // eos_token is <|im_end|> in the Instruct config; <|endoftext|> ends base-model text.
            Assert.That(tokenizer.EosTokenIds, Is.EqualTo(new[] { special["<|im_end|>"], special["<|endoftext|>"] }));
            Assert.That(tokenizer.PadTokenId, Is.EqualTo(special["<|endoftext|>"]));
            Assert.That(tokenizer.IsSpecial(special["<|im_start|>"]), Is.True);
            Assert.That(tokenizer.IsSpecial(tokenizer.TokenToId("<tool_call>")!.Value), Is.False, "<tool_call> is an added token that is not special");
            Assert.That(tokenizer.IsSpecial(1879), Is.False);
            Assert.That(tokenizer.Config.ChatTemplate, Does.Contain("<|im_start|>"));
        });
    }

    [Test]
    public void ConcurrentEncodingEqualsTheReference()
    {
        // One instance shared by threads (the word cache is concurrent), from a fresh load so the cache fills under contention.
        using var tokenizer = HfTokenizer.Load(Qwen25Reference.Tokenizer.Directory);
        var cases = Cases().ToArray();
        var results = new int[cases.Length][];
        Parallel.For(0, cases.Length * 4, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            results[i % cases.Length] = tokenizer.Encode(cases[i % cases.Length].Text));
        for (int i = 0; i < cases.Length; i++) Assert.That(results[i], Is.EqualTo(cases[i].Ids), cases[i].Source);
    }

    [Test]
    public void IdsAboveTheVocabularyDecodeToNothing()
    {
        // Qwen2.5 models have 152,064 embedding rows for 151,665 tokens; Hugging Face drops unknown ids when decoding.
        var tokenizer = Qwen25Reference.Tokenizer;
        int[] ids = tokenizer.Encode("a b");
        Assert.That(tokenizer.Decode([ids[0], 152_000, ids[1]]), Is.EqualTo("a b"));
    }
}
