using System.Text.Json;
using System.Text.Json.Serialization;
using Rlsc.Core.Data;
using Rlsc.Core.Tokenization;

namespace Rlsc.Runtime.Tests.Tokenization;

/// <summary>
/// The reference encodings made by eng/tokenizer-vectors/generate.mjs (Hugging Face's JavaScript tokenizers and
/// Jinja engine) and the real Qwen2.5 tokenizer, loaded once for all tests.
/// </summary>
public static class Qwen25Reference
{
    static readonly Lazy<ReferenceFile> LazyFile = new(Read);
    static readonly Lazy<HfTokenizer> LazyTokenizer = new(() => HfTokenizer.Load(PublicTokenizers.Qwen25Directory()));

    public static ReferenceFile File => LazyFile.Value;
    public static HfTokenizer Tokenizer => LazyTokenizer.Value;

    public static string TestDataPath(string name)
    {
        string root = DataMirror.FindCheckoutRoot(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException("the tests run outside an RlscPipeline checkout");
        return Path.Combine(root, "tests", "Rlsc.Runtime.Tests", "Tokenization", "TestData", name);
    }

    static ReferenceFile Read() =>
        JsonSerializer.Deserialize<ReferenceFile>(System.IO.File.ReadAllBytes(TestDataPath("qwen25-reference.json")))
        ?? throw new InvalidOperationException("empty reference file");

    public sealed record ReferenceFile(
        [property: JsonPropertyName("tokenizer_json_sha256")] string TokenizerJsonSha256,
        [property: JsonPropertyName("tokenizer_config_sha256")] string TokenizerConfigSha256,
        [property: JsonPropertyName("vocab_size_with_added")] int VocabSize,
        [property: JsonPropertyName("special_ids")] Dictionary<string, int> SpecialIds,
        [property: JsonPropertyName("cases")] List<EncodeCase> Cases,
        [property: JsonPropertyName("decode_cases")] List<DecodeCase> DecodeCases,
        [property: JsonPropertyName("chat_cases")] List<ChatCase> ChatCases,
        [property: JsonPropertyName("bulk_cases")] List<BulkCase> BulkCases);

    /// <summary>One benchmark text: its suite, row and field, and the length and hash (sha256 of "id,id,...", 16 hex) of its ids.</summary>
    public sealed record BulkCase(
        [property: JsonPropertyName("suite")] string Suite,
        [property: JsonPropertyName("row")] int Row,
        [property: JsonPropertyName("field")] string Field,
        [property: JsonPropertyName("n")] int Count,
        [property: JsonPropertyName("h")] string Hash);

    public sealed record EncodeCase(
        [property: JsonPropertyName("source")] string Source,
        [property: JsonPropertyName("text")] string Text,
        [property: JsonPropertyName("ids")] int[] Ids,
        [property: JsonPropertyName("tokens")] string[] Tokens,
        [property: JsonPropertyName("decoded")] string Decoded,
        [property: JsonPropertyName("decoded_skip_special")] string DecodedSkipSpecial)
    {
        public override string ToString() => Source;
    }

    public sealed record DecodeCase(
        [property: JsonPropertyName("source")] string Source,
        [property: JsonPropertyName("ids")] int[] Ids,
        [property: JsonPropertyName("decoded")] string Decoded,
        [property: JsonPropertyName("decoded_skip_special")] string DecodedSkipSpecial)
    {
        public override string ToString() => Source;
    }

    public sealed record ChatCase(
        [property: JsonPropertyName("source")] string Source,
        [property: JsonPropertyName("template")] string Template,
        [property: JsonPropertyName("system")] string? System,
        [property: JsonPropertyName("question")] string Question,
        [property: JsonPropertyName("rendered")] string Rendered,
        [property: JsonPropertyName("ids")] int[] Ids)
    {
        public override string ToString() => Source;
    }
}
