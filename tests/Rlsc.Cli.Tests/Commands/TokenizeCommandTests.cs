using System.Text.Json;
using NUnit.Framework;
using Rlsc.Core.Tokenization;

namespace Rlsc.Cli.Tests.Commands;

[TestFixture]
public class TokenizeCommandTests
{
    string _dir = "";

    [SetUp]
    public void CreateTokenizer()
    {
        _dir = Directory.CreateTempSubdirectory("rlsc-tokcli-").FullName;
        TokenizerBuilder.WriteByteLevel(_dir, ["<|endoftext|>", "<|im_start|>", "<|im_end|>"], [("h", "i"), ("Ġ", "t")]);
    }

    [TearDown]
    public void Delete() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void TextGivesIdsAndTokens()
    {
        var (exit, output, _) = CliRunner.Run("tokenize", "--tokenizer", _dir, "--text", "<|im_start|>hi t");
        Assert.That(exit, Is.EqualTo(0));
        using var line = JsonDocument.Parse(output.Trim());
        Assert.That(line.RootElement.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()), Is.EqualTo(new[] { 259, 256, 257 }));
        Assert.That(line.RootElement.GetProperty("tokens").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "<|im_start|>", "hi", "Ġt" }));
    }

    [Test]
    public void InputFileGivesOneLinePerText()
    {
        string input = Path.Combine(_dir, "in.jsonl");
        File.WriteAllLines(input, ["{\"text\": \"hi\"}", "", "{\"text\": \"a\\nb\", \"id\": 3}"]);
        var (exit, output, _) = CliRunner.Run("tokenize", "--tokenizer", _dir, "--input", input, "--no-special");
        Assert.That(exit, Is.EqualTo(0));
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(2));
        Assert.That(lines[1], Is.EqualTo("{\"ids\":[97,10,98],\"tokens\":[\"a\",\"Ċ\",\"b\"]}"));
    }

    [Test]
    public void MalformedLineNamesFileAndLine()
    {
        string input = Path.Combine(_dir, "bad.jsonl");
        File.WriteAllLines(input, ["{\"text\": \"ok\"}", "{\"txt\": \"no\"}"]);
        var (exit, _, error) = CliRunner.Run("tokenize", "--tokenizer", _dir, "--input", input);
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.Contain($"{input}(2): error RLSC003"));
    }

    [Test]
    public void TextAndInputTogetherIsAnError()
    {
        var (exit, _, error) = CliRunner.Run("tokenize", "--tokenizer", _dir, "--text", "a", "--input", "x.jsonl");
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.Contain("RLSC001"));
    }

    [Test]
    public void MissingTokenizerIsRlsc020()
    {
        var (exit, _, error) = CliRunner.Run("tokenize", "--tokenizer", Path.Combine(_dir, "none"), "--text", "a");
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.Contain("error RLSC020"));
    }
}
