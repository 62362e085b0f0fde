using Rlsc.Core;
using Rlsc.Core.Tokenization;

namespace Rlsc.Runtime.Tests.Tokenization;

/// <summary>Missing, malformed and unsupported tokenizer files are clear errors that name the file and field.</summary>
[TestFixture]
public class TokenizerLoadErrorTests
{
    string _dir = "";

    [SetUp]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("rlsc-tokerr-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_dir, recursive: true);

    string TokenizerJson => Path.Combine(_dir, "tokenizer.json");

    [Test]
    public void MissingFolder()
    {
        var e = Assert.Throws<RlscException>(() => HfTokenizer.Load(Path.Combine(_dir, "nope")))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.TokenizerNotFound));
        Assert.That(e.File, Does.EndWith("nope"));
    }

    [Test]
    public void FolderWithoutTokenizerJson()
    {
        var e = Assert.Throws<RlscException>(() => HfTokenizer.Load(_dir))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.TokenizerNotFound));
        Assert.That(e.Message, Does.Contain("tokenizer.json"));
    }

    [Test]
    public void TruncatedJsonNamesFileAndLine()
    {
        TokenizerBuilder.WriteByteLevel(_dir, ["<|endoftext|>"]);
        string text = File.ReadAllText(TokenizerJson);
        File.WriteAllText(TokenizerJson, text[..(text.Length / 2)]);
        var e = Assert.Throws<RlscException>(() => HfTokenizer.Load(_dir))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.TokenizerInvalid));
        Assert.That(e.File, Is.EqualTo(TokenizerJson));
        Assert.That(e.Line, Is.GreaterThan(1));
    }

    [Test]
    public void MalformedConfigNamesTheConfig()
    {
        TokenizerBuilder.WriteByteLevel(_dir, ["<|endoftext|>"]);
        File.WriteAllText(Path.Combine(_dir, "tokenizer_config.json"), "{\"eos_token\": 5}");
        var e = Assert.Throws<RlscException>(() => HfTokenizer.Load(_dir))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.TokenizerInvalid));
        Assert.That(e.File, Does.EndWith("tokenizer_config.json"));
        Assert.That(e.Message, Does.Contain("eos_token"));
    }

    [TestCase("\"type\": \"BPE\"", "\"type\": \"WordPiece\"", ErrorCodes.TokenizerUnsupported, "model.type")]
    [TestCase("\"type\": \"NFC\"", "\"type\": \"Precompiled\"", ErrorCodes.TokenizerUnsupported, "normalizer.type")]
    [TestCase("\"behavior\": \"Isolated\"", "\"behavior\": \"Removed\"", ErrorCodes.TokenizerUnsupported, "pre_tokenizer.pretokenizers[0].behavior")]
    [TestCase("\"merges\": []", "\"merges\": [\"a\"]", ErrorCodes.TokenizerInvalid, "model.merges[0]")]
    [TestCase("\"merges\": []", "\"merges\": [\"a b\"]", ErrorCodes.TokenizerInvalid, "model.merges[0]")]
    [TestCase("\"!\": 33,", "", ErrorCodes.TokenizerInvalid, "model.vocab")]
    [TestCase("\"content\": \"<|endoftext|>\"", "\"content\": 3", ErrorCodes.TokenizerInvalid, "added_tokens[0].content")]
    public void BadFieldsNameTheField(string original, string replacement, string code, string field)
    {
        TokenizerBuilder.WriteByteLevel(_dir, ["<|endoftext|>"]);
        string text = File.ReadAllText(TokenizerJson);
        Assert.That(text, Does.Contain(original), "the test edits a field the builder writes");
        File.WriteAllText(TokenizerJson, text.Replace(original, replacement));
        var e = Assert.Throws<RlscException>(() => HfTokenizer.Load(_dir))!;
        Assert.That(e.Code, Is.EqualTo(code));
        Assert.That(e.Message, Does.Contain(field));
        Assert.That(e.File, Is.EqualTo(TokenizerJson));
    }
}
